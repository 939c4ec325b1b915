package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash harness ({@link CrashHarness}, docs/reliability.md) at CI size, and its vacuity test.
 * The soak runs the same test with more cycles, optionally within a time budget, printing its
 * figures every {@code crash.progress-every} cycles to {@code crash.progress} (a file) or standard
 * output:
 *
 * <pre>
 * mvn -B -o -pl basalt-server -am test -Dtest=CrashHarnessTest#acknowledgedWritesSurviveCrashes \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dcrash.cycles=1000 [-Dcrash.minutes=M] \
 *     [-Dcrash.seed=S] [-Dcrash.progress=/tmp/soak.txt -Dcrash.progress-every=10]
 * </pre>
 */
class CrashHarnessTest {
  private static final long SEED = Long.getLong("crash.seed", 20261206L);

  @TempDir Path directory;

  @Test
  void acknowledgedWritesSurviveCrashes() throws Exception {
    int cycles = Integer.getInteger("crash.cycles", 5);
    long minutes = Long.getLong("crash.minutes", 0);
    long deadline =
        minutes > 0
            ? System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(minutes)
            : Long.MAX_VALUE;
    String progressFile = System.getProperty("crash.progress");
    PrintStream progress =
        progressFile == null
            ? System.out
            : new PrintStream(
                new FileOutputStream(progressFile, true), true, StandardCharsets.UTF_8);
    CrashReport report =
        new CrashHarness(
                new CrashHarness.Options(
                    directory,
                    SEED,
                    cycles,
                    deadline,
                    false,
                    progress,
                    Integer.getInteger("crash.progress-every", 10)))
            .run();
    progress.println("crash harness, seed " + SEED + ": " + report);
    assertThat(report.violations()).as(report.toString()).isEmpty();
    assertThat(report.cycles.get()).isPositive();
    if (minutes == 0) {
      assertThat(report.cycles.get()).isEqualTo(cycles);
    }
    assertThat(report.acknowledgedWrites.get()).as(report.toString()).isPositive();
  }

  /**
   * With the server acknowledging writes before they are durable, the same harness must report lost
   * writes: it is not vacuous.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void earlyAcknowledgementIsCaught() throws Exception {
    CrashReport report =
        new CrashHarness(
                new CrashHarness.Options(directory, SEED, 6, Long.MAX_VALUE, true, System.out, 1))
            .run();
    System.out.println("crash harness with the vacuity switch: " + report);
    assertThat(report.lost.get()).as(report.toString()).isPositive();
  }
}
