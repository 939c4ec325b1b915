package dev.basalt.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.fault.FaultPoint;
import dev.basalt.common.fault.FaultPoints;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.server.MetaStoreLocation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The kill -9 crash harness (docs/reliability.md). A child server ({@link ServerProcess}) on one
 * data directory is stopped again and again, cycle after cycle, either at a deterministic fault
 * point ({@link FaultPoints}: the N-th fsync, rename or metadata commit of one kind, chosen at
 * random) or by {@code kill -9} at a random moment, while seven writers run: two threads of INSERTs
 * into a DUPLICATE table, Stream Loads with labels, two-phase Stream Loads (pre-commit, then
 * commit, abort, or leave them pre-committed across the crash or until their timeout), group-commit
 * loads in sync mode (acknowledged once committed) and in async mode (Stream Loads and INSERTs,
 * acknowledged once in the group's write-ahead log), and upserts, UPDATEs and DELETEs on a
 * merge-on-write UNIQUE table; compaction runs after every second rowset and the garbage collector
 * has no grace period. Every load writes rows whose count and sum are known.
 *
 * <p>Between cycles, with the server down, the catalog (a copy, so the server's own recovery is
 * what runs at start) must reference only files that exist; the unreferenced segment files and
 * temporaries on disk, and the group-commit logs, are noted. After each restart (whose start
 * replays the logs): Stream Loads whose answer was lost are retried with their label (they must
 * load once), pre-committed loads are committed or aborted, then the tables must hold every
 * acknowledged write exactly once and no part of any other (a write in doubt is all there or not at
 * all), and the noted orphans must be collected. Violations are counted in a {@link CrashReport};
 * the child's exits must all be the harness's doing.
 */
final class CrashHarness {
  /**
   * @param directory scratch directory (data directory, logs, catalog copies)
   * @param seed seeds every random choice (timing still varies from run to run)
   * @param cycles how many crashes
   * @param deadlineMillis stop starting cycles at this {@link System#currentTimeMillis()} (soak
   *     runs with a time budget), or {@link Long#MAX_VALUE}
   * @param acknowledgeBeforeDurable the vacuity switch: the server acknowledges writes before they
   *     are durable, which the harness must report as lost writes
   * @param progress where to print one line every {@code progressEvery} cycles, or null
   * @param metaStore where the child keeps its catalog: SQLite in the data directory, or a
   *     PostgreSQL table (which the harness neither creates nor drops)
   */
  record Options(
      Path directory,
      long seed,
      int cycles,
      long deadlineMillis,
      boolean acknowledgeBeforeDurable,
      PrintStream progress,
      int progressEvery,
      MetaStoreLocation metaStore) {}

  private static final List<String> SERVER_ARGUMENTS =
      List.of(
          "--compaction-threads",
          "1",
          "--cumulative-compaction-min-rowsets",
          "2",
          "--gc-grace-seconds",
          "0",
          "--storage-sweep-seconds",
          "1");
  private static final String LEDGER_COLUMNS =
      " (load_id BIGINT, row_no INT, amount BIGINT) DUPLICATE KEY(load_id)"
          + " DISTRIBUTED BY HASH(load_id) BUCKETS ";

  /**
   * Buckets and properties of the group-commit tables: a group commits 200 ms after its first load,
   * so a cycle's crash falls among groups committed, committing and still open.
   */
  private static final String GROUP_COMMIT_TABLE =
      "2 PROPERTIES (\"group_commit_interval_ms\" = \"200\")";

  private static final long MIN_WORKLOAD_MILLIS = 700;
  private static final long MAX_WORKLOAD_MILLIS = 2_500;

  /** How long a server must have run before a timed-out two-phase load must be aborted. */
  private static final long TIMEOUT_SETTLE_MILLIS = 5_000;

  private final Options options;
  private final Path dataDirectory;
  private final CrashReport report = new CrashReport();
  private final CrashLedger inserted = new CrashLedger("crash.ledger");
  private final CrashLedger streamed = new CrashLedger("crash.streamed");
  private final CrashLedger groupedSync = new CrashLedger("crash.grouped_sync");
  private final CrashLedger groupedAsync = new CrashLedger("crash.grouped_async");
  private final CrashTwoPhase twoPhase = new CrashTwoPhase();
  private final CrashAccounts accounts = new CrashAccounts();
  private final AtomicLong nextLoadId = new AtomicLong(1);

  /**
   * Per fault point, the upper bound of the hit to halt at, adapted so about half the tries halt.
   */
  private final Map<FaultPoint, Integer> hitBounds = new EnumMap<>(FaultPoint.class);

  private ChildJvm childJvm;

  CrashHarness(Options options) {
    this.options = options;
    this.dataDirectory = options.directory().resolve("data");
    for (FaultPoint point : FaultPoint.values()) {
      hitBounds.put(point, 12);
    }
  }

  /** Runs every cycle (stopping at the first violation) and a final clean check. */
  CrashReport run() throws Exception {
    Random random = new Random(options.seed());
    setUp();
    for (int cycle = 0;
        cycle < options.cycles()
            && report.violations().isEmpty()
            && System.currentTimeMillis() < options.deadlineMillis();
        cycle++) {
      report.cycles.incrementAndGet();
      long cycleStart = System.currentTimeMillis();
      cycle(cycle, random);
      report.cycleWallMillis.addAndGet(System.currentTimeMillis() - cycleStart);
      if (options.progress() != null && (cycle + 1) % options.progressEvery() == 0) {
        options.progress().printf("crash harness: %s (load average %s)%n", report, loadAverage());
      }
    }
    if (report.violations().isEmpty()) {
      finalCheck();
    }
    return report;
  }

  private void setUp() throws Exception {
    childJvm = ChildJvm.withSharedArchive(options.directory());
    // This first child makes the shared archive at its (clean) exit; later ones map it.
    ServerProcess server = start(List.of(), false);
    try (Connection connection = server.connect()) {
      execute(connection, "CREATE DATABASE crash");
      execute(connection, "CREATE TABLE crash.ledger" + LEDGER_COLUMNS + "3");
      execute(connection, "CREATE TABLE crash.streamed" + LEDGER_COLUMNS + "2");
      execute(connection, "CREATE TABLE crash.staged" + LEDGER_COLUMNS + "2");
      execute(connection, "CREATE TABLE crash.grouped_sync" + LEDGER_COLUMNS + GROUP_COMMIT_TABLE);
      execute(connection, "CREATE TABLE crash.grouped_async" + LEDGER_COLUMNS + GROUP_COMMIT_TABLE);
      execute(connection, CrashAccounts.DDL);
    } finally {
      server.terminate();
    }
  }

  private void cycle(int cycle, Random random) throws Exception {
    String context = "seed " + options.seed() + ", cycle " + cycle;
    Set<String> leftovers = offlineCheck(context);
    FaultPoint point = null;
    int haltAt = 0;
    List<String> jvmOptions = new ArrayList<>();
    if (!options.acknowledgeBeforeDurable() && random.nextInt(10) < 6) {
      point = FaultPoint.values()[random.nextInt(FaultPoint.values().length)];
      haltAt = 1 + random.nextInt(hitBounds.get(point));
      jvmOptions.add("-Dbasalt.fault.halt-at=" + haltAt);
      jvmOptions.add("-Dbasalt.fault.points=" + point.propertyName());
    }
    ServerProcess server;
    long startingAt = System.currentTimeMillis();
    try {
      server = start(jvmOptions, options.acknowledgeBeforeDurable());
      report.startMillis.addAndGet(System.currentTimeMillis() - startingAt);
    } catch (ServerProcess.HaltedBeforeReady halted) {
      report.haltsWhileStarting.incrementAndGet();
      report.halted(point.propertyName());
      adapt(point, true);
      return;
    }
    long readyAt = System.currentTimeMillis();
    try {
      try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
        recover(client);
        check(server, context);
        awaitCollected(server, leftovers, context);
        report.checkMillis.addAndGet(System.currentTimeMillis() - readyAt);
        if (report.violations().isEmpty() && workload(server, client, random, cycle, readyAt)) {
          report.randomKills.incrementAndGet();
          adapt(point, false);
          return;
        }
      }
    } catch (Exception | AssertionError e) {
      if (!diedOnItsOwn(server, new AtomicBoolean())) {
        report.unexpectedError(context + ": recovery or check failed: " + e);
      }
    }
    if (server.isAlive()) {
      // A violation ended the cycle before its workload.
      server.kill();
      return;
    }
    int exit = server.exitCode();
    if (exit == FaultPoints.HALT_EXIT_CODE) {
      report.halted(point == null ? "unknown" : point.propertyName());
      adapt(point, true);
    } else {
      report.unexpectedExit(context + ": server exited with " + exit + ":\n" + tail(server.log()));
    }
  }

  private void adapt(FaultPoint point, boolean halted) {
    if (point == null) {
      return;
    }
    int bound = hitBounds.get(point);
    hitBounds.put(point, halted ? Math.min(5_000, bound * 5 / 4 + 1) : Math.max(4, bound * 3 / 4));
  }

  /** The server is gone, and not because of an error of its own: halted at a fault point. */
  private static boolean diedOnItsOwn(ServerProcess server, AtomicBoolean killing)
      throws InterruptedException {
    for (int wait = 0; wait < 50 && server.isAlive(); wait++) {
      Thread.sleep(100);
    }
    if (server.isAlive()) {
      return killing.get();
    }
    return killing.get() || server.exitCode() == FaultPoints.HALT_EXIT_CODE;
  }

  /**
   * With the server down: every segment file the catalog references exists; returns the
   * unreferenced segment files and temporaries on disk, which the next server must collect.
   */
  private Set<String> offlineCheck(String context) throws IOException {
    Set<String> referenced;
    try (JdbcMetaStore store = openCatalogOffline()) {
      referenced = Catalog.open(store).referencedSegmentPaths();
    }
    for (String path : referenced) {
      if (!Files.isRegularFile(dataDirectory.resolve(path))) {
        report.lost(context + ": the catalog references the missing file " + path);
      }
    }
    Set<String> leftovers = new HashSet<>();
    Path data = dataDirectory.resolve("data");
    if (Files.isDirectory(data)) {
      try (Stream<Path> files = Files.walk(data)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String path = dataDirectory.relativize(file).toString().replace('\\', '/');
          if (!referenced.contains(path)) {
            leftovers.add(path);
          }
        }
      }
    }
    // Group-commit logs left by the crash: the next start replays and deletes every one.
    Path wal = dataDirectory.resolve("wal");
    if (Files.isDirectory(wal)) {
      try (Stream<Path> files = Files.list(wal)) {
        for (Path file : files.toList()) {
          String path = dataDirectory.relativize(file).toString().replace('\\', '/');
          if (path.endsWith(".unreplayable")) {
            report.violation("UNREPLAYABLE " + context + ": " + path);
          }
          leftovers.add(path);
        }
      }
    }
    return leftovers;
  }

  /**
   * The catalog as the next start will find it: a copy of the SQLite files (so the server's own
   * recovery is what runs at start), or the PostgreSQL table itself (PostgreSQL recovers on its
   * own; the child is down).
   */
  private JdbcMetaStore openCatalogOffline() throws IOException {
    if (!options.metaStore().isSqlite()) {
      return options.metaStore().open(dataDirectory);
    }
    Path copy = options.directory().resolve("catalog-copy");
    Files.createDirectories(copy);
    try (Stream<Path> old = Files.list(copy)) {
      for (Path file : old.toList()) {
        Files.delete(file);
      }
    }
    Path meta = dataDirectory.resolve("meta");
    try (Stream<Path> files = Files.list(meta)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return JdbcMetaStore.openSqlite(copy.resolve("catalog.db"));
  }

  private void awaitCollected(ServerProcess server, Set<String> leftovers, String context)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Set<String> remaining = new HashSet<>(leftovers);
    while (!remaining.isEmpty() && System.nanoTime() < deadline) {
      remaining.removeIf(path -> !Files.exists(dataDirectory.resolve(path)));
      if (!remaining.isEmpty()) {
        if (!server.isAlive()) {
          // Halted at a fault point, possibly in the sweep deleting these files: the next cycle's
          // offline check notes what is still there and waits for its collection again.
          report.orphansCollected.addAndGet(leftovers.size() - remaining.size());
          return;
        }
        Thread.sleep(50);
      }
    }
    if (!remaining.isEmpty()) {
      report.violation(
          "UNCOLLECTED "
              + context
              + ": unreferenced files stay: "
              + remaining
              + "\nserver log:\n"
              + tail(server.log()));
    }
    report.orphansCollected.addAndGet(leftovers.size() - remaining.size());
  }

  /** Settles what the last crash left in doubt and that a client would retry. */
  private void recover(StreamLoadClient client) throws Exception {
    for (CrashLedger.Load load : streamed.inDoubt()) {
      streamLoad(client, load, true);
    }
    for (CrashTwoPhase.Txn txn : twoPhase.all()) {
      switch (txn.state) {
        case PRECOMMIT_IN_DOUBT -> {
          // One with a short timeout may be aborted by the server any moment: leave it (it must
          // stay invisible).
          if (!txn.timingOut && twoPhase.precommit(client, txn, 600, report)) {
            twoPhase.commit(client, txn, report);
          }
        }
        case PRECOMMITTED, COMMIT_IN_DOUBT -> twoPhase.commit(client, txn, report);
        case ABORT_IN_DOUBT -> twoPhase.abort(client, txn, report);
        default -> {}
      }
    }
  }

  private void check(ServerProcess server, String context) throws SQLException {
    try (Connection connection = server.connect()) {
      inserted.check(loads(connection, inserted.table()), report, context);
      streamed.check(loads(connection, streamed.table()), report, context);
      groupedSync.check(loads(connection, groupedSync.table()), report, context);
      groupedAsync.check(loads(connection, groupedAsync.table()), report, context);
      twoPhase.check(loads(connection, "crash.staged"), report, context);
      TreeMap<Integer, String> rows = new TreeMap<>();
      try (Statement statement = connection.createStatement();
          ResultSet result =
              statement.executeQuery("SELECT k, balance, ops FROM " + CrashAccounts.TABLE)) {
        while (result.next()) {
          String previous = rows.put(result.getInt(1), result.getLong(2) + "|" + result.getLong(3));
          if (previous != null) {
            report.duplicated(context + ": key " + result.getInt(1) + " twice in accounts");
          }
        }
      }
      accounts.check(rows, report, context);
    }
  }

  private static Map<Long, long[]> loads(Connection connection, String table) throws SQLException {
    Map<Long, long[]> found = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT load_id, count(*), sum(amount) FROM " + table + " GROUP BY load_id")) {
      while (rows.next()) {
        found.put(rows.getLong(1), new long[] {rows.getLong(2), rows.getLong(3)});
      }
    }
    return found;
  }

  /**
   * Runs the writers for a random time, then kills the server unless it stopped at its fault point
   * before.
   *
   * @return whether this killed the server (it was still running)
   */
  private boolean workload(
      ServerProcess server, StreamLoadClient client, Random random, int cycle, long readyAt)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean killing = new AtomicBoolean();
    long seed = options.seed() * 1_000_003L + cycle;
    List<Thread> writers = new ArrayList<>();
    String context = "seed " + options.seed() + ", cycle " + cycle;
    for (int thread = 0; thread < 2; thread++) {
      Random own = new Random(seed + thread);
      writers.add(
          writer(
              "insert-" + thread,
              server,
              stop,
              killing,
              context,
              () -> insertLoop(server, own, stop)));
    }
    Random streamRandom = new Random(seed + 10);
    writers.add(
        writer(
            "stream",
            server,
            stop,
            killing,
            context,
            () -> streamLoop(client, streamRandom, stop)));
    Random twoPhaseRandom = new Random(seed + 20);
    writers.add(
        writer(
            "two-phase",
            server,
            stop,
            killing,
            context,
            () -> twoPhaseLoop(client, twoPhaseRandom, stop, readyAt)));
    Random groupSyncRandom = new Random(seed + 40);
    writers.add(
        writer(
            "group-sync",
            server,
            stop,
            killing,
            context,
            () -> groupSyncLoop(client, groupSyncRandom, stop)));
    Random groupAsyncRandom = new Random(seed + 50);
    writers.add(
        writer(
            "group-async",
            server,
            stop,
            killing,
            context,
            () -> groupAsyncLoop(server, client, groupAsyncRandom, stop)));
    Random accountsRandom = new Random(seed + 30);
    writers.add(
        writer(
            "accounts",
            server,
            stop,
            killing,
            context,
            () -> accountsLoop(server, accountsRandom, stop)));
    long duration =
        MIN_WORKLOAD_MILLIS
            + (long) (random.nextDouble() * (MAX_WORKLOAD_MILLIS - MIN_WORKLOAD_MILLIS));
    long end = System.currentTimeMillis() + duration;
    while (System.currentTimeMillis() < end && server.isAlive()) {
      Thread.sleep(20);
    }
    boolean killed = server.isAlive();
    // Writers that fail from here on fail because of this kill.
    killing.set(killed);
    stop.set(true);
    if (killed) {
      server.kill();
    }
    for (Thread writer : writers) {
      writer.join(TimeUnit.SECONDS.toMillis(120));
    }
    report.workloadMillis.addAndGet(duration);
    return killed;
  }

  /** A piece of the workload that may fail because the server dies. */
  @FunctionalInterface
  private interface WriterLoop {
    void run() throws Exception;
  }

  private Thread writer(
      String name,
      ServerProcess server,
      AtomicBoolean stop,
      AtomicBoolean killing,
      String context,
      WriterLoop loop) {
    return Thread.ofPlatform()
        .name("crash-writer-" + name)
        .start(
            () -> {
              try {
                loop.run();
              } catch (Exception | AssertionError e) {
                try {
                  if (!diedOnItsOwn(server, killing)) {
                    report.unexpectedError(context + ": writer " + name + " failed: " + e);
                  }
                } catch (InterruptedException interrupted) {
                  Thread.currentThread().interrupt();
                }
              }
              stop.set(true);
            });
  }

  private CrashLedger.Load newLoad(Random random, boolean csv) {
    long id = nextLoadId.getAndIncrement();
    int rows = 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 12);
    long sum = 0;
    StringBuilder body = new StringBuilder();
    for (int row = 0; row < rows; row++) {
      long amount = random.nextInt(2_000) - 500;
      sum += amount;
      if (csv) {
        body.append(id).append(',').append(row).append(',').append(amount).append('\n');
      } else {
        body.append(row == 0 ? "(" : ", (").append(id).append(", ").append(row);
        body.append(", ").append(amount).append(')');
      }
    }
    return new CrashLedger.Load(id, rows, sum, body.toString());
  }

  private void insertLoop(ServerProcess server, Random random, AtomicBoolean stop)
      throws Exception {
    try (Connection connection = server.connect()) {
      while (!stop.get()) {
        CrashLedger.Load load = newLoad(random, false);
        inserted.sending(load);
        execute(connection, "INSERT INTO crash.ledger VALUES " + load.body());
        inserted.acknowledged(load.id());
        report.acknowledgedWrites.incrementAndGet();
      }
    }
  }

  private void streamLoop(StreamLoadClient client, Random random, AtomicBoolean stop)
      throws Exception {
    while (!stop.get()) {
      CrashLedger.Load load = newLoad(random, true);
      streamed.sending(load);
      streamLoad(client, load, false);
    }
  }

  /**
   * Stream-loads {@code load} with its label; a retry may find the label used by the same load
   * (acknowledged before the crash, or committed just before it): then it is not loaded again.
   */
  private void streamLoad(StreamLoadClient client, CrashLedger.Load load, boolean retry)
      throws Exception {
    JsonNode answer =
        client.load(
            "crash",
            "streamed",
            StreamLoadClient.headers("label", "sl_" + load.id(), "column_separator", ","),
            load.body());
    String status = answer.path("Status").asText();
    if (status.equals("Success")
        || (retry
            && status.equals("Label Already Exists")
            && answer.path("ExistingJobStatus").asText().equals("FINISHED"))) {
      streamed.acknowledged(load.id());
      report.acknowledgedWrites.incrementAndGet();
    } else {
      report.unexpectedError("Stream Load sl_" + load.id() + ": " + answer);
      throw new IllegalStateException("unexpected Stream Load answer " + answer);
    }
  }

  /**
   * Stream Loads with {@code group_commit: sync_mode}: acknowledged ({@code Success}) once the
   * group's commit made them visible, so each must survive every later crash exactly once. A load
   * whose answer was lost cannot be retried (group commit takes no label): it is in doubt, whole or
   * absent.
   */
  private void groupSyncLoop(StreamLoadClient client, Random random, AtomicBoolean stop)
      throws Exception {
    while (!stop.get()) {
      CrashLedger.Load load = newLoad(random, true);
      groupedSync.sending(load);
      groupCommitStreamLoad(client, "grouped_sync", "sync_mode", load);
      groupedSync.acknowledged(load.id());
      report.acknowledgedWrites.incrementAndGet();
    }
  }

  /**
   * Async group commit, alternating Stream Loads ({@code group_commit: async_mode}) and INSERTs in
   * a session with {@code SET group_commit = async_mode}: acknowledged once the load's record in
   * the group's write-ahead log is forced, before its rows are visible. Each must survive every
   * later crash exactly once: committed by its group, or replayed from the log at the next start
   * (docs/stream-load.md, Group commit), never both.
   */
  private void groupAsyncLoop(
      ServerProcess server, StreamLoadClient client, Random random, AtomicBoolean stop)
      throws Exception {
    try (Connection connection = server.connect()) {
      execute(connection, "SET group_commit = async_mode");
      while (!stop.get()) {
        boolean insert = random.nextBoolean();
        CrashLedger.Load load = newLoad(random, !insert);
        groupedAsync.sending(load);
        if (insert) {
          try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO crash.grouped_async VALUES " + load.body());
            if (statement.getUpdateCount() != load.rows()) {
              throw new IllegalStateException(
                  "async INSERT of "
                      + load.rows()
                      + " rows answered "
                      + statement.getUpdateCount());
            }
          }
        } else {
          groupCommitStreamLoad(client, "grouped_async", "async_mode", load);
        }
        groupedAsync.acknowledged(load.id());
        report.acknowledgedWrites.incrementAndGet();
      }
    }
  }

  private void groupCommitStreamLoad(
      StreamLoadClient client, String table, String mode, CrashLedger.Load load) throws Exception {
    JsonNode answer =
        client.load(
            "crash",
            table,
            StreamLoadClient.headers("group_commit", mode, "column_separator", ","),
            load.body());
    if (!answer.path("Status").asText().equals("Success")
        || !answer.path("GroupCommit").asBoolean()
        || answer.path("NumberLoadedRows").asLong() != load.rows()) {
      report.unexpectedError("group commit (" + mode + ") load " + load.id() + ": " + answer);
      throw new IllegalStateException("unexpected group commit answer " + answer);
    }
  }

  private void twoPhaseLoop(
      StreamLoadClient client, Random random, AtomicBoolean stop, long readyAt) throws Exception {
    while (!stop.get()) {
      settleTimedOut(client, readyAt);
      boolean timingOut = random.nextInt(10) == 0;
      CrashTwoPhase.Txn txn = twoPhase.start(newLoad(random, true), timingOut);
      if (!twoPhase.precommit(
          client, txn, timingOut ? CrashTwoPhase.SHORT_TIMEOUT_SECONDS : 600, report)) {
        throw new IllegalStateException("pre-commit refused");
      }
      int choice = random.nextInt(10);
      if (timingOut || choice < 2) {
        continue; // left pre-committed: the crash must keep it, or the server must time it out
      }
      if (choice < 8) {
        twoPhase.commit(client, txn, report);
        if (txn.state == CrashTwoPhase.State.COMMITTED) {
          report.acknowledgedWrites.incrementAndGet();
        }
      } else {
        twoPhase.abort(client, txn, report);
      }
    }
  }

  /** Two-phase loads left past their timeout in a server that ran long enough must be aborted. */
  private void settleTimedOut(StreamLoadClient client, long readyAt) throws Exception {
    long now = System.currentTimeMillis();
    if (now - readyAt < TIMEOUT_SETTLE_MILLIS) {
      return;
    }
    for (CrashTwoPhase.Txn txn : twoPhase.all()) {
      if (txn.state == CrashTwoPhase.State.TIMING_OUT
          && now - txn.precommittedAtMillis >= TIMEOUT_SETTLE_MILLIS) {
        twoPhase.expectTimedOut(client, txn, report);
      }
    }
  }

  private void accountsLoop(ServerProcess server, Random random, AtomicBoolean stop)
      throws Exception {
    try (Connection connection = server.connect()) {
      int statements = 0;
      while (!stop.get()) {
        if (++statements % 10 == 0) {
          execute(connection, "ADMIN COMPACT TABLE " + CrashAccounts.TABLE);
          continue;
        }
        CrashAccounts.Operation operation = accounts.next(random);
        accounts.sending(operation);
        execute(connection, operation.sql());
        accounts.acknowledged(operation);
        report.acknowledgedWrites.incrementAndGet();
      }
    }
  }

  /** A last start without faults: settles everything, waits for the timeouts, checks, stops. */
  private void finalCheck() throws Exception {
    String context = "seed " + options.seed() + ", final check";
    Set<String> leftovers = offlineCheck(context);
    ServerProcess server = start(List.of(), options.acknowledgeBeforeDurable());
    long readyAt = System.currentTimeMillis();
    try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      recover(client);
      check(server, context);
      awaitCollected(server, leftovers, context);
      long settle = readyAt + TIMEOUT_SETTLE_MILLIS - System.currentTimeMillis();
      if (settle > 0) {
        Thread.sleep(settle);
      }
      Thread.sleep(TIMEOUT_SETTLE_MILLIS);
      settleTimedOut(client, readyAt);
      check(server, context + " after the two-phase timeouts");
    } finally {
      server.terminate();
    }
  }

  private ServerProcess start(List<String> faultOptions, boolean acknowledgeBeforeDurable)
      throws Exception {
    List<String> jvmOptions = new ArrayList<>(childJvm.options());
    jvmOptions.addAll(faultOptions);
    if (acknowledgeBeforeDurable) {
      jvmOptions.add("-Dbasalt.fault.acknowledge-before-durable=true");
    }
    List<String> arguments = new ArrayList<>(SERVER_ARGUMENTS);
    if (!options.metaStore().isSqlite()) {
      arguments.addAll(
          List.of(
              "--meta",
              options.metaStore().postgresUrl(),
              "--meta-table",
              options.metaStore().table()));
    }
    return ServerProcess.start(
        dataDirectory,
        options.directory().resolve("server.log"),
        "384m",
        arguments,
        jvmOptions,
        // A shared machine's load can spike; a slow start is not what the harness is after.
        Duration.ofMinutes(5),
        childJvm.classPath());
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String tail(String log) {
    return log.length() <= 4_000 ? log : log.substring(log.length() - 4_000);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }
}
