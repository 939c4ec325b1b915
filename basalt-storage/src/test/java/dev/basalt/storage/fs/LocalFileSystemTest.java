package dev.basalt.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileSystemTest {
  @TempDir Path directory;

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void writeFile(FileSystem fileSystem, String path, byte[] contents) {
    try (OutputFile file = fileSystem.create(path)) {
      file.write(contents);
      file.commit();
    }
  }

  @Test
  void anUnsyncedCommitPublishesWithoutForcingAndSyncForcesLater() {
    LocalFileSystem fileSystem = new LocalFileSystem(directory);
    try (OutputFile made = fileSystem.create("data/t1/other.bsg")) {
      made.commit();
    }
    long fileSyncs = fileSystem.fileSyncCount();
    long directorySyncs = fileSystem.directorySyncCount();
    for (String name : List.of("data/t1/a.bsg", "data/t1/b.bsg")) {
      try (OutputFile file = fileSystem.createUnpublished(name)) {
        file.write(utf8("rows of " + name));
        file.commitUnsynced();
        assertThatThrownBy(() -> file.write(utf8("more")))
            .isInstanceOf(IllegalStateException.class);
      }
    }
    assertThat(fileSystem.fileSyncCount()).isEqualTo(fileSyncs);
    assertThat(fileSystem.directorySyncCount()).isEqualTo(directorySyncs);
    try (InputFile file = fileSystem.open("data/t1/b.bsg")) {
      assertThat(new String(file.read(0, (int) file.length()), StandardCharsets.UTF_8))
          .isEqualTo("rows of data/t1/b.bsg");
    }

    fileSystem.sync(List.of("data/t1/a.bsg", "data/t1/b.bsg"));
    assertThat(fileSystem.fileSyncCount()).isEqualTo(fileSyncs + 2);
    assertThat(fileSystem.directorySyncCount())
        .as("their one directory once")
        .isEqualTo(directorySyncs + 1);
    BasaltException missing =
        (BasaltException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> fileSystem.sync(List.of("data/t1/gone.bsg")));
    assertThat(missing.code()).isEqualTo(ErrorCode.IO_ERROR);
    assertThat(missing.getMessage()).contains("data/t1/gone.bsg");
  }

  @Test
  void committedFileIsSyncedPublishedAndReadable() {
    LocalFileSystem fileSystem = new LocalFileSystem(directory);
    long fileSyncs = fileSystem.fileSyncCount();
    long directorySyncs = fileSystem.directorySyncCount();
    try (OutputFile file = fileSystem.create("data/db1/t1/seg_0001.bsg")) {
      file.write(utf8("hello "));
      file.write(new byte[200_000]);
      file.write(utf8("world"));
      assertThat(file.position()).isEqualTo(200_011);
      assertThat(fileSystem.exists("data/db1/t1/seg_0001.bsg"))
          .as("invisible before commit")
          .isFalse();
      assertThat(fileSystem.list("data")).isEmpty();
      file.commit();
      assertThatThrownBy(() -> file.write(utf8("more"))).isInstanceOf(IllegalStateException.class);
    }
    assertThat(fileSystem.fileSyncCount()).isEqualTo(fileSyncs + 1);
    // The new directories data, data/db1, data/db1/t1 are synced into their parents, then the
    // rename.
    assertThat(fileSystem.directorySyncCount()).isEqualTo(directorySyncs + 4);
    try (InputFile file = fileSystem.open("data/db1/t1/seg_0001.bsg")) {
      assertThat(file.length()).isEqualTo(200_011);
      assertThat(new String(file.read(0, 6), StandardCharsets.UTF_8)).isEqualTo("hello ");
      assertThat(new String(file.read(200_006, 5), StandardCharsets.UTF_8)).isEqualTo("world");
      BasaltException pastEnd =
          (BasaltException)
              org.assertj.core.api.Assertions.catchThrowable(() -> file.read(200_000, 12));
      assertThat(pastEnd.code()).isEqualTo(ErrorCode.STORAGE_CORRUPTION);
      assertThat(pastEnd.getMessage()).contains("data/db1/t1/seg_0001.bsg");
    }
  }

  @Test
  void unpublishedFilesAreWrittenInPlaceAndForcedWithTheirDirectory() throws Exception {
    LocalFileSystem fileSystem = new LocalFileSystem(directory);
    writeFile(fileSystem, "data/t/other", utf8("x"));
    long fileSyncs = fileSystem.fileSyncCount();
    long directorySyncs = fileSystem.directorySyncCount();
    try (OutputFile file = fileSystem.createUnpublished("data/t/seg.bsg")) {
      file.write(utf8("segment"));
      file.commit();
    }
    assertThat(fileSystem.fileSyncCount()).isEqualTo(fileSyncs + 1);
    assertThat(fileSystem.directorySyncCount()).isEqualTo(directorySyncs + 1);
    try (InputFile file = fileSystem.open("data/t/seg.bsg")) {
      assertThat(file.read(0, 7)).isEqualTo(utf8("segment"));
    }
    // Never a second file of the same name; an abandoned one is removed.
    assertThatThrownBy(() -> fileSystem.createUnpublished("data/t/seg.bsg"))
        .isInstanceOf(BasaltException.class);
    try (OutputFile file = fileSystem.createUnpublished("data/t/abandoned.bsg")) {
      file.write(utf8("half"));
    }
    try (Stream<Path> files = Files.list(directory.resolve("data/t"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("other", "seg.bsg");
    }
  }

  @Test
  void closingWithoutCommitLeavesNothingBehind() throws Exception {
    LocalFileSystem fileSystem = new LocalFileSystem(directory);
    writeFile(fileSystem, "t/a", utf8("old"));
    try (OutputFile file = fileSystem.create("t/a")) {
      file.write(utf8("new but abandoned"));
    }
    try (InputFile file = fileSystem.open("t/a")) {
      assertThat(file.read(0, 3)).isEqualTo(utf8("old"));
    }
    try (Stream<Path> files = Files.list(directory.resolve("t"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a");
    }
  }

  @Test
  void abandonedTemporaryFilesAreHiddenAndCleanable() {
    LocalFileSystem fileSystem = new LocalFileSystem(directory);
    OutputFile crashed = fileSystem.create("t/p0/seg_0002.bsg");
    crashed.write(utf8("partial"));
    writeFile(fileSystem, "t/p0/seg_0001.bsg", utf8("done"));
    assertThat(fileSystem.list("t")).containsExactly(new FileEntry("t/p0/seg_0001.bsg", 4));
    assertThat(fileSystem.deleteAbandonedTemporaryFiles()).isEqualTo(1);
    assertThat(fileSystem.deleteAbandonedTemporaryFiles()).isZero();
  }

  @Test
  void temporaryFilesBelowADirectoryAreDeletedAsTheCallerChooses() {
    LocalFileSystem fileSystem = new LocalFileSystem(directory);
    OutputFile kept = fileSystem.create("data/1/seg_0001.bsg");
    kept.write(utf8("still writing"));
    OutputFile abandoned = fileSystem.create("data/2/seg_0002.bsg");
    abandoned.write(utf8("writer died"));
    OutputFile elsewhere = fileSystem.create("other/seg_0003.bsg");
    elsewhere.write(utf8("not below data/"));
    java.util.List<String> asked = new java.util.ArrayList<>();
    int deleted =
        fileSystem.deleteTemporaryFiles(
            "data",
            path -> {
              asked.add(path);
              return path.startsWith("data/2/");
            });
    assertThat(deleted).isEqualTo(1);
    assertThat(asked).hasSize(2).allMatch(path -> path.contains(".inprogress-"));
    assertThat(asked).anyMatch(path -> path.startsWith("data/1/.seg_0001.bsg"));
    // The kept writer still commits; the abandoned one's file is gone, the other tree untouched.
    kept.commit();
    assertThat(fileSystem.exists("data/1/seg_0001.bsg")).isTrue();
    assertThat(fileSystem.deleteTemporaryFiles("data", path -> true)).isZero();
    assertThat(fileSystem.deleteTemporaryFiles("missing", path -> true)).isZero();
    assertThat(fileSystem.deleteAbandonedTemporaryFiles()).isEqualTo(1);
  }

  @Test
  void listDeleteAndRename() {
    LocalFileSystem fileSystem = new LocalFileSystem(directory);
    writeFile(fileSystem, "d/b/2", utf8("22"));
    writeFile(fileSystem, "d/a", utf8("1"));
    writeFile(fileSystem, "d/b/1", utf8("333"));
    writeFile(fileSystem, "other", utf8("x"));
    assertThat(fileSystem.list("d"))
        .containsExactly(
            new FileEntry("d/a", 1), new FileEntry("d/b/1", 3), new FileEntry("d/b/2", 2));
    assertThat(fileSystem.list("")).hasSize(4);
    assertThat(fileSystem.list("missing")).isEmpty();

    long directorySyncs = fileSystem.directorySyncCount();
    fileSystem.rename("d/a", "e/renamed");
    assertThat(fileSystem.directorySyncCount()).isGreaterThanOrEqualTo(directorySyncs + 2);
    assertThat(fileSystem.exists("d/a")).isFalse();
    assertThat(fileSystem.exists("e/renamed")).isTrue();

    assertThat(fileSystem.delete("d/b/1")).isTrue();
    assertThat(fileSystem.delete("d/b/1")).isFalse();
    fileSystem.deleteAll("d");
    assertThat(fileSystem.list("d")).isEmpty();
    assertThat(Files.exists(directory.resolve("d"))).isFalse();
    assertThat(fileSystem.list(""))
        .extracting(FileEntry::path)
        .containsExactly("e/renamed", "other");
  }

  @Test
  void missingFilesAndBadPaths() {
    LocalFileSystem fileSystem = new LocalFileSystem(directory);
    assertThatThrownBy(() -> fileSystem.open("nope/seg.bsg"))
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
              assertThat(e.getMessage()).contains("nope/seg.bsg");
            });
    assertThatThrownBy(() -> fileSystem.rename("nope", "other"))
        .isInstanceOf(BasaltException.class);
    for (String bad : List.of("", "/etc/passwd", "a/../b", "a//b", "./a", "a/.x.inprogress-1")) {
      assertThatThrownBy(() -> fileSystem.create(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
