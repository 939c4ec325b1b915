package dev.basalt.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InMemoryFileSystemTest {
  @Test
  void behavesLikeACommitOnceFileSystem() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    try (OutputFile abandoned = fileSystem.create("a/x")) {
      abandoned.write("lost".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(fileSystem.exists("a/x")).isFalse();
    try (OutputFile file = fileSystem.create("a/x")) {
      file.write("kept".getBytes(StandardCharsets.UTF_8));
      file.commit();
    }
    fileSystem.replaceBytes("ab/y", new byte[3]);
    assertThat(fileSystem.list("a")).containsExactly(new FileEntry("a/x", 4));
    assertThat(fileSystem.commitCount()).isEqualTo(1);
    fileSystem.rename("a/x", "b/x");
    try (InputFile file = fileSystem.open("b/x")) {
      assertThat(new String(file.read(1, 3), StandardCharsets.UTF_8)).isEqualTo("ept");
    }
    fileSystem.deleteAll("b");
    assertThat(fileSystem.list("")).extracting(FileEntry::path).containsExactly("ab/y");
  }
}
