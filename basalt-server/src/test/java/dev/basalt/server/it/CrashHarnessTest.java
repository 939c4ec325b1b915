package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.basalt.server.MetaStoreLocation;
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
 *     [-Dcrash.seed=S] [-Dcrash.progress=/tmp/soak.txt -Dcrash.progress-every=10] \
 *     [-Dcrash.meta=jdbc:postgresql://127.0.0.1:5432/test?user=postgres]
 * </pre>
 *
 * <p>With {@code crash.meta} the child keeps its catalog in PostgreSQL, in a table made for the run
 * and dropped after it; {@link #acknowledgedWritesSurviveCrashesWithPostgresCatalog} does so at CI
 * size.
 */
class CrashHarnessTest {
  private static final long SEED = Long.getLong("crash.seed", 20261206L);

  @TempDir Path directory;

  /** The local PostgreSQL of the tests (trust auth), as PostgresMetaStoreTest uses it. */
  private static final String POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3";

  @Test
  void acknowledgedWritesSurviveCrashes() throws Exception {
    String meta = System.getProperty("crash.meta");
    if (meta == null || meta.isBlank()) {
      soak(MetaStoreLocation.SQLITE);
    } else {
      try (PostgresCatalogTable table = PostgresCatalogTable.create(meta)) {
        soak(table.location());
      }
    }
  }

  /**
   * The same harness, at CI size, with the child's catalog in PostgreSQL: every commit is a
   * SERIALIZABLE transaction over the network, and the crash leaves its outcome to PostgreSQL.
   */
  @Test
  void acknowledgedWritesSurviveCrashesWithPostgresCatalog() throws Exception {
    String unavailable = PostgresCatalogTable.unavailableReason(POSTGRES_URL);
    if (unavailable != null && "true".equalsIgnoreCase(System.getenv("CI"))) {
      // .ci/run starts PostgreSQL; in CI a missing database is a failure, not a skip.
      throw new AssertionError("CI must provide PostgreSQL: " + unavailable);
    }
    assumeTrue(unavailable == null, unavailable);
    try (PostgresCatalogTable table = PostgresCatalogTable.create(POSTGRES_URL)) {
      CrashReport report =
          new CrashHarness(
                  new CrashHarness.Options(
                      directory, SEED, 3, Long.MAX_VALUE, false, System.out, 1, table.location()))
              .run();
      System.out.println("crash harness with a PostgreSQL catalog: " + report);
      assertThat(report.violations()).as(report.toString()).isEmpty();
      assertThat(report.cycles.get()).isEqualTo(3);
      assertThat(report.acknowledgedWrites.get()).as(report.toString()).isPositive();
    }
  }

  private void soak(MetaStoreLocation metaStore) throws Exception {
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
                    Integer.getInteger("crash.progress-every", 10),
                    metaStore))
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
                new CrashHarness.Options(
                    directory,
                    SEED,
                    6,
                    Long.MAX_VALUE,
                    true,
                    System.out,
                    1,
                    MetaStoreLocation.SQLITE))
            .run();
    System.out.println("crash harness with the vacuity switch: " + report);
    assertThat(report.lost.get()).as(report.toString()).isPositive();
  }
}
