package dev.basalt.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.storage.fs.LocalFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteKeysFileTest {
  @TempDir Path directory;

  @Test
  void deletesComeBackInOrderWithTheirSequenceValues() {
    LocalFileSystem files = new LocalFileSystem(directory);
    TabletDeletes deletes = new TabletDeletes();
    deletes.add(new byte[] {1, 2, 3});
    deletes.add(new byte[0], -7);
    // Longer than the write buffer, so a key is split across writes.
    byte[] large = new byte[200_000];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }
    deletes.add(large, Long.MAX_VALUE);
    for (int i = 0; i < 10_000; i++) {
      deletes.add(new byte[] {(byte) i, (byte) (i >> 8)});
    }
    DeleteKeysFile.write(files, "data/1/2/3/9.bdk", deletes);

    TabletDeletes read = DeleteKeysFile.read(files, "data/1/2/3/9.bdk");
    assertThat(read.size()).isEqualTo(deletes.size());
    for (int i = 0; i < deletes.size(); i++) {
      assertThat(read.key(i)).as("key %d", i).isEqualTo(deletes.key(i));
      assertThat(read.hasSequence(i)).as("sequence flag %d", i).isEqualTo(deletes.hasSequence(i));
      if (deletes.hasSequence(i)) {
        assertThat(read.sequence(i)).isEqualTo(deletes.sequence(i));
      }
    }
  }

  @Test
  void aDamagedOrTruncatedFileIsRefusedNamingIt() throws Exception {
    LocalFileSystem files = new LocalFileSystem(directory);
    TabletDeletes deletes = new TabletDeletes();
    for (int i = 0; i < 100; i++) {
      deletes.add(new byte[] {(byte) i}, i);
    }
    DeleteKeysFile.write(files, "t/a.bdk", deletes);
    Path file = directory.resolve("t/a.bdk");
    byte[] bytes = Files.readAllBytes(file);

    byte[] flipped = bytes.clone();
    flipped[40] ^= 0x10;
    Files.write(file, flipped);
    assertCorrupt(files, "checksum mismatch");

    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 9));
    assertCorrupt(files, "checksum mismatch");

    byte[] wrongMagic = bytes.clone();
    wrongMagic[0] = 'X';
    Files.write(file, wrongMagic);
    assertCorrupt(files, "bad magic");

    Files.write(file, new byte[3]);
    assertCorrupt(files, "unexpected length 3");
  }

  private static void assertCorrupt(LocalFileSystem files, String what) {
    assertThatThrownBy(() -> DeleteKeysFile.read(files, "t/a.bdk"))
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_CORRUPTION))
        .hasMessageContaining("t/a.bdk")
        .hasMessageContaining(what);
  }
}
