package dev.basalt.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The error logs' sweep: what is older than the retention goes, the rest stays. */
class LoadHousekeeperTest {
  @TempDir Path directory;

  @Test
  void errorLogsOlderThanTheRetentionAreDeleted() throws Exception {
    long now = System.currentTimeMillis();
    Path old = Files.writeString(directory.resolve("error_log_1_aa"), "Line 2: Reason: x\n");
    Files.setLastModifiedTime(old, FileTime.fromMillis(now - 10_000));
    Path recent = Files.writeString(directory.resolve("error_log_2_bb"), "Line 3: Reason: y\n");
    Files.setLastModifiedTime(recent, FileTime.fromMillis(now - 1_000));

    int removed = LoadHousekeeper.removeExpiredErrorLogs(directory, now - 5_000);

    assertThat(removed).isEqualTo(1);
    assertThat(old).doesNotExist();
    assertThat(recent).exists();
  }

  @Test
  void aMissingDirectoryHasNothingToDelete() throws Exception {
    assertThat(LoadHousekeeper.removeExpiredErrorLogs(directory.resolve("load_errors"), 0))
        .isZero();
  }
}
