package dev.basalt.meta.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.StoredTypeChange;
import dev.basalt.common.type.TypeKind;
import dev.basalt.meta.privilege.AccessRights;
import dev.basalt.meta.privilege.Privilege;
import dev.basalt.meta.privilege.PrivilegeGrant;
import dev.basalt.meta.privilege.PrivilegeLevel;
import dev.basalt.meta.statistics.StatisticsStore;
import dev.basalt.meta.store.KeyValue;
import dev.basalt.meta.store.MetaStore;
import dev.basalt.meta.store.MetaStoreConflictException;
import dev.basalt.meta.store.StoreChange;
import dev.basalt.meta.store.WriteBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The catalog: databases, tables with their partitions and tablets, rowsets, load labels and users,
 * persisted in a {@link MetaStore} and cached in memory.
 *
 * <p><b>Life cycle.</b> {@link #open(MetaStore)} loads everything from the store (initializing a
 * new store with the {@code root} user); the caller owns the store and closes it after it stops
 * using the catalog.
 *
 * <p><b>Persistence.</b> Every change is one atomic store commit, made before the in-memory state
 * changes, so a method that returned has made its change durable and a method that threw has
 * changed nothing. Keys: {@code catalog/version} (bumped with compare-and-set by every change, so
 * that a second writer on a shared store is detected), {@code seq/next_id} (ids are reserved in
 * blocks; ids of a block unused at shutdown are skipped, so ids are unique and increasing but not
 * contiguous), {@code db/<id>}, {@code table/<id>} (the table with its partitions and their visible
 * versions as of its last definition change), {@code partition_version/<tableId>/<partitionId>} (a
 * partition's current visible version, moved by every load; docs/format.md §13), {@code
 * rowset/<tableId>/<tabletId>/<rowsetId>}, {@code delete/<tableId>/<tabletId>/<version>}, {@code
 * label/<databaseId>/<label>}, {@code txn/<databaseId>/<transactionId>} (two-phase loads, {@link
 * TwoPhaseLoad}), {@code user/<name>} (with the user's grants and roles) and {@code role/<name>},
 * each a JSON document.
 *
 * <p><b>Threads.</b> Thread safe: readers never block and see each table as of one commit (records
 * are immutable and replaced whole). Load and compaction commits take only their table's lock, so
 * commits into different tables run in parallel and do not touch {@code catalog/version}; DDL and
 * user changes take the catalog-wide lock (then the table's).
 *
 * <p><b>Names.</b> Database and table names are case-sensitive; column names case-insensitive. This
 * class checks structure (existence, uniqueness, key columns leading); the DDL layer checks Doris's
 * model rules before calling it.
 */
public final class Catalog {
  /** The user that exists in every new catalog, with an empty password; it cannot be dropped. */
  public static final String ROOT_USER = "root";

  /**
   * Buckets given to a {@code BUCKETS AUTO} table (Doris estimates from data size; we do not yet).
   */
  public static final int AUTO_BUCKET_COUNT = 1;

  private static final String VERSION_KEY = "catalog/version";
  private static final String NEXT_ID_KEY = "seq/next_id";
  private static final long FIRST_ID = 10_000;
  private static final int ID_BLOCK = 1_000;

  /**
   * AUTO_INCREMENT values a table reserves at a time: one metadata write per block, and at most
   * this many values skipped when the server restarts (values are unique, not dense, as in Doris).
   */
  private static final int AUTO_INCREMENT_BLOCK = 4_096;

  private final MetaStore store;
  private final StatisticsStore statistics;
  private final LongSupplier clock;

  /**
   * Serializes catalog-wide changes (DDL, users, roles). Lock order: {@code writeLock}, then a
   * table's lock ({@link #tableLock}), then {@code idLock}; the metadata store's own lock is taken
   * last, inside {@link MetaStore#commit}.
   */
  private final ReentrantLock writeLock = new ReentrantLock();

  /** Files forced since their load stored copies of them; the next commit deletes the copies. */
  private final java.util.concurrent.ConcurrentLinkedQueue<String> durableCopies =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /**
   * One lock per table, taken by the commits of loads and compactions into that table and by DDL
   * that replaces the table's entry, so commits into different tables run in parallel.
   */
  private final Map<Long, ReentrantLock> tableLocks = new ConcurrentHashMap<>();

  /** Guards {@link #nextId} and {@link #reservedIdLimit}. */
  private final ReentrantLock idLock = new ReentrantLock();

  /** Guards {@link #autoIncrementRanges}; taken alone (no other catalog lock inside it). */
  private final ReentrantLock autoIncrementLock = new ReentrantLock();

  /**
   * Table id to its reserved AUTO_INCREMENT range {@code [next, limit)}; only {@code limit} is
   * stored, so after a restart a table continues after its last reservation.
   */
  private final Map<Long, long[]> autoIncrementRanges = new HashMap<>();

  /**
   * The value of {@code catalog/version} this cache is at. Written under {@code writeLock}; read
   * without it by load and compaction commits on a shared store, which require it unchanged so that
   * they fail (and retry on a fresh snapshot) after another front end's DDL.
   */
  private volatile long catalogVersion;

  /**
   * The last commit of a shared store's change log this cache has applied ({@link #refresh});
   * written under {@code writeLock}.
   */
  private volatile long appliedSequence;

  // Guarded by idLock.
  private long nextId;
  private long reservedIdLimit;

  /**
   * Labels of loads being committed, {@code <databaseId>/<label>}, so that two loads into different
   * tables cannot both take one label.
   */
  private final Set<String> labelsBeingCommitted = ConcurrentHashMap.newKeySet();

  private final Map<String, DatabaseMeta> databasesByName = new ConcurrentHashMap<>();
  private final Map<Long, DatabaseMeta> databasesById = new ConcurrentHashMap<>();
  private final Map<Long, TableEntry> tablesById = new ConcurrentHashMap<>();

  /** database id → table name → table id. */
  private final Map<Long, Map<String, Long>> tableIdsByName = new ConcurrentHashMap<>();

  /** database id → label → record. */
  private final Map<Long, Map<String, LoadRecord>> labels = new ConcurrentHashMap<>();

  /**
   * database id → transaction id → record of a failed load (SHOW LOAD's CANCELLED rows), kept for
   * {@code label_keep_max_second} and at most {@link #FAILED_LOADS_KEPT} per database.
   */
  private final Map<Long, java.util.NavigableMap<Long, LoadRecord>> failedLoads =
      new ConcurrentHashMap<>();

  /** The failed loads a database keeps at most; older ones go first. */
  static final int FAILED_LOADS_KEPT = 10_000;

  /**
   * database id → job id → schema change job (SHOW ALTER TABLE COLUMN), at most {@link
   * #ALTER_JOBS_KEPT} per database.
   */
  private final Map<Long, java.util.NavigableMap<Long, AlterJob>> alterJobs =
      new ConcurrentHashMap<>();

  /** The schema change jobs a database keeps at most; older ones go first. */
  static final int ALTER_JOBS_KEPT = 1_000;

  private static final String ALTER_JOB_PREFIX = "alter_job/";

  /** transaction id → two-phase load (pre-committed, or finished and not yet expired). */
  private final Map<Long, TwoPhaseLoad> twoPhaseLoads = new ConcurrentHashMap<>();

  /** database id → view name → view. */
  private final Map<Long, Map<String, ViewMeta>> viewsByDatabase = new ConcurrentHashMap<>();

  /**
   * Raised by every change to a view (create, replace, alter, drop, and DROP DATABASE of a database
   * with views), so a cached plan made over views can tell it is stale.
   */
  private final java.util.concurrent.atomic.AtomicLong viewsVersion =
      new java.util.concurrent.atomic.AtomicLong();

  private final Map<String, UserMeta> users = new ConcurrentHashMap<>();
  private final Map<String, RoleMeta> roles = new ConcurrentHashMap<>();

  /** What {@link #snapshot} waits for first; see {@link #readBarrier}. */
  private volatile TableReadBarrier readBarrier = TableReadBarrier.NONE;

  /**
   * Roles every catalog has, as in Doris: {@code admin} and {@code operator} hold ADMIN on {@code
   * *.*}. They are not stored and cannot be dropped or changed.
   */
  public static final List<RoleMeta> BUILT_IN_ROLES =
      List.of(
          new RoleMeta(
              "admin", List.of(new PrivilegeGrant(PrivilegeLevel.GLOBAL, Set.of(Privilege.ADMIN)))),
          new RoleMeta(
              "operator",
              List.of(new PrivilegeGrant(PrivilegeLevel.GLOBAL, Set.of(Privilege.ADMIN)))));

  /**
   * A table, its rowsets per tablet (ordered by version) and, for merge-on-write tables, the delete
   * layers per tablet (ordered by version); replaced whole on every change, so a reader that takes
   * one entry sees rowsets and delete marks of the same commit.
   */
  private record TableEntry(
      TableMeta meta,
      Map<Long, List<RowsetMeta>> rowsetsByTablet,
      Map<Long, List<SegmentDeletes>> deletesByTablet) {
    TableEntry(TableMeta meta, Map<Long, List<RowsetMeta>> rowsetsByTablet) {
      this(meta, rowsetsByTablet, Map.of());
    }
  }

  private Catalog(MetaStore store, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
    this.statistics = StatisticsStore.open(store);
  }

  /** The tables' statistics from ANALYZE (docs/statistics.md), kept beside the catalog. */
  public StatisticsStore statistics() {
    return statistics;
  }

  /** Opens the catalog kept in {@code store}, creating an empty one (with {@code root}) if new. */
  public static Catalog open(MetaStore store) {
    return open(store, System::currentTimeMillis);
  }

  /** As {@link #open(MetaStore)} with a clock for creation and version times (tests). */
  public static Catalog open(MetaStore store, LongSupplier clock) {
    Catalog catalog = new Catalog(store, clock);
    // Read before loading: commits made while loading are applied again by the first refresh.
    catalog.appliedSequence = store.lastChangeSequence();
    catalog.load();
    return catalog;
  }

  private void load() {
    Optional<byte[]> version = store.get(VERSION_KEY);
    if (version.isEmpty()) {
      WriteBatch batch = new WriteBatch().requireAbsent(VERSION_KEY).put(VERSION_KEY, number(1));
      UserMeta root = new UserMeta(ROOT_USER, "%", new byte[0]);
      batch.put(userKey(ROOT_USER), CatalogJson.encode(root));
      commitToStore(batch);
      catalogVersion = 1;
    } else {
      catalogVersion = parseNumber(version.get());
    }
    nextId = store.get(NEXT_ID_KEY).map(Catalog::parseNumber).orElse(FIRST_ID);
    reservedIdLimit = nextId;
    for (KeyValue entry : store.scan("db/")) {
      DatabaseMeta database = CatalogJson.decode(entry.key(), entry.value(), DatabaseMeta.class);
      putDatabase(database);
    }
    Map<Long, Map<Long, List<RowsetMeta>>> rowsets = new HashMap<>();
    for (KeyValue entry : store.scan("rowset/")) {
      long tableId = Long.parseLong(entry.key().split("/")[1]);
      RowsetMeta rowset = CatalogJson.decode(entry.key(), entry.value(), RowsetMeta.class);
      rowsets
          .computeIfAbsent(tableId, id -> new HashMap<>())
          .computeIfAbsent(rowset.tabletId(), id -> new ArrayList<>())
          .add(rowset);
    }
    Map<Long, Map<Long, List<SegmentDeletes>>> deletes = new HashMap<>();
    for (KeyValue entry : store.scan("delete/")) {
      String[] parts = entry.key().split("/");
      long tableId = Long.parseLong(parts[1]);
      long tabletId = Long.parseLong(parts[2]);
      long deleteVersion = Long.parseLong(parts[3]);
      deletes
          .computeIfAbsent(tableId, id -> new HashMap<>())
          .computeIfAbsent(tabletId, id -> new ArrayList<>())
          .addAll(DeleteBitmapCodec.decode(entry.key(), deleteVersion, entry.value()));
    }
    Map<Long, PartitionVersion> partitionVersions = new HashMap<>();
    for (KeyValue entry : store.scan(PARTITION_VERSION_PREFIX)) {
      long partitionId = Long.parseLong(entry.key().split("/")[2]);
      partitionVersions.put(partitionId, PartitionVersion.decode(entry.key(), entry.value()));
    }
    WriteBatch migration = new WriteBatch();
    for (KeyValue entry : store.scan("table/")) {
      TableMeta stored = CatalogJson.decode(entry.key(), entry.value(), TableMeta.class);
      putTable(
          tableEntry(
              stored,
              rowsets.getOrDefault(stored.id(), Map.of()),
              deletes.getOrDefault(stored.id(), Map.of()),
              partitionVersions,
              migration));
    }
    // Provisional tables of a CREATE TABLE ... AS SELECT that never finished (crash): dropped,
    // their segment files left to the garbage collector.
    // In a shared catalog another front end may be running that CREATE TABLE ... AS SELECT now:
    // only tables created longer than PROVISIONAL_TABLE_GRACE_MILLIS ago are dropped.
    for (KeyValue entry : store.scan(PROVISIONAL_PREFIX)) {
      long tableId = Long.parseLong(entry.key().substring(PROVISIONAL_PREFIX.length()));
      TableEntry provisional = tablesById.get(tableId);
      if (provisional != null
          && store.isShared()
          && clock.getAsLong() - provisional.meta().createTime() < PROVISIONAL_TABLE_GRACE_MILLIS) {
        continue;
      }
      TableEntry table = tablesById.remove(tableId);
      if (table != null) {
        deleteTable(migration, table);
        tableIdsByName
            .getOrDefault(table.meta().databaseId(), Map.of())
            .remove(table.meta().name());
      }
      migration.delete(entry.key());
    }
    commitToStore(migration);
    for (KeyValue entry : store.scan("label/")) {
      LoadRecord record = CatalogJson.decode(entry.key(), entry.value(), LoadRecord.class);
      labels
          .computeIfAbsent(record.databaseId(), id -> new ConcurrentHashMap<>())
          .put(record.label(), record);
    }
    for (KeyValue entry : store.scan(FAILED_LOAD_PREFIX)) {
      LoadRecord record = CatalogJson.decode(entry.key(), entry.value(), LoadRecord.class);
      putById(failedLoads, record.databaseId(), record.transactionId(), record);
    }
    for (KeyValue entry : store.scan("txn/")) {
      TwoPhaseLoad load = CatalogJson.decode(entry.key(), entry.value(), TwoPhaseLoad.class);
      twoPhaseLoads.put(load.transactionId(), load);
    }
    for (KeyValue entry : store.scan(ALTER_JOB_PREFIX)) {
      AlterJob job = CatalogJson.decode(entry.key(), entry.value(), AlterJob.class);
      putById(alterJobs, job.databaseId(), job.jobId(), job);
    }
    for (KeyValue entry : store.scan(VIEW_PREFIX)) {
      ViewMeta view = CatalogJson.decode(entry.key(), entry.value(), ViewMeta.class);
      viewsByDatabase
          .computeIfAbsent(view.databaseId(), id -> new ConcurrentHashMap<>())
          .put(view.name(), view);
    }
    for (KeyValue entry : store.scan("user/")) {
      UserMeta user = CatalogJson.decode(entry.key(), entry.value(), UserMeta.class);
      users.put(user.name(), user);
    }
    for (KeyValue entry : store.scan("role/")) {
      RoleMeta role = CatalogJson.decode(entry.key(), entry.value(), RoleMeta.class);
      roles.put(role.name(), role);
    }
  }

  /**
   * A table's in-memory entry from its stored records: its definition, its rowsets and delete
   * layers per tablet (in any order), and the partitions' version records ({@code migration} takes
   * the records of partitions written before versions had their own).
   */
  private static TableEntry tableEntry(
      TableMeta stored,
      Map<Long, List<RowsetMeta>> rowsets,
      Map<Long, List<SegmentDeletes>> deletes,
      Map<Long, PartitionVersion> partitionVersions,
      WriteBatch migration) {
    TableMeta table =
        stored
            .withPartitions(
                withRecordedVersions(stored, stored.partitions(), partitionVersions, migration))
            .withTemporaryPartitions(
                withRecordedVersions(
                    stored, stored.temporaryPartitions(), partitionVersions, migration));
    Map<Long, List<RowsetMeta>> tableRowsets = new HashMap<>();
    for (PartitionMeta partition : allPartitions(table)) {
      for (long tabletId : partition.tabletIds()) {
        List<RowsetMeta> list = new ArrayList<>(rowsets.getOrDefault(tabletId, List.of()));
        list.sort(Comparator.comparingLong(RowsetMeta::startVersion));
        tableRowsets.put(tabletId, List.copyOf(list));
      }
    }
    Map<Long, List<SegmentDeletes>> tableDeletes = new HashMap<>();
    for (Map.Entry<Long, List<SegmentDeletes>> tablet : deletes.entrySet()) {
      List<SegmentDeletes> list = new ArrayList<>(tablet.getValue());
      list.sort(Comparator.comparingLong(SegmentDeletes::version));
      tableDeletes.put(tablet.getKey(), List.copyOf(list));
    }
    return new TableEntry(table, Map.copyOf(tableRowsets), Map.copyOf(tableDeletes));
  }

  // ---------------------------------------------------------------- other front ends' commits

  /**
   * Whether other front ends commit into this catalog's store too (a shared PostgreSQL catalog):
   * then the catalog follows their commits ({@link #refresh}), load and compaction commits retry on
   * a fresh snapshot when another front end committed first, and shared files are collected only
   * after a grace period (docs/architecture.md, "Several front ends").
   */
  public boolean isShared() {
    return store.isShared();
  }

  /**
   * Brings the cache up to date with the commits other front ends made to a shared store: reads the
   * store's change log after the last commit seen and rereads only what those commits touched (a
   * changed table is reread whole: its definition, rowsets, delete layers and versions). A cheap
   * no-op when nothing changed (one read of the log's newest sequence number) or the store is not
   * shared. Called before each statement, before a Stream Load, by a background poller, and after a
   * commit lost a race. Takes the catalog-wide lock, then each changed table's lock, so it must not
   * be called with a table's lock held. Thread safe.
   *
   * @return whether anything was reread
   */
  public boolean refresh() {
    if (!store.isShared()) {
      return false;
    }
    long latest = store.lastChangeSequence();
    if (latest <= appliedSequence) {
      return false;
    }
    writeLock.lock();
    try {
      long from = appliedSequence;
      if (latest <= from) {
        return false;
      }
      Optional<List<StoreChange>> changes = store.changesSince(from);
      Set<String> keys = new HashSet<>();
      long applied = from;
      if (changes.isPresent()) {
        // Own commits are left out, so only other front ends' commits cost a reread.
        applied = latest;
        for (StoreChange change : changes.get()) {
          keys.addAll(change.keys());
          applied = Math.max(applied, change.sequence());
        }
        if (keys.isEmpty()) {
          appliedSequence = applied;
          return false;
        }
      } else {
        // The log was pruned past the last commit seen: reread every cached record (the keys now
        // stored, and the keys cached, to see deletions). The sequence is read first, so commits
        // made during the reread are applied again by the next refresh.
        applied = store.lastChangeSequence();
        keys.addAll(everyCachedAndStoredKey());
      }
      applyChangedKeys(keys);
      appliedSequence = applied;
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /** The keys of every record the cache holds or the store has, for a full reread. */
  private Set<String> everyCachedAndStoredKey() {
    Set<String> keys = new HashSet<>();
    keys.add(VERSION_KEY);
    for (String prefix :
        List.of(
            "db/",
            "table/",
            VIEW_PREFIX,
            "user/",
            "role/",
            "label/",
            FAILED_LOAD_PREFIX,
            "txn/",
            ALTER_JOB_PREFIX)) {
      for (KeyValue entry : store.scan(prefix)) {
        keys.add(entry.key());
      }
    }
    databasesById.keySet().forEach(id -> keys.add(databaseKey(id)));
    tablesById.keySet().forEach(id -> keys.add(tableKey(id)));
    viewsByDatabase
        .values()
        .forEach(views -> views.values().forEach(v -> keys.add(viewKey(v.id()))));
    users.keySet().forEach(name -> keys.add(userKey(name)));
    roles.keySet().forEach(name -> keys.add(roleKey(name)));
    labels.forEach((db, byLabel) -> byLabel.keySet().forEach(l -> keys.add(labelKey(db, l))));
    failedLoads.forEach((db, byId) -> byId.keySet().forEach(id -> keys.add(failedLoadKey(db, id))));
    twoPhaseLoads.values().forEach(t -> keys.add(twoPhaseKey(t.databaseId(), t.transactionId())));
    alterJobs.forEach((db, byId) -> byId.keySet().forEach(id -> keys.add(alterJobKey(db, id))));
    return keys;
  }

  /**
   * Rereads the records under {@code keys} (caller holds the write lock): databases first, then
   * tables (each under its lock), then the rest. Keys of records the cache does not keep (ids,
   * AUTO_INCREMENT reservations, segment copies, statistics) are skipped.
   */
  private void applyChangedKeys(Set<String> keys) {
    Set<Long> databases = new TreeSet<>();
    Set<Long> tables = new TreeSet<>();
    List<String> others = new ArrayList<>();
    boolean versionChanged = false;
    for (String key : keys) {
      String[] parts = key.split("/", 3);
      switch (parts[0]) {
        case "catalog" -> versionChanged |= key.equals(VERSION_KEY);
        case "db" -> databases.add(Long.parseLong(parts[1]));
        case "table", "rowset", "delete", "partition_version", "provisional_table" ->
            tables.add(Long.parseLong(parts[1]));
        case "view", "user", "role", "label", "failedload", "txn", "alter_job" -> others.add(key);
        default -> {}
      }
    }
    // Read before the records, set after them: a load commit that requires this version then
    // finds every table as of at least this version (a DDL committed meanwhile makes it retry).
    Optional<byte[]> version = versionChanged ? store.get(VERSION_KEY) : Optional.empty();
    for (long databaseId : databases) {
      rereadDatabase(databaseId);
    }
    for (long tableId : tables) {
      rereadTable(tableId);
    }
    for (String key : others) {
      rereadRecord(key);
    }
    version.ifPresent(v -> catalogVersion = parseNumber(v));
  }

  /** Puts {@code value} under {@code id} in its database's map of {@code byDatabase}. */
  private static <T> void putById(
      Map<Long, java.util.NavigableMap<Long, T>> byDatabase, long databaseId, long id, T value) {
    byDatabase
        .computeIfAbsent(databaseId, key -> new java.util.concurrent.ConcurrentSkipListMap<>())
        .put(id, value);
  }

  /**
   * Applies the record {@code <prefix>/<database id>/<id>} as stored now ({@code stored}; empty:
   * deleted) to {@code byDatabase}: failed loads and ALTER jobs.
   */
  private static <T> void rereadById(
      Map<Long, java.util.NavigableMap<Long, T>> byDatabase,
      String key,
      String[] parts,
      Optional<byte[]> stored,
      Class<T> type) {
    long databaseId = Long.parseLong(parts[1]);
    long id = Long.parseLong(parts[2]);
    if (stored.isPresent()) {
      putById(byDatabase, databaseId, id, CatalogJson.decode(key, stored.get(), type));
    } else {
      java.util.NavigableMap<Long, T> byId = byDatabase.get(databaseId);
      if (byId != null) {
        byId.remove(id);
      }
    }
  }

  private void rereadDatabase(long databaseId) {
    Optional<byte[]> stored = store.get(databaseKey(databaseId));
    DatabaseMeta cached = databasesById.get(databaseId);
    if (stored.isEmpty()) {
      if (cached != null) {
        for (long tableId :
            List.copyOf(tableIdsByName.getOrDefault(databaseId, Map.of()).values())) {
          tablesById.remove(tableId);
        }
        forgetDatabase(cached, cached.name());
      }
      return;
    }
    DatabaseMeta database =
        CatalogJson.decode(databaseKey(databaseId), stored.get(), DatabaseMeta.class);
    if (cached != null && !cached.name().equals(database.name())) {
      databasesByName.remove(cached.name());
    }
    putDatabase(database);
  }

  /** Rereads one table whole, under its lock (caller holds the write lock). */
  private void rereadTable(long tableId) {
    ReentrantLock lock = tableLock(tableId);
    lock.lock();
    try {
      TableEntry cached = tablesById.get(tableId);
      // One snapshot for all the table's records: a commit landing between two reads would
      // give readers a version without its rowsets, or a compaction's output without its layers.
      List<List<KeyValue>> records =
          store.scanConsistently(
              List.of(
                  tableKey(tableId),
                  "rowset/" + tableId + "/",
                  "delete/" + tableId + "/",
                  PARTITION_VERSION_PREFIX + tableId + "/"));
      Optional<byte[]> stored =
          records.get(0).stream()
              .filter(entry -> entry.key().equals(tableKey(tableId)))
              .map(KeyValue::value)
              .findFirst();
      if (stored.isEmpty() || !databasesById.containsKey(databaseIdOf(stored.get(), tableId))) {
        if (cached != null) {
          tablesById.remove(tableId);
          Map<String, Long> names = tableIdsByName.get(cached.meta().databaseId());
          if (names != null) {
            names.remove(cached.meta().name(), tableId);
          }
        }
        return;
      }
      TableMeta definition = CatalogJson.decode(tableKey(tableId), stored.get(), TableMeta.class);
      Map<Long, List<RowsetMeta>> rowsets = new HashMap<>();
      for (KeyValue entry : records.get(1)) {
        RowsetMeta rowset = CatalogJson.decode(entry.key(), entry.value(), RowsetMeta.class);
        rowsets.computeIfAbsent(rowset.tabletId(), id -> new ArrayList<>()).add(rowset);
      }
      Map<Long, List<SegmentDeletes>> deletes = new HashMap<>();
      for (KeyValue entry : records.get(2)) {
        String[] parts = entry.key().split("/");
        deletes
            .computeIfAbsent(Long.parseLong(parts[2]), id -> new ArrayList<>())
            .addAll(DeleteBitmapCodec.decode(entry.key(), Long.parseLong(parts[3]), entry.value()));
      }
      Map<Long, PartitionVersion> versions = new HashMap<>();
      for (KeyValue entry : records.get(3)) {
        versions.put(
            Long.parseLong(entry.key().split("/")[2]),
            PartitionVersion.decode(entry.key(), entry.value()));
      }
      // A migration is the writing front end's business; a reread only reads.
      TableEntry fresh = tableEntry(definition, rowsets, deletes, versions, new WriteBatch());
      if (cached != null
          && (cached.meta().databaseId() != definition.databaseId()
              || !cached.meta().name().equals(definition.name()))) {
        Map<String, Long> names = tableIdsByName.get(cached.meta().databaseId());
        if (names != null) {
          names.remove(cached.meta().name(), tableId);
        }
      }
      putTable(fresh);
    } finally {
      lock.unlock();
    }
  }

  private static long databaseIdOf(byte[] tableRecord, long tableId) {
    return CatalogJson.decode(tableKey(tableId), tableRecord, TableMeta.class).databaseId();
  }

  /** Rereads a view, user, role, label, failed load or two-phase load record. */
  private void rereadRecord(String key) {
    Optional<byte[]> stored = store.get(key);
    String[] parts = key.split("/", 3);
    switch (parts[0]) {
      case "view" -> {
        long id = Long.parseLong(parts[1]);
        viewsByDatabase.values().forEach(views -> views.values().removeIf(v -> v.id() == id));
        stored.ifPresent(
            bytes -> {
              ViewMeta view = CatalogJson.decode(key, bytes, ViewMeta.class);
              viewsByDatabase
                  .computeIfAbsent(view.databaseId(), d -> new ConcurrentHashMap<>())
                  .put(view.name(), view);
            });
        viewsVersion.incrementAndGet();
      }
      case "user" ->
          stored.ifPresentOrElse(
              bytes ->
                  users.put(
                      key.substring("user/".length()),
                      CatalogJson.decode(key, bytes, UserMeta.class)),
              () -> users.remove(key.substring("user/".length())));
      case "role" ->
          stored.ifPresentOrElse(
              bytes ->
                  roles.put(
                      key.substring("role/".length()),
                      CatalogJson.decode(key, bytes, RoleMeta.class)),
              () -> roles.remove(key.substring("role/".length())));
      case "label" -> {
        long databaseId = Long.parseLong(parts[1]);
        stored.ifPresentOrElse(
            bytes ->
                labels
                    .computeIfAbsent(databaseId, id -> new ConcurrentHashMap<>())
                    .put(parts[2], CatalogJson.decode(key, bytes, LoadRecord.class)),
            () -> labels.getOrDefault(databaseId, new HashMap<>()).remove(parts[2]));
      }
      case "failedload" -> rereadById(failedLoads, key, parts, stored, LoadRecord.class);
      case "alter_job" -> rereadById(alterJobs, key, parts, stored, AlterJob.class);
      case "txn" -> {
        long transactionId = Long.parseLong(parts[2]);
        stored.ifPresentOrElse(
            bytes ->
                twoPhaseLoads.put(
                    transactionId, CatalogJson.decode(key, bytes, TwoPhaseLoad.class)),
            () -> twoPhaseLoads.remove(transactionId));
      }
      default -> {}
    }
  }

  /**
   * {@code partitions} with the versions their version records hold; a partition without a record
   * but with a version above 1 (written before versions had their own records) gets one in {@code
   * migration}, so that every committed partition has a record to compare-and-set.
   */
  private static List<PartitionMeta> withRecordedVersions(
      TableMeta table,
      List<PartitionMeta> partitions,
      Map<Long, PartitionVersion> partitionVersions,
      WriteBatch migration) {
    List<PartitionMeta> current = new ArrayList<>();
    for (PartitionMeta partition : partitions) {
      PartitionVersion recorded = partitionVersions.get(partition.id());
      if (recorded != null) {
        current.add(partition.withVersion(recorded.version(), recorded.timeMillis()));
      } else {
        if (partition.visibleVersion() > 1) {
          migration.put(
              partitionVersionKey(table.id(), partition.id()),
              new PartitionVersion(partition.visibleVersion(), partition.visibleVersionTime())
                  .encode());
        }
        current.add(partition);
      }
    }
    return current;
  }

  /** The formal partitions of a table followed by its temporary ones. */
  private static List<PartitionMeta> allPartitions(TableMeta table) {
    if (table.temporaryPartitions().isEmpty()) {
      return table.partitions();
    }
    List<PartitionMeta> all = new ArrayList<>(table.partitions());
    all.addAll(table.temporaryPartitions());
    return all;
  }

  // ---------------------------------------------------------------- ids

  /**
   * A new id, unique across all catalog objects, for naming things before they are committed
   * (rowset and segment files). Ids are increasing but not contiguous.
   */
  public long allocateId() {
    return nextIdLocked();
  }

  /** The next id (takes the id lock; may be called with or without other catalog locks). */
  private long nextIdLocked() {
    idLock.lock();
    try {
      return nextIdUnderIdLock();
    } finally {
      idLock.unlock();
    }
  }

  private long nextIdUnderIdLock() {
    while (nextId >= reservedIdLimit) {
      WriteBatch batch = new WriteBatch();
      Optional<byte[]> stored = store.get(NEXT_ID_KEY);
      // The block starts at the stored reservation: another front end sharing the store may have
      // reserved past this one's last block (alone, the two are equal).
      long start = Math.max(nextId, stored.map(Catalog::parseNumber).orElse(FIRST_ID));
      long newLimit = start + ID_BLOCK;
      if (stored.isPresent()) {
        batch.requireValue(NEXT_ID_KEY, stored.get());
      } else {
        batch.requireAbsent(NEXT_ID_KEY);
      }
      batch.put(NEXT_ID_KEY, number(newLimit));
      try {
        store.commit(batch);
      } catch (MetaStoreConflictException raced) {
        // Another front end reserved a block at the same moment: read its reservation again.
        continue;
      }
      nextId = start;
      reservedIdLimit = newLimit;
    }
    return nextId++;
  }

  /**
   * Reserves {@code count} consecutive values of a table's AUTO_INCREMENT column (docs/sql.md): the
   * values are above every value reserved before for the table, also across restarts, and at least
   * {@code start}. Durable before it returns. Thread safe.
   *
   * @return the first value; the reservation is {@code [first, first + count)}
   */
  public long reserveAutoIncrement(long tableId, long start, int count) {
    return reserveAutoIncrement(tableId, start, count, Long.MIN_VALUE);
  }

  /**
   * As {@link #reserveAutoIncrement(long, long, int)}, with every value also above {@code given}:
   * the largest value a load wrote itself, so a generated value never repeats it (MySQL moves its
   * counter the same way). {@code count} may be 0 to only move the counter.
   */
  public long reserveAutoIncrement(long tableId, long start, int count, long given) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    autoIncrementLock.lock();
    try {
      String key = autoIncrementKey(tableId);
      long[] range = autoIncrementRanges.get(tableId);
      if (range == null) {
        long next = Math.max(start, store.get(key).map(Catalog::parseNumber).orElse(start));
        range = new long[] {next, next};
        autoIncrementRanges.put(tableId, range);
      }
      if (given >= range[0]) {
        if (given > Long.MAX_VALUE - AUTO_INCREMENT_BLOCK) {
          throw new BasaltException(
              ErrorCode.VALUE_OUT_OF_RANGE, "BIGINT", "AUTO_INCREMENT value " + given);
        }
        range[0] = given + 1;
        range[1] = Math.max(range[1], range[0]);
      }
      while (range[1] - range[0] < Math.max(count, 1)) {
        Optional<byte[]> stored = store.get(key);
        if (store.isShared() && stored.isPresent()) {
          // Another front end may have reserved past this one's last block: continue after it.
          range[0] = Math.max(range[0], parseNumber(stored.get()));
        }
        long newLimit = Math.addExact(range[0], Math.max(count, AUTO_INCREMENT_BLOCK));
        WriteBatch batch = new WriteBatch();
        if (stored.isPresent()) {
          batch.requireValue(key, stored.get());
        } else {
          batch.requireAbsent(key);
        }
        batch.put(key, number(newLimit));
        try {
          store.commit(batch);
        } catch (MetaStoreConflictException raced) {
          if (!store.isShared()) {
            throw new BasaltException(
                raced, ErrorCode.CATALOG_CHANGED_CONCURRENTLY, raced.getMessage());
          }
          continue; // another front end reserved a block at the same moment: read it again
        }
        range[1] = newLimit;
      }
      long first = range[0];
      range[0] += count;
      return first;
    } finally {
      autoIncrementLock.unlock();
    }
  }

  // ---------------------------------------------------------------- databases

  /**
   * Creates a database.
   *
   * @return the new database, or the existing one when {@code ifNotExists} and it exists
   * @throws BasaltException DATABASE_EXISTS when it exists and not {@code ifNotExists}
   */
  public DatabaseMeta createDatabase(String name, boolean ifNotExists) {
    writeLock.lock();
    try {
      DatabaseMeta existing = databasesByName.get(name);
      if (existing != null) {
        if (ifNotExists) {
          return existing;
        }
        throw new BasaltException(ErrorCode.DATABASE_EXISTS, name);
      }
      CatalogLimits.checkName(name);
      DatabaseMeta database = new DatabaseMeta(nextIdLocked(), name, clock.getAsLong());
      commit(newBatch().put(databaseKey(database.id()), CatalogJson.encode(database)));
      putDatabase(database);
      return database;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Drops a database with its tables, rowsets and labels.
   *
   * @return the segment paths no longer referenced (the caller deletes the files once no reader
   *     needs them); empty when the database did not exist and {@code ifExists}
   * @throws BasaltException UNKNOWN_DATABASE when it does not exist and not {@code ifExists}
   */
  public List<String> dropDatabase(String name, boolean ifExists) {
    writeLock.lock();
    try {
      DatabaseMeta database = databasesByName.get(name);
      if (database == null) {
        if (ifExists) {
          return List.of();
        }
        throw new BasaltException(ErrorCode.UNKNOWN_DATABASE, name);
      }
      List<Long> tableIds =
          tableEntries(database.id()).stream().map(entry -> entry.meta().id()).sorted().toList();
      List<ReentrantLock> locked = new ArrayList<>();
      try {
        for (long tableId : tableIds) {
          ReentrantLock lock = tableLock(tableId);
          lock.lock();
          locked.add(lock);
        }
        WriteBatch batch = newBatch().delete(databaseKey(database.id()));
        List<String> paths = new ArrayList<>();
        for (long tableId : tableIds) {
          paths.addAll(deleteTable(batch, tablesById.get(tableId)));
        }
        for (String label : labels.getOrDefault(database.id(), Map.of()).keySet()) {
          batch.delete(labelKey(database.id(), label));
        }
        for (ViewMeta view : viewsByDatabase.getOrDefault(database.id(), Map.of()).values()) {
          batch.delete(viewKey(view.id()));
        }
        for (long transactionId :
            failedLoads.getOrDefault(database.id(), new java.util.TreeMap<>()).keySet()) {
          batch.delete(failedLoadKey(database.id(), transactionId));
        }
        List<TwoPhaseLoad> twoPhase =
            twoPhaseLoads.values().stream().filter(t -> t.databaseId() == database.id()).toList();
        for (TwoPhaseLoad load : twoPhase) {
          batch.delete(twoPhaseKey(database.id(), load.transactionId()));
          if (load.status() == LoadStatus.PRECOMMITTED) {
            load.segments().values().forEach(list -> list.forEach(f -> paths.add(f.path())));
          }
        }
        commit(batch);
        twoPhase.forEach(load -> twoPhaseLoads.remove(load.transactionId()));
        for (long tableId : tableIds) {
          tablesById.remove(tableId);
        }
        forgetDatabase(database, name);
        return paths;
      } finally {
        locked.forEach(ReentrantLock::unlock);
      }

    } finally {
      writeLock.unlock();
    }
  }

  private void forgetDatabase(DatabaseMeta database, String name) {
    if (viewsByDatabase.remove(database.id()) != null) {
      viewsVersion.incrementAndGet();
    }
    tableIdsByName.remove(database.id());
    labels.remove(database.id());
    failedLoads.remove(database.id());
    databasesById.remove(database.id());
    databasesByName.remove(name);
  }

  public Optional<DatabaseMeta> database(String name) {
    return Optional.ofNullable(databasesByName.get(name));
  }

  public Optional<DatabaseMeta> databaseById(long id) {
    return Optional.ofNullable(databasesById.get(id));
  }

  /** All databases, sorted by name. */
  public List<DatabaseMeta> databases() {
    return databasesByName.values().stream()
        .sorted(Comparator.comparing(DatabaseMeta::name))
        .toList();
  }

  // ---------------------------------------------------------------- views

  /**
   * Creates or replaces a view. A view shares its database's namespace with tables.
   *
   * @param replace CREATE OR REPLACE / ALTER VIEW: an existing view of that name is replaced (its
   *     id kept); with {@code mustExist} (ALTER VIEW) the view must already exist
   * @return the view now stored, or the existing one when {@code ifNotExists} and it exists
   * @throws BasaltException UNKNOWN_DATABASE; TABLE_EXISTS (1050) when a table has the name, or a
   *     view has it and neither {@code replace} nor {@code ifNotExists}; UNKNOWN_TABLE when {@code
   *     mustExist} and there is no such view
   */
  public ViewMeta createView(
      String database,
      ViewMeta definition,
      boolean ifNotExists,
      boolean replace,
      boolean mustExist) {
    writeLock.lock();
    try {
      DatabaseMeta db = requireDatabase(database);
      if (tableIdsByName.getOrDefault(db.id(), Map.of()).containsKey(definition.name())) {
        if (mustExist || replace) {
          throw new BasaltException(
              ErrorCode.WRONG_OBJECT, database + "." + definition.name(), "VIEW");
        }
        throw new BasaltException(ErrorCode.TABLE_EXISTS, definition.name());
      }
      CatalogLimits.checkName(definition.name());
      Map<String, ViewMeta> views =
          viewsByDatabase.computeIfAbsent(db.id(), id -> new ConcurrentHashMap<>());
      ViewMeta existing = views.get(definition.name());
      if (existing == null && mustExist) {
        throw new BasaltException(ErrorCode.UNKNOWN_TABLE, database + "." + definition.name());
      }
      if (existing != null && !replace) {
        if (ifNotExists) {
          return existing;
        }
        throw new BasaltException(ErrorCode.TABLE_EXISTS, definition.name());
      }
      ViewMeta view =
          new ViewMeta(
              existing != null ? existing.id() : nextIdLocked(),
              db.id(),
              definition.name(),
              definition.definition(),
              definition.columnNames(),
              definition.comment(),
              definition.definer(),
              existing != null ? existing.createTime() : clock.getAsLong(),
              definition.queryDatabase());
      commit(newBatch().put(viewKey(view.id()), CatalogJson.encode(view)));
      views.put(view.name(), view);
      viewsVersion.incrementAndGet();
      return view;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Drops a view.
   *
   * @return whether a view was dropped (false when absent and {@code ifExists})
   * @throws BasaltException UNKNOWN_DATABASE; WRONG_OBJECT (1347) when the name is a table;
   *     UNKNOWN_TABLE (1051 style) when absent and not {@code ifExists}
   */
  public boolean dropView(String database, String name, boolean ifExists) {
    writeLock.lock();
    try {
      DatabaseMeta db = requireDatabase(database);
      Map<String, ViewMeta> views = viewsByDatabase.getOrDefault(db.id(), Map.of());
      ViewMeta view = views.get(name);
      if (view == null) {
        if (tableIdsByName.getOrDefault(db.id(), Map.of()).containsKey(name)) {
          throw new BasaltException(ErrorCode.WRONG_OBJECT, database + "." + name, "VIEW");
        }
        if (ifExists) {
          return false;
        }
        throw new BasaltException(ErrorCode.UNKNOWN_TABLE, database + "." + name);
      }
      commit(newBatch().delete(viewKey(view.id())));
      views.remove(name);
      viewsVersion.incrementAndGet();
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /** The view {@code database.name}, if there is one. */
  public Optional<ViewMeta> view(String database, String name) {
    DatabaseMeta db = databasesByName.get(database);
    if (db == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(viewsByDatabase.getOrDefault(db.id(), Map.of()).get(name));
  }

  /** The views of a database, sorted by name; empty when the database does not exist. */
  public List<ViewMeta> views(String database) {
    DatabaseMeta db = databasesByName.get(database);
    if (db == null) {
      return List.of();
    }
    return viewsByDatabase.getOrDefault(db.id(), Map.of()).values().stream()
        .sorted(Comparator.comparing(ViewMeta::name))
        .toList();
  }

  /** A number raised by every change to any view (see {@link #viewsVersion}). */
  public long viewsVersion() {
    return viewsVersion.get();
  }

  // ---------------------------------------------------------------- tables

  /**
   * Creates a table from a definition without ids: assigns the table id, column unique ids (0, 1,
   * ...), partition ids (one partition named after the table when the definition has none and is
   * unpartitioned) and one tablet per bucket per partition ({@link #AUTO_BUCKET_COUNT} for {@code
   * BUCKETS AUTO}). Every partition starts at visible version 1.
   *
   * @return the created table, or the existing one when {@code ifNotExists} and it exists
   * @throws BasaltException UNKNOWN_DATABASE, TABLE_EXISTS, DUPLICATE_COLUMN, UNKNOWN_COLUMN (key,
   *     partition or distribution column missing) or INVALID_DDL (key columns not leading)
   */
  public TableMeta createTable(String database, TableMeta definition, boolean ifNotExists) {
    return createTable(database, definition, ifNotExists, false);
  }

  /**
   * As {@link #createTable(String, TableMeta, boolean)}; a {@code provisional} table (the target of
   * CREATE TABLE ... AS SELECT while its rows load) is stored with a marker in the same commit, and
   * opening the catalog drops every table whose marker is still there, so a crash before {@link
   * #confirmTable} leaves no table behind. Until then it is an ordinary table.
   */
  public TableMeta createTable(
      String database, TableMeta definition, boolean ifNotExists, boolean provisional) {
    writeLock.lock();
    try {
      DatabaseMeta db = requireDatabase(database);
      if (viewsByDatabase.getOrDefault(db.id(), Map.of()).containsKey(definition.name())) {
        throw new BasaltException(ErrorCode.TABLE_EXISTS, definition.name());
      }
      Long existingId = tableIdsByName.getOrDefault(db.id(), Map.of()).get(definition.name());
      if (existingId != null) {
        if (ifNotExists) {
          return tablesById.get(existingId).meta();
        }
        throw new BasaltException(ErrorCode.TABLE_EXISTS, definition.name());
      }
      CatalogLimits.checkName(definition.name());
      validateColumns(definition.columns());
      for (String column : definition.keyColumns()) {
        requireColumn(definition, column);
      }
      for (String column : definition.partitioning().columns()) {
        requireColumn(definition, column);
      }
      for (String column : definition.distribution().columns()) {
        requireColumn(definition, column);
      }
      long now = clock.getAsLong();
      long tableId = nextIdLocked();
      List<ColumnMeta> columns = new ArrayList<>();
      for (ColumnMeta column : definition.columns()) {
        columns.add(column.withUniqueId(columns.size()));
      }
      Distribution distribution = definition.distribution();
      if (distribution.autoBuckets() || distribution.bucketCount() <= 0) {
        distribution =
            new Distribution(distribution.kind(), distribution.columns(), AUTO_BUCKET_COUNT, true);
      }
      List<PartitionMeta> definitions = definition.partitions();
      if (definitions.isEmpty() && definition.partitioning().kind() == PartitionKind.NONE) {
        // A partitioned table may start empty (dynamic partitions): the DDL layer decides.
        definitions = List.of(PartitionMeta.unbounded(definition.name()));
      }
      CatalogLimits.checkLayout(definitions.size(), distribution.bucketCount());
      List<PartitionMeta> partitions = newPartitions(definitions, distribution.bucketCount(), now);
      TableMeta table =
          new TableMeta(
              tableId,
              db.id(),
              definition.name(),
              definition.keysType(),
              columns.stream().filter(ColumnMeta::key).map(ColumnMeta::name).toList(),
              columns,
              definition.partitioning(),
              partitions,
              distribution,
              definition.properties(),
              definition.comment(),
              now,
              1,
              columns.size(),
              definition.keysType() == KeysType.UNIQUE_KEYS
                  && "true"
                      .equalsIgnoreCase(
                          definition.properties().get("enable_unique_key_merge_on_write")),
              List.of());
      WriteBatch batch = newBatch().put(tableKey(tableId), CatalogJson.encode(table));
      if (provisional) {
        batch.put(provisionalKey(tableId), number(tableId));
      }
      commit(batch);
      putTable(new TableEntry(table, emptyRowsets(partitions)));
      return table;
    } finally {
      writeLock.unlock();
    }
  }

  private List<PartitionMeta> newPartitions(
      List<PartitionMeta> definitions, int bucketCount, long now) {
    Set<String> names = new HashSet<>();
    List<PartitionMeta> partitions = new ArrayList<>();
    for (PartitionMeta definition : definitions) {
      if (!names.add(definition.name().toLowerCase(Locale.ROOT))) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL, "Duplicate partition name " + definition.name());
      }
      long partitionId = nextIdLocked();
      List<Long> tablets = new ArrayList<>();
      for (int bucket = 0; bucket < bucketCount; bucket++) {
        tablets.add(nextIdLocked());
      }
      partitions.add(
          new PartitionMeta(
              partitionId,
              definition.name(),
              definition.lowerBound(),
              definition.upperBound(),
              definition.listValues(),
              1,
              now,
              tablets));
    }
    return partitions;
  }

  private static Map<Long, List<RowsetMeta>> emptyRowsets(List<PartitionMeta> partitions) {
    Map<Long, List<RowsetMeta>> rowsets = new HashMap<>();
    for (PartitionMeta partition : partitions) {
      for (long tabletId : partition.tabletIds()) {
        rowsets.put(tabletId, List.of());
      }
    }
    return Map.copyOf(rowsets);
  }

  /**
   * Makes a provisional table ({@link #createTable(String, TableMeta, boolean, boolean)})
   * permanent: removes its marker. Nothing happens when the table has none or no longer exists.
   */
  public void confirmTable(long tableId) {
    writeLock.lock();
    try {
      if (store.get(provisionalKey(tableId)).isPresent()) {
        commit(newBatch().delete(provisionalKey(tableId)));
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Drops a table and its rowsets.
   *
   * @return the segment paths no longer referenced; empty when absent and {@code ifExists}
   * @throws BasaltException UNKNOWN_DATABASE, or UNKNOWN_TABLE unless {@code ifExists}
   */
  public List<String> dropTable(String database, String name, boolean ifExists) {
    writeLock.lock();
    try {
      DatabaseMeta db = requireDatabase(database);
      Long tableId = tableIdsByName.getOrDefault(db.id(), Map.of()).get(name);
      if (tableId == null) {
        if (ifExists) {
          return List.of();
        }
        throw new BasaltException(ErrorCode.UNKNOWN_TABLE, database + "." + name);
      }
      ReentrantLock tableLock = tableLock(tableId);
      tableLock.lock();
      try {
        TableEntry entry = tablesById.get(tableId);
        WriteBatch batch = newBatch();
        List<String> paths = deleteTable(batch, entry);
        commit(batch);
        tablesById.remove(tableId);
        tableIdsByName.get(db.id()).remove(name);
        return paths;
      } finally {
        tableLock.unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Adds the deletes of a table and its rowsets to {@code batch}; returns its segment paths. */
  private static List<String> deleteTable(WriteBatch batch, TableEntry entry) {
    long tableId = entry.meta().id();
    batch.delete(tableKey(tableId));
    batch.delete(autoIncrementKey(tableId));
    batch.delete(provisionalKey(tableId));
    return deleteRowsets(batch, entry);
  }

  private static List<String> deleteRowsets(WriteBatch batch, TableEntry entry) {
    for (PartitionMeta partition : allPartitions(entry.meta())) {
      if (partition.visibleVersion() > 1) {
        batch.delete(partitionVersionKey(entry.meta().id(), partition.id()));
      }
    }
    for (Map.Entry<Long, List<SegmentDeletes>> tablet : entry.deletesByTablet().entrySet()) {
      java.util.Set<Long> versions = new java.util.TreeSet<>();
      for (SegmentDeletes deletes : tablet.getValue()) {
        versions.add(deletes.version());
      }
      for (long deleteVersion : versions) {
        batch.delete(deleteKey(entry.meta().id(), tablet.getKey(), deleteVersion));
      }
    }
    List<String> paths = new ArrayList<>();
    for (List<RowsetMeta> rowsets : entry.rowsetsByTablet().values()) {
      for (RowsetMeta rowset : rowsets) {
        batch.delete(rowsetKey(entry.meta().id(), rowset.tabletId(), rowset.id()));
        rowset.segments().forEach(segment -> paths.add(segment.path()));
      }
    }
    paths.sort(null);
    return paths;
  }

  /**
   * Sets table properties (metadata only), keeping the others; a value replaces the old one.
   *
   * @throws BasaltException UNKNOWN_DATABASE, UNKNOWN_TABLE
   */
  public TableMeta setTableProperties(
      String database, String table, Map<String, String> properties) {
    return changeSchema(
        database,
        table,
        old -> {
          Map<String, String> merged = new java.util.LinkedHashMap<>(old.properties());
          merged.putAll(properties);
          return old.withProperties(merged);
        });
  }

  /**
   * Renames a table (metadata only).
   *
   * @throws BasaltException UNKNOWN_DATABASE, UNKNOWN_TABLE, TABLE_EXISTS (new name taken)
   */
  public TableMeta renameTable(String database, String oldName, String newName) {
    writeLock.lock();
    try {
      long tableId = requireTable(database, oldName).meta().id();
      ReentrantLock tableLock = tableLock(tableId);
      tableLock.lock();
      try {
        TableEntry entry = tablesById.get(tableId);
        Map<String, Long> names = tableIdsByName.get(entry.meta().databaseId());
        if (names.containsKey(newName)
            || viewsByDatabase
                .getOrDefault(entry.meta().databaseId(), Map.of())
                .containsKey(newName)) {
          throw new BasaltException(ErrorCode.TABLE_EXISTS, newName);
        }
        CatalogLimits.checkName(newName);
        TableMeta renamed = entry.meta().withName(newName);
        commit(newBatch().put(tableKey(renamed.id()), CatalogJson.encode(renamed)));
        tablesById.put(
            renamed.id(),
            new TableEntry(renamed, entry.rowsetsByTablet(), entry.deletesByTablet()));
        names.remove(oldName);
        names.put(newName, renamed.id());
        return renamed;
      } finally {
        tableLock.unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Empties a table: every partition is replaced by a new empty one (new partition and tablet ids,
   * visible version 1) and its temporary partitions are dropped, as Doris does. Snapshots taken
   * before keep their rowsets.
   *
   * @return the segment paths no longer referenced by the catalog; the caller deletes them once no
   *     running reader holds an older snapshot
   * @throws BasaltException UNKNOWN_DATABASE, UNKNOWN_TABLE
   */
  public List<String> truncateTable(String database, String name) {
    return truncateTable(database, name, List.of());
  }

  /**
   * Empties the named partitions of a table ({@code TRUNCATE TABLE t PARTITION (p, ...)}), or the
   * whole table when {@code partitionNames} is empty: each is replaced by a new empty partition of
   * the same name and bounds (new partition and tablet ids, visible version 1, its own bucket
   * count), in one store commit; the other partitions keep their data.
   *
   * @return the segment paths no longer referenced by the catalog (as {@link #truncateTable})
   * @throws BasaltException UNKNOWN_DATABASE, UNKNOWN_TABLE, UNKNOWN_PARTITION
   */
  public List<String> truncateTable(String database, String name, List<String> partitionNames) {
    writeLock.lock();
    try {
      long tableId = requireTable(database, name).meta().id();
      ReentrantLock tableLock = tableLock(tableId);
      tableLock.lock();
      try {
        TableEntry entry = tablesById.get(tableId);
        TableMeta old = entry.meta();
        long now = clock.getAsLong();
        Set<Long> emptied = new HashSet<>();
        for (String partitionName : partitionNames) {
          PartitionMeta partition =
              (old.partitioning().kind() == PartitionKind.NONE
                      ? Optional.<PartitionMeta>empty()
                      : old.partition(partitionName))
                  .orElseThrow(
                      () ->
                          new BasaltException(
                              ErrorCode.UNKNOWN_PARTITION, partitionName, old.name()));
          emptied.add(partition.id());
        }
        List<PartitionMeta> partitions = new ArrayList<>();
        Map<Long, List<RowsetMeta>> rowsets = new HashMap<>(entry.rowsetsByTablet());
        Map<Long, List<SegmentDeletes>> deletes = new HashMap<>(entry.deletesByTablet());
        Map<Long, List<RowsetMeta>> droppedRowsets = new HashMap<>();
        Map<Long, List<SegmentDeletes>> droppedDeletes = new HashMap<>();
        List<PartitionMeta> droppedPartitions = new ArrayList<>();
        for (PartitionMeta partition : old.partitions()) {
          if (!emptied.isEmpty() && !emptied.contains(partition.id())) {
            partitions.add(partition);
            continue;
          }
          PartitionMeta fresh =
              newPartitions(List.of(partition), partition.tabletIds().size(), now).get(0);
          partitions.add(fresh);
          droppedPartitions.add(partition);
          for (long tabletId : partition.tabletIds()) {
            droppedRowsets.put(tabletId, rowsets.getOrDefault(tabletId, List.of()));
            rowsets.remove(tabletId);
            List<SegmentDeletes> layers = deletes.remove(tabletId);
            if (layers != null) {
              droppedDeletes.put(tabletId, layers);
            }
          }
          rowsets.putAll(emptyRowsets(List.of(fresh)));
        }
        TableMeta truncated = old.withPartitions(partitions);
        if (emptied.isEmpty()) {
          // TRUNCATE of the whole table drops its temporary partitions, as in Doris.
          for (PartitionMeta temporary : old.temporaryPartitions()) {
            droppedPartitions.add(temporary);
            for (long tabletId : temporary.tabletIds()) {
              droppedRowsets.put(tabletId, rowsets.getOrDefault(tabletId, List.of()));
              rowsets.remove(tabletId);
              List<SegmentDeletes> layers = deletes.remove(tabletId);
              if (layers != null) {
                droppedDeletes.put(tabletId, layers);
              }
            }
          }
          truncated = truncated.withTemporaryPartitions(List.of());
        }
        WriteBatch batch = newBatch();
        List<String> paths =
            deleteRowsets(
                batch,
                droppedPartitionsEntry(old, droppedPartitions, droppedRowsets, droppedDeletes));
        batch.put(tableKey(old.id()), CatalogJson.encode(truncated));
        commit(batch);
        tablesById.put(
            old.id(), new TableEntry(truncated, Map.copyOf(rowsets), Map.copyOf(deletes)));
        return paths;
      } finally {
        tableLock.unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Adds a partition (ALTER TABLE ADD PARTITION): new partition and tablet ids, one tablet per
   * bucket, visible version 1. The caller has checked its bounds against the table's partitions
   * (DDL layer); here only the name is checked.
   *
   * @param definition the partition's name and bounds ({@link PartitionMeta#range} or {@link
   *     PartitionMeta#list})
   * @param buckets the buckets of the new partition, 0 for the table's
   * @return the table with the partition added (last in the partition list)
   * @throws BasaltException UNKNOWN_TABLE, INVALID_DDL (duplicate name, unpartitioned table)
   */
  public TableMeta addPartition(
      String database, String name, PartitionMeta definition, int buckets) {
    return addPartition(database, name, definition, buckets, false);
  }

  /**
   * Drops a partition (ALTER TABLE DROP PARTITION): its rows are invisible to every statement that
   * starts afterwards; its rowset, delete and version records go in the same commit. The last
   * partition of a table cannot be dropped (Doris refuses it too).
   *
   * @return the segment paths no longer referenced (collected once no reader holds them); empty
   *     when absent and {@code ifExists}
   * @throws BasaltException UNKNOWN_TABLE, UNKNOWN_PARTITION unless {@code ifExists}, INVALID_DDL
   */
  public List<String> dropPartition(
      String database, String name, String partitionName, boolean ifExists) {
    return dropPartition(database, name, partitionName, ifExists, false);
  }

  /**
   * As {@link #dropPartition(String, String, String, boolean)}; with {@code allowLast} the table's
   * last partition may go too (dynamic partitions leave a table without partitions when all its
   * periods are past).
   */
  public List<String> dropPartition(
      String database, String name, String partitionName, boolean ifExists, boolean allowLast) {
    writeLock.lock();
    try {
      long tableId = requireTable(database, name).meta().id();
      ReentrantLock tableLock = tableLock(tableId);
      tableLock.lock();
      try {
        TableEntry entry = tablesById.get(tableId);
        TableMeta old = entry.meta();
        Optional<PartitionMeta> found =
            old.partitioning().kind() == PartitionKind.NONE
                ? Optional.empty()
                : old.partition(partitionName);
        if (found.isEmpty()) {
          if (ifExists) {
            return List.of();
          }
          throw new BasaltException(ErrorCode.UNKNOWN_PARTITION, partitionName, old.name());
        }
        PartitionMeta dropped = found.get();
        if (old.partitions().size() == 1 && !allowLast) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL,
              "Partition "
                  + dropped.name()
                  + " is the last partition of table "
                  + old.name()
                  + "; drop or truncate the table instead");
        }
        TableMeta changed =
            old.withPartitions(
                old.partitions().stream().filter(p -> p.id() != dropped.id()).toList());
        return commitDroppedPartition(entry, changed, dropped);
      } finally {
        tableLock.unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * An entry holding only the given partitions of {@code table} (no temporary ones) and their
   * rowsets and delete layers, for {@link #deleteRowsets} to delete the records of.
   */
  private static TableEntry droppedPartitionsEntry(
      TableMeta table,
      List<PartitionMeta> partitions,
      Map<Long, List<RowsetMeta>> rowsets,
      Map<Long, List<SegmentDeletes>> deletes) {
    return new TableEntry(
        table.withPartitions(partitions).withTemporaryPartitions(List.of()), rowsets, deletes);
  }

  // ---------------------------------------------------------------- temporary partitions

  /**
   * Adds a temporary partition (ALTER TABLE ADD TEMPORARY PARTITION): new partition and tablet ids,
   * one tablet per bucket, visible version 1; queries and loads see it only where they name it. The
   * caller has checked its bounds against the other temporary partitions (DDL layer); here the name
   * is checked against formal and temporary partitions, which share one name space.
   *
   * @param buckets the buckets of the new partition, 0 for the table's
   * @return the table with the temporary partition added (last among them)
   * @throws BasaltException UNKNOWN_TABLE, INVALID_DDL (duplicate name, unpartitioned table)
   */
  public TableMeta addTemporaryPartition(
      String database, String name, PartitionMeta definition, int buckets) {
    return addPartition(database, name, definition, buckets, true);
  }

  private TableMeta addPartition(
      String database, String name, PartitionMeta definition, int buckets, boolean temporary) {
    writeLock.lock();
    try {
      long tableId = requireTable(database, name).meta().id();
      ReentrantLock tableLock = tableLock(tableId);
      tableLock.lock();
      try {
        TableEntry entry = tablesById.get(tableId);
        TableMeta old = entry.meta();
        if (old.partitioning().kind() == PartitionKind.NONE) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL,
              "Table "
                  + old.name()
                  + (temporary
                      ? " is not a partitioned table, it has no temporary partitions"
                      : " is not a partitioned table"));
        }
        if (old.hasPartitionName(definition.name())) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL, "Duplicate partition name " + definition.name());
        }
        CatalogLimits.checkName(definition.name());
        int bucketCount = buckets > 0 ? buckets : old.distribution().bucketCount();
        CatalogLimits.checkLayout(
            old.partitions().size() + old.temporaryPartitions().size() + 1, bucketCount);
        PartitionMeta added =
            newPartitions(List.of(definition), bucketCount, clock.getAsLong()).get(0);
        TableMeta changed;
        if (temporary) {
          List<PartitionMeta> partitions = new ArrayList<>(old.temporaryPartitions());
          partitions.add(added);
          changed = old.withTemporaryPartitions(partitions);
        } else {
          List<PartitionMeta> partitions = new ArrayList<>(old.partitions());
          partitions.add(added);
          changed = old.withPartitions(partitions);
        }
        commit(newBatch().put(tableKey(old.id()), CatalogJson.encode(changed)));
        Map<Long, List<RowsetMeta>> rowsets = new HashMap<>(entry.rowsetsByTablet());
        rowsets.putAll(emptyRowsets(List.of(added)));
        tablesById.put(
            old.id(), new TableEntry(changed, Map.copyOf(rowsets), entry.deletesByTablet()));
        return changed;
      } finally {
        tableLock.unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Drops a temporary partition (ALTER TABLE DROP TEMPORARY PARTITION) with its rowset, delete and
   * version records, in one commit; the formal partitions are not touched.
   *
   * @return the segment paths no longer referenced (collected once no reader holds them); empty
   *     when absent and {@code ifExists}
   * @throws BasaltException UNKNOWN_TABLE, UNKNOWN_PARTITION unless {@code ifExists}
   */
  public List<String> dropTemporaryPartition(
      String database, String name, String partitionName, boolean ifExists) {
    writeLock.lock();
    try {
      long tableId = requireTable(database, name).meta().id();
      ReentrantLock tableLock = tableLock(tableId);
      tableLock.lock();
      try {
        TableEntry entry = tablesById.get(tableId);
        TableMeta old = entry.meta();
        Optional<PartitionMeta> found = old.temporaryPartition(partitionName);
        if (found.isEmpty()) {
          if (ifExists) {
            return List.of();
          }
          throw new BasaltException(ErrorCode.UNKNOWN_PARTITION, partitionName, old.name());
        }
        PartitionMeta dropped = found.get();
        TableMeta changed =
            old.withTemporaryPartitions(
                old.temporaryPartitions().stream().filter(p -> p.id() != dropped.id()).toList());
        return commitDroppedPartition(entry, changed, dropped);
      } finally {
        tableLock.unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Replaces formal partitions by temporary ones ({@code ALTER TABLE t REPLACE PARTITION (p1, p2)
   * WITH TEMPORARY PARTITION (tp1, tp2)}) in one store commit: the temporary partitions become
   * formal (with their partition and tablet ids, rowsets and versions), taking the place of the
   * first replaced partition in the partition order, and the replaced partitions' rowset, delete
   * and version records are deleted. A reader's snapshot holds either the old partitions or the new
   * ones, never a mix, and a crash leaves one or the other.
   *
   * @param partitionNames the formal partitions replaced
   * @param temporaryNames the temporary partitions that replace them
   * @param useTemporaryNames false to give the new partitions the replaced partitions' names (only
   *     when both lists have the same length; otherwise they keep their own, as in Doris)
   * @param check validates the replacement against the table as it is under the lock (the DDL
   *     layer's range checks); it throws to refuse, and nothing changes then
   * @return the segment paths of the replaced partitions, no longer referenced (collected once no
   *     reader holds them)
   * @throws BasaltException UNKNOWN_TABLE, UNKNOWN_PARTITION, or what {@code check} throws
   */
  public List<String> replacePartitions(
      String database,
      String name,
      List<String> partitionNames,
      List<String> temporaryNames,
      boolean useTemporaryNames,
      java.util.function.BiConsumer<List<PartitionMeta>, List<PartitionMeta>> check) {
    writeLock.lock();
    try {
      long tableId = requireTable(database, name).meta().id();
      ReentrantLock tableLock = tableLock(tableId);
      tableLock.lock();
      try {
        TableEntry entry = tablesById.get(tableId);
        TableMeta old = entry.meta();
        List<PartitionMeta> replaced = new ArrayList<>();
        for (String partitionName : partitionNames) {
          PartitionMeta partition =
              old.partition(partitionName)
                  .filter(p -> old.partitioning().kind() != PartitionKind.NONE)
                  .orElseThrow(
                      () ->
                          new BasaltException(
                              ErrorCode.UNKNOWN_PARTITION, partitionName, old.name()));
          if (!replaced.contains(partition)) {
            replaced.add(partition);
          }
        }
        List<PartitionMeta> replacing = new ArrayList<>();
        for (String temporaryName : temporaryNames) {
          PartitionMeta partition =
              old.temporaryPartition(temporaryName)
                  .orElseThrow(
                      () ->
                          new BasaltException(
                              ErrorCode.UNKNOWN_PARTITION, temporaryName, old.name()));
          if (!replacing.contains(partition)) {
            replacing.add(partition);
          }
        }
        check.accept(replaced, replacing);
        boolean rename = !useTemporaryNames && replaced.size() == replacing.size();
        List<PartitionMeta> promoted = new ArrayList<>();
        for (int i = 0; i < replacing.size(); i++) {
          PartitionMeta partition = replacing.get(i);
          promoted.add(rename ? partition.withName(replaced.get(i).name()) : partition);
        }
        java.util.Set<Long> replacedIds = new HashSet<>();
        replaced.forEach(p -> replacedIds.add(p.id()));
        java.util.Set<Long> replacingIds = new HashSet<>();
        replacing.forEach(p -> replacingIds.add(p.id()));
        List<PartitionMeta> partitions = new ArrayList<>();
        for (PartitionMeta partition : old.partitions()) {
          if (partition.id() == replaced.get(0).id()) {
            partitions.addAll(promoted);
          } else if (!replacedIds.contains(partition.id())) {
            partitions.add(partition);
          }
        }
        TableMeta changed =
            old.withPartitions(partitions)
                .withTemporaryPartitions(
                    old.temporaryPartitions().stream()
                        .filter(p -> !replacingIds.contains(p.id()))
                        .toList());
        Map<Long, List<RowsetMeta>> rowsets = new HashMap<>(entry.rowsetsByTablet());
        Map<Long, List<SegmentDeletes>> deletes = new HashMap<>(entry.deletesByTablet());
        Map<Long, List<RowsetMeta>> droppedRowsets = new HashMap<>();
        Map<Long, List<SegmentDeletes>> droppedDeletes = new HashMap<>();
        moveTablets(replaced, rowsets, deletes, droppedRowsets, droppedDeletes);
        WriteBatch batch = newBatch();
        List<String> paths =
            deleteRowsets(
                batch, droppedPartitionsEntry(old, replaced, droppedRowsets, droppedDeletes));
        batch.put(tableKey(old.id()), CatalogJson.encode(changed));
        commit(batch);
        tablesById.put(old.id(), new TableEntry(changed, Map.copyOf(rowsets), Map.copyOf(deletes)));
        return paths;
      } finally {
        tableLock.unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Moves the rowsets and delete layers of {@code partitions}' tablets to the dropped maps. */
  /**
   * Commits {@code changed}, the table of {@code entry} without {@code dropped}, with the dropped
   * partition's rowset, delete and version records removed in the same commit.
   *
   * @return the paths of the dropped partition's files, for the garbage collector
   */
  private List<String> commitDroppedPartition(
      TableEntry entry, TableMeta changed, PartitionMeta dropped) {
    TableMeta old = entry.meta();
    Map<Long, List<RowsetMeta>> rowsets = new HashMap<>(entry.rowsetsByTablet());
    Map<Long, List<SegmentDeletes>> deletes = new HashMap<>(entry.deletesByTablet());
    Map<Long, List<RowsetMeta>> droppedRowsets = new HashMap<>();
    Map<Long, List<SegmentDeletes>> droppedDeletes = new HashMap<>();
    moveTablets(List.of(dropped), rowsets, deletes, droppedRowsets, droppedDeletes);
    WriteBatch batch = newBatch();
    List<String> paths =
        deleteRowsets(
            batch, droppedPartitionsEntry(old, List.of(dropped), droppedRowsets, droppedDeletes));
    batch.put(tableKey(old.id()), CatalogJson.encode(changed));
    commit(batch);
    tablesById.put(old.id(), new TableEntry(changed, Map.copyOf(rowsets), Map.copyOf(deletes)));
    return paths;
  }

  private static void moveTablets(
      List<PartitionMeta> partitions,
      Map<Long, List<RowsetMeta>> rowsets,
      Map<Long, List<SegmentDeletes>> deletes,
      Map<Long, List<RowsetMeta>> droppedRowsets,
      Map<Long, List<SegmentDeletes>> droppedDeletes) {
    for (PartitionMeta partition : partitions) {
      for (long tabletId : partition.tabletIds()) {
        droppedRowsets.put(tabletId, rowsets.getOrDefault(tabletId, List.of()));
        rowsets.remove(tabletId);
        List<SegmentDeletes> layers = deletes.remove(tabletId);
        if (layers != null) {
          droppedDeletes.put(tabletId, layers);
        }
      }
    }
  }

  /**
   * Adds a column (metadata only: existing segments lack it and readers fill its default). With
   * {@link ColumnPosition#DEFAULT} a key column goes after the last key column and a value column
   * last.
   *
   * @throws BasaltException UNKNOWN_TABLE, DUPLICATE_COLUMN, UNKNOWN_COLUMN (AFTER column missing),
   *     INVALID_DDL (the position would put a value column before a key column or vice versa)
   */
  public TableMeta addColumn(
      String database, String table, ColumnMeta column, ColumnPosition position) {
    return changeColumns(
        database,
        table,
        old -> {
          if (old.column(column.name()).isPresent()) {
            throw new BasaltException(ErrorCode.DUPLICATE_COLUMN, column.name());
          }
          List<ColumnMeta> columns = new ArrayList<>(old.columns());
          int index;
          if (position.isDefault()) {
            index =
                column.key()
                    ? (int) columns.stream().filter(ColumnMeta::key).count()
                    : HiddenColumns.visible(old).size(); // before a hidden sequence column
          } else {
            index = insertionIndex(old, columns, position);
          }
          columns.add(index, column.withUniqueId(old.nextColumnUniqueId()));
          return withColumnsChecked(old, columns, old.nextColumnUniqueId() + 1);
        });
  }

  /**
   * Drops a column (metadata only).
   *
   * @throws BasaltException UNKNOWN_COLUMN, INVALID_DDL (partition or distribution column, key
   *     column of an AGGREGATE or UNIQUE table, or the last column)
   */
  public TableMeta dropColumn(String database, String table, String columnName) {
    return changeColumns(
        database,
        table,
        old -> {
          ColumnMeta column = requireColumn(old, columnName);
          if (containsIgnoreCase(old.partitioning().columns(), column.name())) {
            throw new BasaltException(
                ErrorCode.INVALID_DDL, "Can not drop partition column[" + column.name() + "]");
          }
          if (containsIgnoreCase(old.distribution().columns(), column.name())) {
            throw new BasaltException(
                ErrorCode.INVALID_DDL, "Can not drop distribution column[" + column.name() + "]");
          }
          if (column.key() && old.keysType() != KeysType.DUP_KEYS) {
            throw new BasaltException(
                ErrorCode.INVALID_DDL,
                "Can not drop key column "
                    + column.name()
                    + " in "
                    + old.keysType().sqlName().toLowerCase(Locale.ROOT)
                    + " data model table");
          }
          if (old.columns().size() == 1) {
            throw new BasaltException(
                ErrorCode.INVALID_DDL, "Can not drop the only column of table " + old.name());
          }
          List<ColumnMeta> columns = new ArrayList<>(old.columns());
          columns.remove(column);
          return withColumnsChecked(old, columns, old.nextColumnUniqueId());
        });
  }

  /**
   * Replaces a column's definition, keeping its unique id, and optionally moves it. Only changes
   * that need no data rewrite are allowed: a type whose values read the stored ones unchanged
   * (wider integer, FLOAT to DOUBLE, more DECIMAL digits at the same scale, longer VARCHAR, ...;
   * see {@code typeChangeIsMetadataOnly}), NOT NULL to NULL, default, comment.
   *
   * @throws BasaltException UNKNOWN_COLUMN, UNSUPPORTED (a change that would rewrite data),
   *     INVALID_DDL (key flag or aggregation changed, order broken)
   */
  public TableMeta modifyColumn(
      String database, String table, ColumnMeta column, ColumnPosition position) {
    return modifyColumn(database, table, column, position, null).table();
  }

  /**
   * Replaces a column's definition and optionally moves it; a change the stored values do not read
   * unchanged as ({@code typeChangeIsMetadataOnly}) is a schema change job that writes the table's
   * data again through {@code rewrite}. Such a column gets a new unique id, so segments written
   * before and after never hold one id with two types, and the new definition and the rewritten
   * rowsets (which replace every rowset one for one, at the same version ranges, without delete
   * layers: the rewrite leaves out deleted rows) are committed in one store commit. The table's
   * commit lock is held while {@code rewrite} runs, so loads and compactions into the table wait
   * for the job (queries go on, reading the old definition and data until the commit); the
   * catalog-wide lock is held too, so other DDL waits as well. A job that fails changes nothing and
   * is recorded as CANCELLED; one that commits, and every metadata-only change, as FINISHED ({@link
   * #alterJobs}).
   *
   * @param rewrite writes the data again, or {@code null} to refuse changes that need it
   * @throws BasaltException UNKNOWN_COLUMN; UNSUPPORTED (a rewrite without {@code rewrite}, of a
   *     key, partition or bucket column, or of a type no cast converts); INVALID_DDL (key flag or
   *     aggregation changed, order broken, temporary partitions, pre-committed two-phase loads);
   *     SCHEMA_CHANGE_CANCELLED (the rewrite failed: a value does not convert)
   */
  public SchemaChange modifyColumn(
      String database,
      String table,
      ColumnMeta column,
      ColumnPosition position,
      ColumnRewrite rewrite) {
    writeLock.lock();
    try {
      long tableId = requireTable(database, table).meta().id();
      ReentrantLock tableLock = tableLock(tableId);
      tableLock.lock();
      try {
        long started = clock.getAsLong();
        TableEntry entry = tablesById.get(tableId);
        TableMeta old = entry.meta();
        refuseTemporaryPartitions(old);
        ColumnMeta current = requireColumn(old, column.name());
        boolean metadataOnly = typeChangeIsMetadataOnly(old, current, column);
        if (!metadataOnly) {
          String change =
              "MODIFY COLUMN "
                  + current.name()
                  + " from "
                  + current.type().sqlName()
                  + " to "
                  + column.type().sqlName()
                  + (current.nullable() && !column.nullable() ? " NOT NULL" : "");
          if (isKeyedOrRouted(old, current)) {
            throw new BasaltException(
                ErrorCode.UNSUPPORTED,
                change
                    + " of a key, partition or bucket column (its values are also in sort keys and"
                    + " bucket hashes; Basalt rewrites value columns only)");
          }
          if (rewrite == null || !ColumnRewrite.converts(current.type(), column.type())) {
            throw new BasaltException(ErrorCode.UNSUPPORTED, change);
          }
          List<Long> pending =
              precommittedLoads().stream()
                  .filter(load -> load.tableId() == tableId)
                  .map(TwoPhaseLoad::transactionId)
                  .toList();
          if (!pending.isEmpty()) {
            throw new BasaltException(
                ErrorCode.INVALID_DDL,
                "Table "
                    + old.name()
                    + " has pre-committed two-phase loads (transactions "
                    + pending
                    + "); commit or abort them before a schema change that rewrites data");
          }
        }
        if (current.key() != column.key() || current.aggregation() != column.aggregation()) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL,
              "Can not change the key flag or aggregation type of column " + current.name());
        }
        int uniqueId = metadataOnly ? current.uniqueId() : old.nextColumnUniqueId();
        int nextUniqueId = metadataOnly ? old.nextColumnUniqueId() : old.nextColumnUniqueId() + 1;
        ColumnMeta replacement = column.withName(current.name()).withUniqueId(uniqueId);
        List<ColumnMeta> columns = new ArrayList<>(old.columns());
        int index = columns.indexOf(current);
        if (position.isDefault()) {
          columns.set(index, replacement);
        } else {
          columns.remove(index);
          columns.add(insertionIndex(old, columns, position), replacement);
        }
        TableMeta changed = withColumnsChecked(old, columns, nextUniqueId);
        long jobId = nextIdLocked();
        if (metadataOnly) {
          AlterJob job = finishedJob(jobId, changed, started, 0);
          WriteBatch batch = newBatch().put(tableKey(tableId), CatalogJson.encode(changed));
          List<Long> forgotten = putAlterJob(batch, job);
          commit(batch);
          tablesById.put(
              tableId, new TableEntry(changed, entry.rowsetsByTablet(), entry.deletesByTablet()));
          rememberAlterJob(job, forgotten);
          return new SchemaChange(changed, List.of(), job);
        }
        return commitRewrite(entry, changed, jobId, started, rewrite);
      } finally {
        tableLock.unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Runs {@code rewrite} over the table of {@code entry} (caller holds the write lock and the
   * table's lock) and commits {@code changed} with the rewritten rowsets, or records the job as
   * cancelled.
   */
  private SchemaChange commitRewrite(
      TableEntry entry, TableMeta changed, long jobId, long started, ColumnRewrite rewrite) {
    TableMeta old = entry.meta();
    long tableId = old.id();
    Map<Long, List<SegmentFile>> output;
    try {
      output = rewrite.rewrite(committedSnapshot(tableId), changed, jobId);
    } catch (ColumnRewrite.Cancelled cancelled) {
      recordCancelledJob(jobId, changed, started, cancelled.getMessage());
      throw new BasaltException(
          cancelled, ErrorCode.SCHEMA_CHANGE_CANCELLED, jobId, old.name(), cancelled.getMessage());
    } catch (RuntimeException | Error failed) {
      recordCancelledJob(jobId, changed, started, String.valueOf(failed.getMessage()));
      throw failed;
    }
    WriteBatch batch = newBatch();
    if (store.isShared()) {
      // Another front end's load or compaction into the table while the job ran (they do not move
      // catalog/version) would leave rowsets the rewrite did not convert: the commit then fails
      // with the retryable CATALOG_CHANGED_CONCURRENTLY and the job's files are collected.
      for (PartitionMeta partition : allPartitions(old)) {
        requirePartitionVersion(batch, tableId, partition);
      }
    }
    Map<Long, List<RowsetMeta>> rowsets = new HashMap<>();
    List<String> retired = new ArrayList<>();
    long rewrittenRows = 0;
    for (Map.Entry<Long, List<RowsetMeta>> tablet : entry.rowsetsByTablet().entrySet()) {
      List<RowsetMeta> replaced = new ArrayList<>();
      for (RowsetMeta rowset : tablet.getValue()) {
        List<SegmentFile> segments = output.get(rowset.id());
        if (segments == null) {
          throw new IllegalStateException("the rewrite left out rowset " + rowset.id());
        }
        RowsetMeta rewritten =
            new RowsetMeta(
                nextIdLocked(),
                rowset.tabletId(),
                rowset.startVersion(),
                rowset.endVersion(),
                rowset.transactionId(),
                segments,
                segments.stream().mapToLong(SegmentFile::rowCount).sum(),
                segments.stream().mapToLong(SegmentFile::byteSize).sum());
        rewrittenRows += rewritten.rowCount();
        String key = rowsetKey(tableId, rowset.tabletId(), rowset.id());
        if (store.isShared()) {
          batch.requireValue(key, CatalogJson.encode(rowset));
        }
        batch.delete(key);
        batch.put(
            rowsetKey(tableId, rewritten.tabletId(), rewritten.id()),
            CatalogJson.encode(rewritten));
        rowset.segments().forEach(segment -> retired.add(segment.path()));
        replaced.add(rewritten);
      }
      rowsets.put(tablet.getKey(), List.copyOf(replaced));
    }
    // The rewrite left out every row the delete layers mark: the layers go.
    for (Map.Entry<Long, List<SegmentDeletes>> tablet : entry.deletesByTablet().entrySet()) {
      Set<Long> versions = new TreeSet<>();
      tablet.getValue().forEach(layer -> versions.add(layer.version()));
      for (long version : versions) {
        batch.delete(deleteKey(tableId, tablet.getKey(), version));
      }
    }
    batch.put(tableKey(tableId), CatalogJson.encode(changed));
    int fromUniqueId = 0;
    int toUniqueId = 0;
    for (ColumnMeta column : changed.columns()) {
      Optional<ColumnMeta> before = old.column(column.name());
      if (before.isPresent() && before.get().uniqueId() != column.uniqueId()) {
        fromUniqueId = before.get().uniqueId();
        toUniqueId = column.uniqueId();
      }
    }
    AlterJob job = finishedJob(jobId, changed, started, rewrittenRows, fromUniqueId, toUniqueId);
    List<Long> forgotten = putAlterJob(batch, job);
    commit(batch);
    tablesById.put(tableId, new TableEntry(changed, Map.copyOf(rowsets), Map.of()));
    rememberAlterJob(job, forgotten);
    rewrite.committed(output);
    retired.sort(null);
    return new SchemaChange(changed, List.copyOf(retired), job);
  }

  private AlterJob finishedJob(long jobId, TableMeta changed, long started, long rows) {
    return finishedJob(jobId, changed, started, rows, 0, 0);
  }

  private AlterJob finishedJob(
      long jobId, TableMeta changed, long started, long rows, int fromUniqueId, int toUniqueId) {
    return new AlterJob(
        jobId,
        changed.databaseId(),
        changed.id(),
        changed.name(),
        started,
        clock.getAsLong(),
        AlterJob.FINISHED,
        "",
        changed.schemaVersion(),
        rows,
        fromUniqueId,
        toUniqueId);
  }

  /** Records a cancelled job on its own (caller holds the write lock); nothing else changes. */
  private void recordCancelledJob(long jobId, TableMeta changed, long started, String reason) {
    AlterJob job =
        new AlterJob(
            jobId,
            changed.databaseId(),
            changed.id(),
            changed.name(),
            started,
            clock.getAsLong(),
            AlterJob.CANCELLED,
            reason,
            changed.schemaVersion(),
            0,
            0,
            0);
    WriteBatch batch = new WriteBatch();
    List<Long> forgotten = putAlterJob(batch, job);
    commitToStore(batch);
    rememberAlterJob(job, forgotten);
  }

  /** Adds a job's record to {@code batch}; returns the ids of the oldest jobs it deletes. */
  private List<Long> putAlterJob(WriteBatch batch, AlterJob job) {
    batch.put(alterJobKey(job.databaseId(), job.jobId()), CatalogJson.encode(job));
    List<Long> dropped = new ArrayList<>();
    java.util.NavigableMap<Long, AlterJob> jobs = alterJobs.get(job.databaseId());
    if (jobs != null) {
      for (long jobId : jobs.keySet()) {
        if (jobs.size() - dropped.size() < ALTER_JOBS_KEPT) {
          break;
        }
        dropped.add(jobId);
        batch.delete(alterJobKey(job.databaseId(), jobId));
      }
    }
    return dropped;
  }

  private void rememberAlterJob(AlterJob job, List<Long> forgotten) {
    java.util.NavigableMap<Long, AlterJob> jobs =
        alterJobs.computeIfAbsent(
            job.databaseId(), id -> new java.util.concurrent.ConcurrentSkipListMap<>());
    forgotten.forEach(jobs::remove);
    jobs.put(job.jobId(), job);
  }

  /**
   * The schema change jobs of a database (SHOW ALTER TABLE COLUMN), oldest first: column changes
   * (ADD, DROP, MODIFY COLUMN, ORDER BY), finished or cancelled; the newest {@link
   * #ALTER_JOBS_KEPT} are kept.
   */
  public List<AlterJob> alterJobs(long databaseId) {
    return List.copyOf(alterJobs.getOrDefault(databaseId, new java.util.TreeMap<>()).values());
  }

  /**
   * Reorders a table's columns ({@code ALTER TABLE t ORDER BY (c1, c2, ...)}), metadata only
   * (segments name columns by unique id). Every visible column is named once; the key columns keep
   * their order in front (moving a key column would change the sort order of the stored rows, which
   * Basalt does not rewrite); a hidden sequence column stays last.
   *
   * @throws BasaltException UNKNOWN_COLUMN, INVALID_DDL (a column missing or named twice, a value
   *     column before a key column), UNSUPPORTED (key columns reordered)
   */
  public TableMeta reorderColumns(String database, String table, List<String> order) {
    return changeColumns(
        database,
        table,
        old -> {
          List<ColumnMeta> visible = HiddenColumns.visible(old);
          List<ColumnMeta> columns = new ArrayList<>();
          Set<String> seen = new HashSet<>();
          for (String name : order) {
            ColumnMeta column = requireColumn(old, name);
            if (!visible.contains(column)) {
              throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, name, old.name());
            }
            if (!seen.add(column.name().toLowerCase(Locale.ROOT))) {
              throw new BasaltException(
                  ErrorCode.INVALID_DDL, "Column " + column.name() + " is named twice in ORDER BY");
            }
            columns.add(column);
          }
          if (columns.size() != visible.size()) {
            List<String> missing =
                visible.stream()
                    .filter(c -> !seen.contains(c.name().toLowerCase(Locale.ROOT)))
                    .map(ColumnMeta::name)
                    .toList();
            throw new BasaltException(
                ErrorCode.INVALID_DDL,
                "ORDER BY must name every column of the table; missing: "
                    + String.join(", ", missing));
          }
          List<ColumnMeta> keys = visible.stream().filter(ColumnMeta::key).toList();
          for (int i = 0; i < columns.size(); i++) {
            boolean keyExpected = i < keys.size();
            if (keyExpected && !columns.get(i).key()) {
              throw new BasaltException(
                  ErrorCode.INVALID_DDL,
                  "Key column "
                      + keys.get(i).name()
                      + " must come before all value columns (ORDER BY names "
                      + columns.get(i).name()
                      + " before it)");
            }
            if (keyExpected && !columns.get(i).equals(keys.get(i))) {
              throw new BasaltException(
                  ErrorCode.UNSUPPORTED,
                  "ALTER TABLE ORDER BY that reorders the key columns (it would change the sort"
                      + " order of the stored rows); keep them in the order "
                      + String.join(", ", keys.stream().map(ColumnMeta::name).toList()));
            }
          }
          for (ColumnMeta column : old.columns()) {
            if (!visible.contains(column)) {
              columns.add(column); // a hidden sequence column stays last
            }
          }
          return withColumnsChecked(old, columns, old.nextColumnUniqueId());
        });
  }

  /**
   * Whether a MODIFY COLUMN needs no data rewrite: NOT NULL is not added, and the stored values
   * read unchanged as the new type ({@link StoredTypeChange}). Key, partition and distribution
   * columns may only grow a VARCHAR: their values are also encoded in keys and bucket hashes.
   */
  private static boolean typeChangeIsMetadataOnly(
      TableMeta table, ColumnMeta current, ColumnMeta next) {
    if (current.nullable() && !next.nullable()) {
      return false;
    }
    if (current.type().equals(next.type())) {
      return true;
    }
    if (isKeyedOrRouted(table, current)) {
      return current.type().kind() == TypeKind.VARCHAR
          && next.type().kind() == TypeKind.VARCHAR
          && next.type().length() >= current.type().length();
    }
    return StoredTypeChange.readsUnchanged(current.type(), next.type());
  }

  /** Whether a column's values are also in sort keys or bucket hashes (key, partition, bucket). */
  private static boolean isKeyedOrRouted(TableMeta table, ColumnMeta column) {
    return column.key()
        || containsIgnoreCase(table.partitioning().columns(), column.name())
        || containsIgnoreCase(table.distribution().columns(), column.name());
  }

  /**
   * Renames a column (metadata only: segments refer to columns by unique id), also in the key,
   * partition and distribution column lists.
   *
   * @throws BasaltException UNKNOWN_COLUMN, DUPLICATE_COLUMN
   */
  public TableMeta renameColumn(String database, String table, String oldName, String newName) {
    return changeColumns(
        database,
        table,
        false,
        old -> {
          ColumnMeta current = requireColumn(old, oldName);
          if (!current.name().equalsIgnoreCase(newName) && old.column(newName).isPresent()) {
            throw new BasaltException(ErrorCode.DUPLICATE_COLUMN, newName);
          }
          List<ColumnMeta> columns = new ArrayList<>(old.columns());
          columns.set(columns.indexOf(current), current.withName(newName));
          TableMeta renamed = withColumnsChecked(old, columns, old.nextColumnUniqueId());
          UnaryOperator<List<String>> rename =
              names ->
                  names.stream()
                      .map(n -> n.equalsIgnoreCase(current.name()) ? newName : n)
                      .toList();
          Distribution distribution = renamed.distribution();
          return new TableMeta(
              renamed.id(),
              renamed.databaseId(),
              renamed.name(),
              renamed.keysType(),
              renamed.keyColumns(),
              renamed.columns(),
              new Partitioning(
                  renamed.partitioning().kind(), rename.apply(renamed.partitioning().columns())),
              renamed.partitions(),
              new Distribution(
                  distribution.kind(),
                  rename.apply(distribution.columns()),
                  distribution.bucketCount(),
                  distribution.autoBuckets()),
              renamed.properties(),
              renamed.comment(),
              renamed.createTime(),
              renamed.schemaVersion(),
              renamed.nextColumnUniqueId(),
              renamed.mergeOnWrite(),
              renamed.temporaryPartitions());
        });
  }

  private static int insertionIndex(
      TableMeta table, List<ColumnMeta> columns, ColumnPosition position) {
    if (position.first()) {
      return 0;
    }
    String after = position.afterColumn().toLowerCase(Locale.ROOT);
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().toLowerCase(Locale.ROOT).equals(after)) {
        return i + 1;
      }
    }
    throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, position.afterColumn(), table.name());
  }

  private static TableMeta withColumnsChecked(
      TableMeta old, List<ColumnMeta> columns, int nextUniqueId) {
    validateColumns(columns);
    return old.withColumns(columns, nextUniqueId);
  }

  /** Names unique (case-insensitively) and key columns leading. */
  private static void validateColumns(List<ColumnMeta> columns) {
    CatalogLimits.checkColumnCount(columns.size());
    Set<String> names = new HashSet<>();
    boolean valueSeen = false;
    for (ColumnMeta column : columns) {
      CatalogLimits.checkColumnName(column.name());
      if (!names.add(column.name().toLowerCase(Locale.ROOT))) {
        throw new BasaltException(ErrorCode.DUPLICATE_COLUMN, column.name());
      }
      if (column.key() && valueSeen) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Key column " + column.name() + " must come before all value columns");
      }
      valueSeen |= !column.key();
    }
  }

  /**
   * A change of a table's columns: refused while the table has temporary partitions, as Doris does
   * (their segments would have to follow the new schema when REPLACE makes them formal).
   */
  private TableMeta changeColumns(String database, String table, UnaryOperator<TableMeta> change) {
    return changeColumns(database, table, true, change);
  }

  /**
   * As {@link #changeColumns(String, String, UnaryOperator)}; {@code listed} records the change as
   * a FINISHED schema change job (SHOW ALTER TABLE COLUMN lists ADD, DROP, MODIFY COLUMN and ORDER
   * BY, as Doris lists its light schema changes; RENAME COLUMN is not a job there).
   */
  private TableMeta changeColumns(
      String database, String table, boolean listed, UnaryOperator<TableMeta> change) {
    return changeSchema(
        database,
        table,
        listed,
        old -> {
          refuseTemporaryPartitions(old);
          return change.apply(old);
        });
  }

  private static void refuseTemporaryPartitions(TableMeta table) {
    if (!table.temporaryPartitions().isEmpty()) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "Can not alter table when there are temp partitions in table");
    }
  }

  private TableMeta changeSchema(String database, String table, UnaryOperator<TableMeta> change) {
    return changeSchema(database, table, false, change);
  }

  private TableMeta changeSchema(
      String database, String table, boolean listed, UnaryOperator<TableMeta> change) {
    writeLock.lock();
    try {
      long tableId = requireTable(database, table).meta().id();
      ReentrantLock tableLock = tableLock(tableId);
      tableLock.lock();
      try {
        long started = clock.getAsLong();
        TableEntry entry = tablesById.get(tableId);
        TableMeta changed = change.apply(entry.meta());
        WriteBatch batch = newBatch().put(tableKey(changed.id()), CatalogJson.encode(changed));
        AlterJob job = listed ? finishedJob(nextIdLocked(), changed, started, 0) : null;
        List<Long> forgotten = job == null ? List.of() : putAlterJob(batch, job);
        commit(batch);
        tablesById.put(
            changed.id(),
            new TableEntry(changed, entry.rowsetsByTablet(), entry.deletesByTablet()));
        if (job != null) {
          rememberAlterJob(job, forgotten);
        }
        return changed;
      } finally {
        tableLock.unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * The table {@code name} of {@code database}.
   *
   * @throws BasaltException NO_DATABASE_SELECTED (database null), UNKNOWN_DATABASE, UNKNOWN_TABLE
   */
  public TableMeta existingTable(String database, String name) {
    return requireTable(database, name).meta();
  }

  public Optional<TableMeta> table(String database, String name) {
    DatabaseMeta db = databasesByName.get(database);
    if (db == null) {
      return Optional.empty();
    }
    Long id = tableIdsByName.getOrDefault(db.id(), Map.of()).get(name);
    TableEntry entry = id == null ? null : tablesById.get(id);
    return entry == null ? Optional.empty() : Optional.of(entry.meta());
  }

  /**
   * The tables of a database, sorted by name.
   *
   * @throws BasaltException UNKNOWN_DATABASE
   */
  public List<TableMeta> tables(String database) {
    DatabaseMeta db = requireDatabase(database);
    return tableEntries(db.id()).stream().map(TableEntry::meta).toList();
  }

  private List<TableEntry> tableEntries(long databaseId) {
    return tableIdsByName.getOrDefault(databaseId, Map.of()).values().stream()
        .map(tablesById::get)
        .filter(java.util.Objects::nonNull)
        .sorted(Comparator.comparing(entry -> entry.meta().name()))
        .toList();
  }

  public Optional<TableMeta> tableById(long id) {
    TableEntry entry = tablesById.get(id);
    return entry == null ? Optional.empty() : Optional.of(entry.meta());
  }

  // ---------------------------------------------------------------- loads

  /**
   * Sets what {@link #snapshot} waits for before it reads a table (the server's group commit, for
   * INSERTs acknowledged before their commit); {@link TableReadBarrier#NONE} until then.
   */
  public void readBarrier(TableReadBarrier barrier) {
    this.readBarrier = barrier;
  }

  /**
   * A consistent view of a table for reading: partitions with visible versions and every tablet's
   * visible rowsets, as of one commit that includes every write acknowledged before this call
   * ({@link TableReadBarrier}). Queries, SHOW statements and DELETE read through this.
   *
   * @throws BasaltException UNKNOWN_TABLE when no table has this id
   */
  public TableSnapshot snapshot(long tableId) {
    readBarrier.beforeRead(tableId);
    return committedSnapshot(tableId);
  }

  /**
   * As {@link #snapshot}, without waiting for acknowledged writes that are not committed yet: for
   * the write path itself (a load's commit, compaction, schema-change rewrites), which must never
   * wait for another commit of the table.
   *
   * @throws BasaltException UNKNOWN_TABLE when no table has this id
   */
  public TableSnapshot committedSnapshot(long tableId) {
    TableEntry entry = tablesById.get(tableId);
    if (entry == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_TABLE, "id " + tableId);
    }
    return new TableSnapshot(
        entry.meta(),
        partitionSnapshots(entry, entry.meta().partitions()),
        partitionSnapshots(entry, entry.meta().temporaryPartitions()));
  }

  private static List<TableSnapshot.PartitionSnapshot> partitionSnapshots(
      TableEntry entry, List<PartitionMeta> of) {
    List<TableSnapshot.PartitionSnapshot> partitions = new ArrayList<>();
    for (PartitionMeta partition : of) {
      Map<Long, List<RowsetMeta>> rowsets = new LinkedHashMap<>();
      Map<Long, List<SegmentDeletes>> deletes = new HashMap<>();
      for (long tabletId : partition.tabletIds()) {
        rowsets.put(tabletId, entry.rowsetsByTablet().getOrDefault(tabletId, List.of()));
        List<SegmentDeletes> tabletDeletes = entry.deletesByTablet().get(tabletId);
        if (tabletDeletes != null) {
          deletes.put(tabletId, tabletDeletes);
        }
      }
      partitions.add(
          new TableSnapshot.PartitionSnapshot(
              partition,
              partition.visibleVersion(),
              java.util.Collections.unmodifiableMap(rowsets),
              java.util.Collections.unmodifiableMap(deletes)));
    }
    return partitions;
  }

  /**
   * Commits a load atomically (one store commit): creates one rowset per tablet with segments,
   * raises the visible version of every partition that has a tablet in {@code newSegments} by one
   * (a tablet with an empty list touches its partition without a rowset), and records the label as
   * VISIBLE with a new transaction id.
   *
   * @param label the load's label, or {@code null} for a generated {@code insert_<hex>_<hex>}
   * @param newSegments per tablet id, the segment files written for it
   * @param rowCount the rows the load wrote (recorded with the label)
   * @throws BasaltException LABEL_ALREADY_EXISTS (label used in this database; nothing changes),
   *     UNKNOWN_TABLE (table dropped meanwhile)
   * @throws IllegalArgumentException when a tablet id is not one of the table's tablets
   */
  public CommitResult commitLoad(
      long tableId, String label, Map<Long, List<SegmentFile>> newSegments, long rowCount) {
    return commitLoad(tableId, label, newSegments, rowCount, null);
  }

  /**
   * As {@link #commitLoad(long, String, Map, long)}, and for a merge-on-write table records the
   * rows {@code marker} marks (computed under the commit lock against the state of the previous
   * commit) as delete layers at each tablet's new version, in the same store commit: the marks are
   * durable and visible exactly when the load is. A tablet with no new segments may still get marks
   * (DELETE).
   *
   * @param marker computes the marks per touched tablet, or {@code null} for none
   */
  public CommitResult commitLoad(
      long tableId,
      String label,
      Map<Long, List<SegmentFile>> newSegments,
      long rowCount,
      DeleteMarker marker) {
    return commitLoad(tableId, label, newSegments, rowCount, marker, null);
  }

  /**
   * As {@link #commitLoad(long, String, Map, long, DeleteMarker)}, recording {@code info} (SHOW
   * LOAD) with the label; {@code null} records none.
   */
  public CommitResult commitLoad(
      long tableId,
      String label,
      Map<Long, List<SegmentFile>> newSegments,
      long rowCount,
      DeleteMarker marker,
      LoadInfo info) {
    return commitLoad(tableId, label, newSegments, rowCount, marker, info, Map.of());
  }

  /**
   * As {@link #commitLoad(long, String, Map, long, DeleteMarker, LoadInfo)}, with durable copies of
   * segment files that were written but not forced ({@code segmentCopies}, path to the file's
   * bytes), stored in the same store commit: the load is durable when the commit is, with one round
   * of device flushes (the store's) instead of two (the files', then the store's). Until {@link
   * #segmentsDurable} and a later commit drop them, a crash may have torn such a file, and the next
   * start restores it from its copy ({@link #segmentCopies}).
   */
  public CommitResult commitLoad(
      long tableId,
      String label,
      Map<Long, List<SegmentFile>> newSegments,
      long rowCount,
      DeleteMarker marker,
      LoadInfo info,
      Map<String, byte[]> segmentCopies) {
    return commitLoad(tableId, label, newSegments, rowCount, marker, info, segmentCopies, null);
  }

  /**
   * As {@link #commitLoad(long, String, Map, long, DeleteMarker, LoadInfo, Map)}, for a load whose
   * segments were written under the definition {@code writtenWith} (null: not checked): the commit
   * is refused (TABLE_REWRITTEN_DURING_LOAD, nothing committed) when a schema change rewrote one of
   * its columns meanwhile, since the segments hold that column under its old unique id and type,
   * which the table no longer reads.
   */
  public CommitResult commitLoad(
      long tableId,
      String label,
      Map<Long, List<SegmentFile>> newSegments,
      long rowCount,
      DeleteMarker marker,
      LoadInfo info,
      Map<String, byte[]> segmentCopies,
      TableMeta writtenWith) {
    // A generated label is chosen once, so that a retried commit cannot record the load twice.
    String effectiveLabel = label != null ? label : generatedLabel();
    return retryingOnSharedStore(
        () ->
            commitLoadOnce(
                tableId,
                effectiveLabel,
                newSegments,
                rowCount,
                marker,
                info,
                segmentCopies,
                writtenWith));
  }

  private CommitResult commitLoadOnce(
      long tableId,
      String effectiveLabel,
      Map<Long, List<SegmentFile>> newSegments,
      long rowCount,
      DeleteMarker marker,
      LoadInfo info,
      Map<String, byte[]> segmentCopies,
      TableMeta writtenWith) {
    ReentrantLock tableLock = tableLock(tableId);
    tableLock.lock();
    try {
      TableEntry entry = requireTableEntry(tableId);
      if (writtenWith != null) {
        requireColumnsNotRewritten(writtenWith, entry.meta());
      }
      long databaseId = entry.meta().databaseId();
      String labelClaim = databaseId + "/" + effectiveLabel;
      if (!labelsBeingCommitted.add(labelClaim)) {
        // A load into another table of the database is committing this label right now.
        throw new BasaltException(ErrorCode.LABEL_ALREADY_EXISTS, effectiveLabel, -1);
      }
      try {
        // Checked after claiming: a load that committed the label released its claim only after
        // recording it here.
        LoadRecord existing = labels.getOrDefault(databaseId, Map.of()).get(effectiveLabel);
        if (existing != null) {
          throw new BasaltException(
              ErrorCode.LABEL_ALREADY_EXISTS, effectiveLabel, existing.transactionId());
        }
        return commitLoadLocked(
            entry,
            effectiveLabel,
            nextIdLocked(),
            newSegments,
            rowCount,
            marker,
            sharedLoadPreconditions(
                entry,
                newSegments,
                marker,
                new WriteBatch().requireAbsent(labelKey(databaseId, effectiveLabel))),
            null,
            info,
            segmentCopies);
      } finally {
        labelsBeingCommitted.remove(labelClaim);
      }
    } finally {
      tableLock.unlock();
    }
  }

  /**
   * Refuses a load written under {@code writtenWith} when a schema change job committed since
   * rewrote one of the columns it wrote ({@link AlterJob#fromUniqueId}): its segments hold that
   * column under the old id and type. A column dropped and added again is no reason: the load
   * commits as if it had run before the DROP.
   */
  private void requireColumnsNotRewritten(TableMeta writtenWith, TableMeta current) {
    if (writtenWith.schemaVersion() == current.schemaVersion()) {
      return;
    }
    for (AlterJob job :
        alterJobs
            .getOrDefault(current.databaseId(), new java.util.TreeMap<>())
            .descendingMap()
            .values()) {
      if (job.tableId() != current.id()
          || job.fromUniqueId() == 0
          || job.schemaVersion() <= writtenWith.schemaVersion()
          || !AlterJob.FINISHED.equals(job.state())) {
        continue;
      }
      for (ColumnMeta written : writtenWith.columns()) {
        if (written.uniqueId() == job.fromUniqueId()) {
          throw new BasaltException(
              ErrorCode.TABLE_REWRITTEN_DURING_LOAD, current.name(), written.name());
        }
      }
    }
  }

  /**
   * On a shared store, what a load's commit requires besides its label and partition versions: no
   * DDL since this snapshot, and for a merge-on-write load (whose delete marks were computed
   * against the tablets' rowsets) every rowset of the touched tablets unchanged, so that another
   * front end's compaction of them makes the commit retry with marks computed against the compacted
   * rowsets.
   */
  private WriteBatch sharedLoadPreconditions(
      TableEntry entry,
      Map<Long, List<SegmentFile>> newSegments,
      DeleteMarker marker,
      WriteBatch batch) {
    requireCatalogVersionIfShared(batch);
    if (store.isShared() && marker != null) {
      for (long tabletId : newSegments.keySet()) {
        for (RowsetMeta rowset : entry.rowsetsByTablet().getOrDefault(tabletId, List.of())) {
          batch.requireValue(
              rowsetKey(entry.meta().id(), tabletId, rowset.id()), CatalogJson.encode(rowset));
        }
      }
    }
    return batch;
  }

  /**
   * Makes a load visible, for {@link #commitLoad} and {@link #commitPrecommitted}: the caller holds
   * the table's lock and has checked the label. Adds to {@code batch} only what the load adds — its
   * rowsets, delete layers, the touched partitions' version records and the VISIBLE label record —
   * and commits it, so the commit's cost does not grow with the table's history. {@code twoPhase},
   * when not null, is the pre-committed load being committed; its record becomes VISIBLE in the
   * same commit.
   */
  private CommitResult commitLoadLocked(
      TableEntry entry,
      String effectiveLabel,
      long transactionId,
      Map<Long, List<SegmentFile>> newSegments,
      long rowCount,
      DeleteMarker marker,
      WriteBatch batch,
      TwoPhaseLoad twoPhase,
      LoadInfo info,
      Map<String, byte[]> segmentCopies) {
    TableMeta table = entry.meta();
    long tableId = table.id();
    long databaseId = table.databaseId();
    Map<Long, PartitionMeta> partitionOfTablet = partitionOfTablet(table);
    long now = clock.getAsLong();
    Map<Long, Long> newVersions = new TreeMap<>();
    for (long tabletId : newSegments.keySet()) {
      PartitionMeta partition = partitionOfTablet.get(tabletId);
      if (partition == null) {
        throw new IllegalArgumentException(
            "tablet " + tabletId + " is not in table " + table.name());
      }
      newVersions.put(partition.id(), partition.visibleVersion() + 1);
    }
    for (PartitionMeta partition : allPartitions(table)) {
      Long version = newVersions.get(partition.id());
      if (version == null) {
        continue;
      }
      // Compare-and-set on the partition's version record: a second process committing into
      // the same partition of a shared store is detected instead of silently overwritten.
      requirePartitionVersion(batch, tableId, partition);
      batch.put(
          partitionVersionKey(tableId, partition.id()),
          new PartitionVersion(version, now).encode());
    }
    Map<Long, List<SegmentDeletes>> deletesByTablet = new HashMap<>(entry.deletesByTablet());
    if (marker != null) {
      for (long tabletId : new TreeMap<>(newSegments).keySet()) {
        long version = newVersions.get(partitionOfTablet.get(tabletId).id());
        List<SegmentDeletes> earlier = deletesByTablet.getOrDefault(tabletId, List.of());
        Map<String, RoaringBitmap> marks =
            marker.mark(
                tabletId, entry.rowsetsByTablet().getOrDefault(tabletId, List.of()), earlier);
        List<SegmentDeletes> layer = new ArrayList<>();
        for (Map.Entry<String, RoaringBitmap> mark : new TreeMap<>(marks).entrySet()) {
          if (!mark.getValue().isEmpty()) {
            layer.add(new SegmentDeletes(mark.getKey(), version, mark.getValue()));
          }
        }
        if (!layer.isEmpty()) {
          batch.put(deleteKey(tableId, tabletId, version), DeleteBitmapCodec.encode(layer));
          List<SegmentDeletes> list = new ArrayList<>(earlier);
          list.addAll(layer);
          deletesByTablet.put(tabletId, List.copyOf(list));
        }
      }
    }
    Map<Long, List<RowsetMeta>> rowsetsByTablet = new HashMap<>(entry.rowsetsByTablet());
    List<RowsetMeta> created = new ArrayList<>();
    for (Map.Entry<Long, List<SegmentFile>> tablet : new TreeMap<>(newSegments).entrySet()) {
      List<SegmentFile> segments =
          marker == null ? tablet.getValue() : marker.segments(tablet.getKey(), tablet.getValue());
      if (segments.isEmpty()) {
        continue;
      }
      long version = newVersions.get(partitionOfTablet.get(tablet.getKey()).id());
      RowsetMeta rowset =
          RowsetMeta.ofLoad(nextIdLocked(), tablet.getKey(), version, transactionId, segments);
      created.add(rowset);
      batch.put(rowsetKey(tableId, rowset.tabletId(), rowset.id()), CatalogJson.encode(rowset));
      List<RowsetMeta> list =
          new ArrayList<>(rowsetsByTablet.getOrDefault(rowset.tabletId(), List.of()));
      list.add(rowset);
      rowsetsByTablet.put(rowset.tabletId(), List.copyOf(list));
    }
    UnaryOperator<PartitionMeta> raised =
        p -> newVersions.containsKey(p.id()) ? p.withVersion(newVersions.get(p.id()), now) : p;
    TableMeta updated =
        table
            .withPartitions(table.partitions().stream().map(raised).toList())
            .withTemporaryPartitions(table.temporaryPartitions().stream().map(raised).toList());
    LoadRecord record =
        new LoadRecord(
            effectiveLabel,
            databaseId,
            tableId,
            transactionId,
            LoadStatus.VISIBLE,
            rowCount,
            now,
            info);
    batch.put(labelKey(databaseId, effectiveLabel), CatalogJson.encode(record));
    TwoPhaseLoad published = null;
    if (twoPhase != null) {
      published = twoPhase.finished(LoadStatus.VISIBLE, null, now);
      batch.put(twoPhaseKey(databaseId, transactionId), CatalogJson.encode(published));
    }
    for (Map.Entry<String, byte[]> copy : segmentCopies.entrySet()) {
      batch.put(SEGMENT_COPY_PREFIX + copy.getKey(), copy.getValue());
    }
    // Copies of files forced since the last commit go with this one: no store commit of their own.
    List<String> forgotten = drainDurableCopies(batch);
    try {
      commitToStore(batch);
    } catch (RuntimeException | Error failed) {
      durableCopies.addAll(forgotten);
      throw failed;
    }
    tablesById.put(
        tableId, new TableEntry(updated, Map.copyOf(rowsetsByTablet), Map.copyOf(deletesByTablet)));
    labels.computeIfAbsent(databaseId, id -> new ConcurrentHashMap<>()).put(effectiveLabel, record);
    if (published != null) {
      twoPhaseLoads.put(transactionId, published);
    }
    return new CommitResult(effectiveLabel, transactionId, newVersions, created, now);
  }

  /**
   * Replaces consecutive rowsets of one tablet by the output of their compaction, atomically (one
   * store commit): the output rowset covers the inputs' whole version range. Delete layers of the
   * input segments up to {@code readVersion} were applied by the compaction and are dropped; layers
   * committed later (by loads that ran while the compaction did) are carried over to the output
   * segments through {@code rowMap}, at their own versions, so no update is lost. Readers holding
   * an older snapshot keep the input rowsets; the caller deletes their files once no such reader
   * remains.
   *
   * @param inputRowsetIds the merged rowsets; they must still be consecutive rowsets of the tablet
   * @param output the compaction's segments (possibly none when every row was deleted)
   * @param readVersion the partition version the compaction read its inputs and delete layers at
   * @param rowMap maps rows of an input segment to rows of the output segments
   * @return the segment paths of the inputs, which no committed version references any more
   * @throws BasaltException UNKNOWN_TABLE when the table was dropped; COMPACTION_CONFLICT when the
   *     inputs are no longer the tablet's (TRUNCATE, or another compaction took them)
   */
  public CompactionResult commitCompaction(
      long tableId,
      long tabletId,
      List<Long> inputRowsetIds,
      List<SegmentFile> output,
      long readVersion,
      CompactionRowMap rowMap) {
    // Another front end's load or DDL since this snapshot: retried against the fresh one (delete
    // layers committed after readVersion are carried over through rowMap); another front end's
    // compaction of the same rowsets: the retry finds them gone and gives up (COMPACTION_CONFLICT).
    return retryingOnSharedStore(
        () -> commitCompactionOnce(tableId, tabletId, inputRowsetIds, output, readVersion, rowMap));
  }

  private CompactionResult commitCompactionOnce(
      long tableId,
      long tabletId,
      List<Long> inputRowsetIds,
      List<SegmentFile> output,
      long readVersion,
      CompactionRowMap rowMap) {
    ReentrantLock tableLock = tableLock(tableId);
    tableLock.lock();
    try {
      TableEntry entry = requireTableEntry(tableId);
      List<RowsetMeta> current = entry.rowsetsByTablet().get(tabletId);
      int first = current == null ? -1 : indexOfRowset(current, inputRowsetIds.get(0));
      if (first < 0 || first + inputRowsetIds.size() > current.size()) {
        throw compactionConflict(tabletId);
      }
      List<RowsetMeta> inputs = current.subList(first, first + inputRowsetIds.size());
      for (int i = 0; i < inputs.size(); i++) {
        if (inputs.get(i).id() != inputRowsetIds.get(i)) {
          throw compactionConflict(tabletId);
        }
      }
      Set<String> inputPaths = new HashSet<>();
      List<String> retired = new ArrayList<>();
      WriteBatch batch = new WriteBatch();
      if (store.isShared()) {
        // The delete layers below are rewritten from this snapshot: a load another front end
        // committed into the partition since must be seen first (its layers carried over).
        requireCatalogVersionIfShared(batch);
        PartitionMeta partition = partitionOfTablet(entry.meta()).get(tabletId);
        if (partition != null) {
          requirePartitionVersion(batch, tableId, partition);
        }
      }
      for (RowsetMeta input : inputs) {
        String key = rowsetKey(tableId, tabletId, input.id());
        batch.requireValue(key, CatalogJson.encode(input)).delete(key);
        for (SegmentFile segment : input.segments()) {
          inputPaths.add(segment.path());
          retired.add(segment.path());
        }
      }
      RowsetMeta merged =
          new RowsetMeta(
              nextIdLocked(),
              tabletId,
              inputs.get(0).startVersion(),
              inputs.get(inputs.size() - 1).endVersion(),
              0,
              output,
              output.stream().mapToLong(SegmentFile::rowCount).sum(),
              output.stream().mapToLong(SegmentFile::byteSize).sum());
      batch.put(rowsetKey(tableId, tabletId, merged.id()), CatalogJson.encode(merged));

      // Delete layers: those on input segments go (applied, or carried over to the output).
      List<SegmentDeletes> layers = entry.deletesByTablet().getOrDefault(tabletId, List.of());
      Map<Long, List<SegmentDeletes>> byVersion = new TreeMap<>();
      Set<Long> changedVersions = new HashSet<>();
      for (SegmentDeletes layer : layers) {
        byVersion.computeIfAbsent(layer.version(), v -> new ArrayList<>());
        if (!inputPaths.contains(layer.segmentPath())) {
          byVersion.get(layer.version()).add(layer);
          continue;
        }
        changedVersions.add(layer.version());
        if (layer.version() > readVersion) {
          for (Map.Entry<String, RoaringBitmap> mapped :
              rowMap.map(layer.segmentPath(), layer.rows()).entrySet()) {
            if (!mapped.getValue().isEmpty()) {
              byVersion
                  .get(layer.version())
                  .add(new SegmentDeletes(mapped.getKey(), layer.version(), mapped.getValue()));
            }
          }
        }
      }
      List<SegmentDeletes> keptLayers = new ArrayList<>();
      for (Map.Entry<Long, List<SegmentDeletes>> version : byVersion.entrySet()) {
        List<SegmentDeletes> record = unionBySegment(version.getValue());
        if (changedVersions.contains(version.getKey())) {
          String key = deleteKey(tableId, tabletId, version.getKey());
          if (record.isEmpty()) {
            batch.delete(key);
          } else {
            batch.put(key, DeleteBitmapCodec.encode(record));
          }
        }
        keptLayers.addAll(record);
      }
      commitToStore(batch);

      List<RowsetMeta> rowsets = new ArrayList<>(current.subList(0, first));
      rowsets.add(merged);
      rowsets.addAll(current.subList(first + inputs.size(), current.size()));
      Map<Long, List<RowsetMeta>> rowsetsByTablet = new HashMap<>(entry.rowsetsByTablet());
      rowsetsByTablet.put(tabletId, List.copyOf(rowsets));
      Map<Long, List<SegmentDeletes>> deletesByTablet = new HashMap<>(entry.deletesByTablet());
      if (keptLayers.isEmpty()) {
        deletesByTablet.remove(tabletId);
      } else {
        deletesByTablet.put(tabletId, List.copyOf(keptLayers));
      }
      tablesById.put(
          tableId,
          new TableEntry(entry.meta(), Map.copyOf(rowsetsByTablet), Map.copyOf(deletesByTablet)));
      return new CompactionResult(merged, inputs, retired);
    } finally {
      tableLock.unlock();
    }
  }

  private static int indexOfRowset(List<RowsetMeta> rowsets, long rowsetId) {
    for (int i = 0; i < rowsets.size(); i++) {
      if (rowsets.get(i).id() == rowsetId) {
        return i;
      }
    }
    return -1;
  }

  /** The layers of one version, at most one per segment (bitmaps of a segment or-ed together). */
  private static List<SegmentDeletes> unionBySegment(List<SegmentDeletes> layers) {
    Map<String, SegmentDeletes> bySegment = new TreeMap<>();
    for (SegmentDeletes layer : layers) {
      bySegment.merge(
          layer.segmentPath(),
          layer,
          (a, b) ->
              new SegmentDeletes(
                  a.segmentPath(), a.version(), RoaringBitmap.or(a.rows(), b.rows())));
    }
    return List.copyOf(bySegment.values());
  }

  private static BasaltException compactionConflict(long tabletId) {
    return new BasaltException(
        ErrorCode.COMPACTION_CONFLICT,
        tabletId,
        "its rowsets changed while it ran (TRUNCATE, DROP or another compaction)");
  }

  /**
   * Tells the catalog that files whose copies {@link #commitLoad(long, String, Map, long,
   * DeleteMarker, LoadInfo, Map) a load stored} are durable now: their copies are deleted with the
   * next load's commit, or by {@link #forgetDurableSegmentCopies()}. Thread safe.
   */
  public void segmentsDurable(java.util.Collection<String> paths) {
    durableCopies.addAll(paths);
  }

  /**
   * Deletes the copies of the files {@link #segmentsDurable} named that no load commit has taken
   * along yet, in one store commit of its own (for an idle table). Thread safe.
   *
   * @return how many copies were deleted
   */
  public int forgetDurableSegmentCopies() {
    WriteBatch batch = new WriteBatch();
    List<String> forgotten = drainDurableCopies(batch);
    if (forgotten.isEmpty()) {
      return 0;
    }
    try {
      commitToStore(batch);
    } catch (RuntimeException | Error failed) {
      durableCopies.addAll(forgotten);
      throw failed;
    }
    return forgotten.size();
  }

  /**
   * The stored copies of segment files a crash may have torn (path to bytes, by path): loads that
   * committed with copies and whose files were not yet forced. Read once at start, before anything
   * reads a segment.
   */
  public Map<String, byte[]> segmentCopies() {
    Map<String, byte[]> copies = new TreeMap<>();
    for (KeyValue entry : store.scan(SEGMENT_COPY_PREFIX)) {
      copies.put(entry.key().substring(SEGMENT_COPY_PREFIX.length()), entry.value());
    }
    return copies;
  }

  /** Deletes the stored copies of {@code paths} (restored or no longer referenced) at once. */
  public void forgetSegmentCopies(java.util.Collection<String> paths) {
    WriteBatch batch = new WriteBatch();
    for (String path : paths) {
      batch.delete(SEGMENT_COPY_PREFIX + path);
    }
    commitToStore(batch);
  }

  private List<String> drainDurableCopies(WriteBatch batch) {
    List<String> drained = new ArrayList<>();
    for (String path; (path = durableCopies.poll()) != null; ) {
      drained.add(path);
      if (!batch.writes().containsKey(SEGMENT_COPY_PREFIX + path)) {
        batch.delete(SEGMENT_COPY_PREFIX + path);
      }
    }
    return drained;
  }

  /**
   * Every segment path a committed rowset of any table references now (the garbage collector keeps
   * these; files an older snapshot still reads are the collector's reader registry's concern).
   */
  public Set<String> referencedSegmentPaths() {
    Set<String> paths = new HashSet<>();
    // A pre-committed two-phase load's files become visible (or are read) at its commit.
    for (TwoPhaseLoad load : precommittedLoads()) {
      paths.addAll(load.filePaths());
    }
    for (TableEntry entry : tablesById.values()) {
      for (List<RowsetMeta> rowsets : entry.rowsetsByTablet().values()) {
        for (RowsetMeta rowset : rowsets) {
          for (SegmentFile segment : rowset.segments()) {
            paths.add(segment.path());
          }
        }
      }
    }
    return paths;
  }

  private TableEntry requireTableEntry(long tableId) {
    TableEntry entry = tablesById.get(tableId);
    if (entry == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_TABLE, "id " + tableId);
    }
    return entry;
  }

  private void requireLabelFree(long databaseId, String label) {
    LoadRecord existing = labels.getOrDefault(databaseId, Map.of()).get(label);
    if (existing != null) {
      throw new BasaltException(ErrorCode.LABEL_ALREADY_EXISTS, label, existing.transactionId());
    }
  }

  /** Per tablet id of the table, its partition (formal or temporary). */
  private static Map<Long, PartitionMeta> partitionOfTablet(TableMeta table) {
    Map<Long, PartitionMeta> partitionOfTablet = new HashMap<>();
    for (PartitionMeta partition : allPartitions(table)) {
      for (long tabletId : partition.tabletIds()) {
        partitionOfTablet.put(tabletId, partition);
      }
    }
    return partitionOfTablet;
  }

  private static String generatedLabel() {
    UUID uuid = UUID.randomUUID();
    return "insert_"
        + Long.toHexString(uuid.getMostSignificantBits())
        + "_"
        + Long.toHexString(uuid.getLeastSignificantBits());
  }

  /** The labels recorded in a database (loads visible or pre-committed), in no order. */
  /**
   * Records a load that failed (SHOW LOAD lists it as CANCELLED with {@code reason}), durably,
   * under a new transaction id and apart from the labels, so the label stays free for a retry and
   * several failed loads may share one. Kept until {@link #removeExpiredLabels} finds it older than
   * {@code label_keep_max_second}; a database keeps at most {@link #FAILED_LOADS_KEPT}, dropping
   * the oldest.
   *
   * @param label the load's label, or {@code null} for a generated {@code insert_...} one
   * @param reason the error the load failed with
   * @return the record
   */
  public LoadRecord recordFailedLoad(
      long databaseId, long tableId, String label, String reason, LoadInfo info) {
    LoadRecord record =
        new LoadRecord(
            label != null ? label : generatedLabel(),
            databaseId,
            tableId,
            nextIdLocked(),
            LoadStatus.ABORTED,
            0,
            clock.getAsLong(),
            info,
            reason == null ? "" : reason);
    writeLock.lock();
    try {
      java.util.NavigableMap<Long, LoadRecord> database =
          failedLoads.computeIfAbsent(
              databaseId, id -> new java.util.concurrent.ConcurrentSkipListMap<>());
      WriteBatch batch =
          new WriteBatch()
              .put(failedLoadKey(databaseId, record.transactionId()), CatalogJson.encode(record));
      List<Long> dropped = new ArrayList<>();
      for (long transactionId : database.keySet()) {
        if (database.size() - dropped.size() < FAILED_LOADS_KEPT) {
          break;
        }
        dropped.add(transactionId);
        batch.delete(failedLoadKey(databaseId, transactionId));
      }
      commitToStore(batch);
      dropped.forEach(database::remove);
      database.put(record.transactionId(), record);
      return record;
    } finally {
      writeLock.unlock();
    }
  }

  /** The failed loads of a database ({@link #recordFailedLoad}) not yet expired, oldest first. */
  public List<LoadRecord> failedLoadRecords(long databaseId) {
    return List.copyOf(failedLoads.getOrDefault(databaseId, new java.util.TreeMap<>()).values());
  }

  public List<LoadRecord> loadRecords(long databaseId) {
    return List.copyOf(labels.getOrDefault(databaseId, Map.of()).values());
  }

  /** The load recorded under {@code label} in a database. */
  public Optional<LoadRecord> label(long databaseId, String label) {
    return Optional.ofNullable(labels.getOrDefault(databaseId, Map.of()).get(label));
  }

  /**
   * Removes what a database remembers of loads older than {@code keepMillis}: labels of visible
   * loads committed before then (the label can be used again) and two-phase records committed or
   * aborted before then. Labels of pre-committed loads stay. Doris's {@code label_keep_max_second}.
   *
   * @return how many labels and records were removed
   */
  public int removeExpiredLabels(long keepMillis) {
    writeLock.lock();
    try {
      long cutoff = clock.getAsLong() - keepMillis;
      WriteBatch batch = newBatch();
      List<LoadRecord> expiredFailures = new ArrayList<>();
      for (java.util.NavigableMap<Long, LoadRecord> database : failedLoads.values()) {
        for (LoadRecord record : database.values()) {
          if (record.commitTime() < cutoff) {
            expiredFailures.add(record);
            batch.delete(failedLoadKey(record.databaseId(), record.transactionId()));
          }
        }
      }
      List<LoadRecord> expiredLabels = new ArrayList<>();
      for (Map<String, LoadRecord> database : labels.values()) {
        for (LoadRecord record : database.values()) {
          if (record.status() == LoadStatus.VISIBLE && record.commitTime() < cutoff) {
            expiredLabels.add(record);
            batch.delete(labelKey(record.databaseId(), record.label()));
          }
        }
      }
      List<TwoPhaseLoad> expiredLoads = new ArrayList<>();
      for (TwoPhaseLoad load : twoPhaseLoads.values()) {
        if (load.status() != LoadStatus.PRECOMMITTED && load.finishTime() < cutoff) {
          expiredLoads.add(load);
          batch.delete(twoPhaseKey(load.databaseId(), load.transactionId()));
        }
      }
      if (expiredLabels.isEmpty() && expiredLoads.isEmpty() && expiredFailures.isEmpty()) {
        return 0;
      }
      commit(batch);
      for (LoadRecord record : expiredFailures) {
        failedLoads
            .getOrDefault(record.databaseId(), new java.util.TreeMap<>())
            .remove(record.transactionId());
      }
      for (LoadRecord record : expiredLabels) {
        labels.getOrDefault(record.databaseId(), new HashMap<>()).remove(record.label());
      }
      expiredLoads.forEach(load -> twoPhaseLoads.remove(load.transactionId()));
      return expiredLabels.size() + expiredLoads.size() + expiredFailures.size();
    } finally {
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------- two-phase loads

  /**
   * Pre-commits a two-phase load: records its segments and reserves its label (PRECOMMITTED), in
   * one store commit, without making anything visible. The files stay until {@link
   * #commitPrecommitted} or {@link #abortPrecommitted}.
   *
   * @param label the load's label, or {@code null} for a generated one
   * @param deadline epoch milliseconds after which the load is to be aborted
   * @throws BasaltException LABEL_ALREADY_EXISTS, UNKNOWN_TABLE
   * @throws IllegalArgumentException when a tablet id is not one of the table's tablets
   */
  public TwoPhaseLoad precommitLoad(
      long tableId,
      String label,
      Map<Long, List<SegmentFile>> segments,
      long rowCount,
      long deadline) {
    return precommitLoad(tableId, label, segments, Map.of(), null, rowCount, deadline, null);
  }

  /**
   * As {@link #precommitLoad(long, String, Map, long, long)}, with the files of the keys the load
   * deletes ({@code deleteKeyFiles}, per tablet; each tablet also needs an entry in {@code
   * segments}, empty when the load writes no rows there) and, for a partial column update, what its
   * commit needs to re-read ({@code partialUpdate}, else null), recording {@code info} (SHOW LOAD).
   */
  public TwoPhaseLoad precommitLoad(
      long tableId,
      String label,
      Map<Long, List<SegmentFile>> segments,
      Map<Long, String> deleteKeyFiles,
      TwoPhaseLoad.PartialUpdate partialUpdate,
      long rowCount,
      long deadline,
      LoadInfo info) {
    // A generated label is chosen once, so that a retried pre-commit cannot take two labels.
    String effectiveLabel = label != null ? label : generatedLabel();
    return retryingOnSharedStore(
        () ->
            precommitLoadOnce(
                tableId,
                effectiveLabel,
                segments,
                deleteKeyFiles,
                partialUpdate,
                rowCount,
                deadline,
                info));
  }

  private TwoPhaseLoad precommitLoadOnce(
      long tableId,
      String effectiveLabel,
      Map<Long, List<SegmentFile>> segments,
      Map<Long, String> deleteKeyFiles,
      TwoPhaseLoad.PartialUpdate partialUpdate,
      long rowCount,
      long deadline,
      LoadInfo info) {
    writeLock.lock();
    try {
      TableEntry entry = requireTableEntry(tableId);
      TableMeta table = entry.meta();
      Map<Long, PartitionMeta> partitionOfTablet = partitionOfTablet(table);
      for (long tabletId : segments.keySet()) {
        if (!partitionOfTablet.containsKey(tabletId)) {
          throw new IllegalArgumentException(
              "tablet " + tabletId + " is not in table " + table.name());
        }
      }
      long databaseId = table.databaseId();
      requireLabelFree(databaseId, effectiveLabel);
      long now = clock.getAsLong();
      long transactionId = nextIdLocked();
      TwoPhaseLoad load =
          new TwoPhaseLoad(
              transactionId,
              databaseId,
              tableId,
              effectiveLabel,
              LoadStatus.PRECOMMITTED,
              segments,
              deleteKeyFiles,
              partialUpdate,
              rowCount,
              now,
              deadline,
              null,
              0);
      LoadRecord record =
          new LoadRecord(
              effectiveLabel,
              databaseId,
              tableId,
              transactionId,
              LoadStatus.PRECOMMITTED,
              rowCount,
              now,
              info);
      String labelKey = labelKey(databaseId, effectiveLabel);
      commit(
          newBatch()
              .requireAbsent(labelKey)
              .put(labelKey, CatalogJson.encode(record))
              .put(twoPhaseKey(databaseId, transactionId), CatalogJson.encode(load)));
      labels
          .computeIfAbsent(databaseId, id -> new ConcurrentHashMap<>())
          .put(effectiveLabel, record);
      twoPhaseLoads.put(transactionId, load);
      return load;
    } finally {
      writeLock.unlock();
    }
  }

  /** A two-phase load by transaction id (pre-committed, or finished and not expired). */
  public Optional<TwoPhaseLoad> twoPhaseLoad(long transactionId) {
    return Optional.ofNullable(twoPhaseLoads.get(transactionId));
  }

  /** The newest two-phase load of a database with this label. */
  public Optional<TwoPhaseLoad> twoPhaseLoad(long databaseId, String label) {
    return twoPhaseLoads.values().stream()
        .filter(load -> load.databaseId() == databaseId && load.label().equals(label))
        .max(Comparator.comparingLong(TwoPhaseLoad::transactionId));
  }

  /** The two-phase loads still pre-committed, by transaction id. */
  public List<TwoPhaseLoad> precommittedLoads() {
    return twoPhaseLoads.values().stream()
        .filter(load -> load.status() == LoadStatus.PRECOMMITTED)
        .sorted(Comparator.comparingLong(TwoPhaseLoad::transactionId))
        .toList();
  }

  /**
   * Commits a pre-committed load: it becomes visible exactly as {@link #commitLoad} makes a load
   * visible, under its own transaction id and label.
   *
   * @param markerFor the delete marker for the load (merge-on-write tables), or a function giving
   *     null
   * @throws BasaltException TRANSACTION_NOT_FOUND, TRANSACTION_ABORTED or
   *     TRANSACTION_NOT_PRECOMMITTED when the transaction is not pre-committed in this database;
   *     UNKNOWN_TABLE when its table was dropped
   */
  public CommitResult commitPrecommitted(
      long databaseId,
      long transactionId,
      java.util.function.Function<TwoPhaseLoad, DeleteMarker> markerFor) {
    // Another front end's commit or DDL first: retried on the fresh snapshot (its marks computed
    // again); another front end's commit or abort of this transaction: the retry reports it.
    return retryingOnSharedStore(
        () -> commitPrecommittedOnce(databaseId, transactionId, markerFor));
  }

  private CommitResult commitPrecommittedOnce(
      long databaseId,
      long transactionId,
      java.util.function.Function<TwoPhaseLoad, DeleteMarker> markerFor) {
    writeLock.lock();
    try {
      TwoPhaseLoad load = requirePrecommitted(databaseId, transactionId, true);
      ReentrantLock tableLock = tableLock(load.tableId());
      tableLock.lock();
      try {
        return commitLoadLocked(
            requireTableEntry(load.tableId()),
            load.label(),
            transactionId,
            load.segments(),
            load.rowCount(),
            markerFor.apply(load),
            new WriteBatch(),
            load,
            Optional.ofNullable(labels.getOrDefault(databaseId, Map.of()).get(load.label()))
                .map(LoadRecord::info)
                .orElse(null),
            Map.of());
      } finally {
        tableLock.unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Aborts a pre-committed load: its label is free again and its record says ABORTED.
   *
   * @return the paths of its files (segments, delete keys), which nothing references any more (the
   *     caller deletes them)
   * @throws BasaltException TRANSACTION_NOT_FOUND, TRANSACTION_ABORTED or TRANSACTION_CANNOT_ABORT
   *     when the transaction is not pre-committed in this database
   */
  public List<String> abortPrecommitted(long databaseId, long transactionId, String reason) {
    return retryingOnSharedStore(() -> abortPrecommittedOnce(databaseId, transactionId, reason));
  }

  private List<String> abortPrecommittedOnce(long databaseId, long transactionId, String reason) {
    writeLock.lock();
    try {
      TwoPhaseLoad load = requirePrecommitted(databaseId, transactionId, false);
      TwoPhaseLoad aborted = load.finished(LoadStatus.ABORTED, reason, clock.getAsLong());
      commit(
          newBatch()
              .delete(labelKey(databaseId, load.label()))
              .put(twoPhaseKey(databaseId, transactionId), CatalogJson.encode(aborted)));
      labels.getOrDefault(databaseId, new HashMap<>()).remove(load.label());
      twoPhaseLoads.put(transactionId, aborted);
      return load.filePaths();
    } finally {
      writeLock.unlock();
    }
  }

  /** The pre-committed load, or Doris's error for the state the transaction is in. */
  private TwoPhaseLoad requirePrecommitted(long databaseId, long transactionId, boolean commit) {
    TwoPhaseLoad load = twoPhaseLoads.get(transactionId);
    LoadStatus status;
    String reason = null;
    if (load != null && load.databaseId() == databaseId) {
      status = load.status();
      reason = load.abortReason();
    } else {
      // A load committed at once (not two-phase) is visible under its label's transaction id.
      status =
          labels.getOrDefault(databaseId, Map.of()).values().stream()
              .filter(record -> record.transactionId() == transactionId)
              .map(LoadRecord::status)
              .findFirst()
              .orElse(null);
    }
    if (status == null) {
      throw new BasaltException(ErrorCode.TRANSACTION_NOT_FOUND, transactionId);
    }
    return switch (status) {
      case PRECOMMITTED -> load;
      case ABORTED ->
          throw new BasaltException(ErrorCode.TRANSACTION_ABORTED, transactionId, reason);
      default ->
          throw new BasaltException(
              commit ? ErrorCode.TRANSACTION_NOT_PRECOMMITTED : ErrorCode.TRANSACTION_CANNOT_ABORT,
              transactionId,
              commit ? status.name().toLowerCase(Locale.ROOT) : status.name());
    };
  }

  // ---------------------------------------------------------------- users

  /**
   * Creates a user with host {@code %}.
   *
   * @param passwordHash SHA1(SHA1(password)) ({@link Passwords#doubleSha1}) or empty
   * @return whether the user was created (false: it existed and {@code ifNotExists})
   * @throws BasaltException UNKNOWN_USER ("Operation CREATE USER failed") when it exists
   */
  public boolean createUser(String name, byte[] passwordHash, boolean ifNotExists) {
    writeLock.lock();
    try {
      if (users.containsKey(name)) {
        if (ifNotExists) {
          return false;
        }
        throw new BasaltException(ErrorCode.UNKNOWN_USER, "CREATE USER", name, "%");
      }
      UserMeta user = new UserMeta(name, "%", passwordHash);
      commit(newBatch().put(userKey(name), CatalogJson.encode(user)));
      users.put(name, user);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /** Sets a user's password hash. @throws BasaltException UNKNOWN_USER when absent */
  public void alterUserPassword(String name, byte[] passwordHash) {
    writeLock.lock();
    try {
      if (!users.containsKey(name)) {
        throw new BasaltException(ErrorCode.UNKNOWN_USER, "ALTER USER", name, "%");
      }
      UserMeta user = users.get(name).withPasswordHash(passwordHash);
      commit(newBatch().put(userKey(name), CatalogJson.encode(user)));
      users.put(name, user);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Drops a user.
   *
   * @return whether a user was dropped
   * @throws BasaltException UNKNOWN_USER when absent and not {@code ifExists}; INVALID_DDL for root
   */
  public boolean dropUser(String name, boolean ifExists) {
    writeLock.lock();
    try {
      if (ROOT_USER.equals(name)) {
        throw new BasaltException(ErrorCode.INVALID_DDL, "Can not drop user root");
      }
      if (!users.containsKey(name)) {
        if (ifExists) {
          return false;
        }
        throw new BasaltException(ErrorCode.UNKNOWN_USER, "DROP USER", name, "%");
      }
      commit(newBatch().delete(userKey(name)));
      users.remove(name);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /** The stored SHA1(SHA1(password)) of a user (empty array: no password), or empty if unknown. */
  public Optional<byte[]> passwordHash(String name) {
    UserMeta user = users.get(name);
    return user == null ? Optional.empty() : Optional.of(user.passwordHash().clone());
  }

  /** All users, sorted by name. */
  public List<UserMeta> users() {
    return users.values().stream().sorted(Comparator.comparing(UserMeta::name)).toList();
  }

  /** A user by name. */
  public Optional<UserMeta> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  // ---------------------------------------------------------------- roles and privileges

  /** The built-in roles, then the created ones sorted by name. */
  public List<RoleMeta> roles() {
    List<RoleMeta> all = new ArrayList<>(BUILT_IN_ROLES);
    roles.values().stream().sorted(Comparator.comparing(RoleMeta::name)).forEach(all::add);
    return all;
  }

  /**
   * What {@code user} may do now: root, and holders of ADMIN on {@code *.*}, everything; others the
   * union of their grants and their roles' grants. An unknown user may do nothing.
   */
  public AccessRights accessRights(String user) {
    if (ROOT_USER.equals(user)) {
      return AccessRights.superuser();
    }
    UserMeta meta = users.get(user);
    if (meta == null) {
      return new AccessRights(false, List.of());
    }
    List<PrivilegeGrant> grants = new ArrayList<>(meta.grants());
    for (String roleName : meta.roles()) {
      RoleMeta role = role(roleName);
      if (role != null) {
        grants.addAll(role.grants());
      }
    }
    return new AccessRights(false, grants);
  }

  /**
   * Creates a role.
   *
   * @return whether it was created (false: it existed and {@code ifNotExists})
   * @throws BasaltException UNKNOWN_USER ("Operation CREATE ROLE failed") when it exists
   */
  public boolean createRole(String name, boolean ifNotExists) {
    writeLock.lock();
    try {
      if (role(name) != null) {
        if (ifNotExists) {
          return false;
        }
        throw new BasaltException(ErrorCode.UNKNOWN_USER, "CREATE ROLE", name, "%");
      }
      CatalogLimits.checkName(name);
      RoleMeta role = new RoleMeta(name, List.of());
      commit(newBatch().put(roleKey(name), CatalogJson.encode(role)));
      roles.put(name, role);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Drops a role and takes it away from every user that held it, in one commit.
   *
   * @return whether a role was dropped
   * @throws BasaltException UNKNOWN_USER when absent and not {@code ifExists}; INVALID_DDL for a
   *     built-in role
   */
  public boolean dropRole(String name, boolean ifExists) {
    writeLock.lock();
    try {
      requireChangeableRole(name);
      if (!roles.containsKey(name)) {
        if (ifExists) {
          return false;
        }
        throw new BasaltException(ErrorCode.UNKNOWN_USER, "DROP ROLE", name, "%");
      }
      WriteBatch batch = newBatch().delete(roleKey(name));
      Map<String, UserMeta> changed = new HashMap<>();
      for (UserMeta user : users.values()) {
        if (user.roles().contains(name)) {
          UserMeta updated =
              user.withRoles(user.roles().stream().filter(r -> !r.equals(name)).toList());
          batch.put(userKey(user.name()), CatalogJson.encode(updated));
          changed.put(user.name(), updated);
        }
      }
      commit(batch);
      roles.remove(name);
      users.putAll(changed);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Grants (or with {@code revoke} takes away) privileges at one level to a user or a role.
   * Revoking what is not held is not an error.
   *
   * @param grantee a user name, or a role name when {@code toRole}
   * @throws BasaltException UNKNOWN_USER for an unknown user or role; INVALID_DDL for ADMIN below
   *     the global level, for root and for built-in roles
   */
  public void changePrivileges(
      String grantee,
      boolean toRole,
      PrivilegeLevel level,
      Set<Privilege> privileges,
      boolean revoke) {
    if (privileges.contains(Privilege.ADMIN) && !level.isGlobal()) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "ADMIN_PRIV can only be granted or revoked on *.*.*");
    }
    String operation = revoke ? "REVOKE" : "GRANT";
    writeLock.lock();
    try {
      if (toRole) {
        requireChangeableRole(grantee);
        RoleMeta role = roles.get(grantee);
        if (role == null) {
          throw new BasaltException(ErrorCode.UNKNOWN_USER, operation, grantee, "%");
        }
        RoleMeta updated =
            role.withGrants(
                revoke
                    ? PrivilegeGrant.remove(role.grants(), level, privileges)
                    : PrivilegeGrant.add(role.grants(), level, privileges));
        commit(newBatch().put(roleKey(grantee), CatalogJson.encode(updated)));
        roles.put(grantee, updated);
      } else {
        UserMeta user = requireChangeableUser(grantee, operation);
        UserMeta updated =
            user.withGrants(
                revoke
                    ? PrivilegeGrant.remove(user.grants(), level, privileges)
                    : PrivilegeGrant.add(user.grants(), level, privileges));
        commit(newBatch().put(userKey(grantee), CatalogJson.encode(updated)));
        users.put(grantee, updated);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Grants (or with {@code revoke} takes away) roles from a user.
   *
   * @throws BasaltException UNKNOWN_USER for an unknown user or role; INVALID_DDL for root
   */
  public void changeRoles(String user, List<String> roleNames, boolean revoke) {
    String operation = revoke ? "REVOKE" : "GRANT";
    writeLock.lock();
    try {
      UserMeta meta = requireChangeableUser(user, operation);
      List<String> held = new ArrayList<>(meta.roles());
      for (String roleName : roleNames) {
        if (role(roleName) == null) {
          throw new BasaltException(ErrorCode.UNKNOWN_USER, operation, roleName, "%");
        }
        if (revoke) {
          held.remove(roleName);
        } else if (!held.contains(roleName)) {
          held.add(roleName);
        }
      }
      UserMeta updated = meta.withRoles(held);
      commit(newBatch().put(userKey(user), CatalogJson.encode(updated)));
      users.put(user, updated);
    } finally {
      writeLock.unlock();
    }
  }

  private RoleMeta role(String name) {
    for (RoleMeta builtIn : BUILT_IN_ROLES) {
      if (builtIn.name().equals(name)) {
        return builtIn;
      }
    }
    return roles.get(name);
  }

  private static void requireChangeableRole(String name) {
    for (RoleMeta builtIn : BUILT_IN_ROLES) {
      if (builtIn.name().equals(name)) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL, "Can not change the built-in role " + name);
      }
    }
  }

  private UserMeta requireChangeableUser(String name, String operation) {
    if (ROOT_USER.equals(name)) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "Can not " + operation.toLowerCase(Locale.ROOT) + " root");
    }
    UserMeta user = users.get(name);
    if (user == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_USER, operation, name, "%");
    }
    return user;
  }

  // ---------------------------------------------------------------- helpers

  private DatabaseMeta requireDatabase(String name) {
    if (name == null) {
      throw new BasaltException(ErrorCode.NO_DATABASE_SELECTED);
    }
    DatabaseMeta database = databasesByName.get(name);
    if (database == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_DATABASE, name);
    }
    return database;
  }

  private TableEntry requireTable(String database, String name) {
    DatabaseMeta db = requireDatabase(database);
    Long id = tableIdsByName.getOrDefault(db.id(), Map.of()).get(name);
    TableEntry entry = id == null ? null : tablesById.get(id);
    if (entry == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_TABLE, database + "." + name);
    }
    return entry;
  }

  private static ColumnMeta requireColumn(TableMeta table, String name) {
    return table
        .column(name)
        .orElseThrow(() -> new BasaltException(ErrorCode.UNKNOWN_COLUMN, name, table.name()));
  }

  private static boolean containsIgnoreCase(List<String> names, String name) {
    return names.stream().anyMatch(n -> n.equalsIgnoreCase(name));
  }

  private void putDatabase(DatabaseMeta database) {
    databasesByName.put(database.name(), database);
    databasesById.put(database.id(), database);
    tableIdsByName.computeIfAbsent(database.id(), id -> new ConcurrentHashMap<>());
  }

  private void putTable(TableEntry entry) {
    tablesById.put(entry.meta().id(), entry);
    tableIdsByName
        .computeIfAbsent(entry.meta().databaseId(), id -> new ConcurrentHashMap<>())
        .put(entry.meta().name(), entry.meta().id());
  }

  /**
   * A batch that bumps {@code catalog/version} if nobody else has (caller holds the write lock).
   */
  private WriteBatch newBatch() {
    return new WriteBatch()
        .requireValue(VERSION_KEY, number(catalogVersion))
        .put(VERSION_KEY, number(catalogVersion + 1));
  }

  /** Commits a batch from {@link #newBatch()} (caller holds the write lock). */
  private void commit(WriteBatch batch) {
    commitToStore(batch);
    catalogVersion++;
    ownDdlCommits++;
  }

  /**
   * Commits through {@link #commit(WriteBatch)} by this catalog (under the write lock): a DDL
   * statement that lost a race after one of them is not retried ({@link
   * #retryingDdlOnSharedStore}).
   */
  private volatile long ownDdlCommits;

  /**
   * Commits {@code batch}; a failed precondition (another front end sharing the store committed
   * first) becomes the retryable CATALOG_CHANGED_CONCURRENTLY. The next {@link #refresh} (before
   * the next statement) brings the cache up to date.
   */
  private void commitToStore(WriteBatch batch) {
    try {
      store.commit(batch);
    } catch (MetaStoreConflictException e) {
      throw new BasaltException(e, ErrorCode.CATALOG_CHANGED_CONCURRENTLY, e.getMessage());
    }
  }

  /** How often a load or compaction commit that lost a race is retried on a fresh snapshot. */
  private static final int COMMIT_ATTEMPTS = 8;

  /**
   * Runs a DDL statement's catalog changes ({@code statement}, which calls this catalog's methods),
   * retried like a load's commit ({@link #retryingOnSharedStore}) when its commit lost the race
   * with another front end's, so that the statement sees the other's change (its name checks, IF
   * [NOT] EXISTS) instead of failing with CATALOG_CHANGED_CONCURRENTLY. A statement that lost the
   * race after it had committed part of its changes (an ALTER TABLE with several operations commits
   * each) is not run again: it fails with that retryable error, its committed part staying.
   */
  public <T> T retryingDdlOnSharedStore(java.util.function.Supplier<T> statement) {
    try {
      return retryingOnSharedStore(
          () -> {
            long before = ownDdlCommits;
            try {
              return statement.get();
            } catch (BasaltException e) {
              if (e.code() == ErrorCode.CATALOG_CHANGED_CONCURRENTLY && ownDdlCommits != before) {
                throw new PartlyCommitted(e);
              }
              throw e;
            }
          });
    } catch (PartlyCommitted e) {
      throw e.lostRace;
    }
  }

  /** A DDL statement's lost race that must not be retried: part of it is committed. */
  private static final class PartlyCommitted extends RuntimeException {
    private final BasaltException lostRace;

    PartlyCommitted(BasaltException lostRace) {
      super(null, null, false, false);
      this.lostRace = lostRace;
    }
  }

  /**
   * Runs {@code attempt} (a commit taking its table's lock itself); when another front end sharing
   * the store committed first, rereads what changed and runs it again on the fresh snapshot, at
   * most {@link #COMMIT_ATTEMPTS} times. Called without any catalog lock held.
   */
  private <T> T retryingOnSharedStore(java.util.function.Supplier<T> attempt) {
    for (int attempts = 1; ; attempts++) {
      try {
        if (attempts < EXCLUSIVE_ATTEMPT) {
          return attempt.get();
        }
        // Lost too often (another front end committing into the table in a tight loop): reread
        // and commit while the other front ends wait, so this attempt cannot lose again.
        return store.exclusively(
            () -> {
              refresh();
              return attempt.get();
            });
      } catch (BasaltException e) {
        if (e.code() != ErrorCode.CATALOG_CHANGED_CONCURRENTLY
            || !store.isShared()
            || attempts >= COMMIT_ATTEMPTS) {
          throw e;
        }
        if (attempts + 1 < EXCLUSIVE_ATTEMPT) {
          refresh();
        }
      }
    }
  }

  /** The attempt from which a retried commit rereads and commits holding the store exclusively. */
  private static final int EXCLUSIVE_ATTEMPT = 3;

  /**
   * On a shared store, requires {@code catalog/version} unchanged: another front end's DDL (a DROP,
   * TRUNCATE, partition or schema change) makes this commit fail and retry on a fresh snapshot.
   */
  private void requireCatalogVersionIfShared(WriteBatch batch) {
    if (store.isShared()) {
      batch.requireValue(VERSION_KEY, number(catalogVersion));
    }
  }

  private static byte[] number(long value) {
    return Long.toString(value).getBytes(UTF_8);
  }

  private static long parseNumber(byte[] bytes) {
    return Long.parseLong(new String(bytes, UTF_8));
  }

  private static final String VIEW_PREFIX = "view/";

  private static String viewKey(long id) {
    return VIEW_PREFIX + id;
  }

  private static String databaseKey(long id) {
    return "db/" + id;
  }

  private static final String PROVISIONAL_PREFIX = "provisional_table/";

  /**
   * In a shared catalog, how old an unconfirmed CREATE TABLE ... AS SELECT target must be before a
   * starting front end drops it as abandoned (another front end may still be filling it).
   */
  static final long PROVISIONAL_TABLE_GRACE_MILLIS = 60 * 60_000L;

  private static String provisionalKey(long tableId) {
    return PROVISIONAL_PREFIX + tableId;
  }

  private static String tableKey(long id) {
    return "table/" + id;
  }

  private static String autoIncrementKey(long tableId) {
    return "auto_increment/" + tableId;
  }

  private static String rowsetKey(long tableId, long tabletId, long rowsetId) {
    return "rowset/" + tableId + "/" + tabletId + "/" + rowsetId;
  }

  private static final String PARTITION_VERSION_PREFIX = "partition_version/";

  /**
   * Keys of the durable copies of unforced segment files ({@code segment_copy/<path>}: the file's
   * bytes), written with a small load's commit and deleted once the file is forced.
   */
  private static final String SEGMENT_COPY_PREFIX = "segment_copy/";

  private static String partitionVersionKey(long tableId, long partitionId) {
    return PARTITION_VERSION_PREFIX + tableId + "/" + partitionId;
  }

  /**
   * Makes {@code batch} fail unless the partition's version record is still the one {@code
   * partition} was read with (absent while its version is 1).
   */
  private static void requirePartitionVersion(
      WriteBatch batch, long tableId, PartitionMeta partition) {
    String key = partitionVersionKey(tableId, partition.id());
    if (partition.visibleVersion() > 1) {
      batch.requireValue(
          key,
          new PartitionVersion(partition.visibleVersion(), partition.visibleVersionTime())
              .encode());
    } else {
      batch.requireAbsent(key);
    }
  }

  private ReentrantLock tableLock(long tableId) {
    return tableLocks.computeIfAbsent(tableId, id -> new ReentrantLock());
  }

  private static String deleteKey(long tableId, long tabletId, long version) {
    return "delete/" + tableId + "/" + tabletId + "/" + version;
  }

  private static String labelKey(long databaseId, String label) {
    return "label/" + databaseId + "/" + label;
  }

  private static final String FAILED_LOAD_PREFIX = "failedload/";

  private static String failedLoadKey(long databaseId, long transactionId) {
    return FAILED_LOAD_PREFIX + databaseId + "/" + transactionId;
  }

  private static String alterJobKey(long databaseId, long jobId) {
    return ALTER_JOB_PREFIX + databaseId + "/" + jobId;
  }

  private static String twoPhaseKey(long databaseId, long transactionId) {
    return "txn/" + databaseId + "/" + transactionId;
  }

  private static String roleKey(String name) {
    return "role/" + name;
  }

  private static String userKey(String name) {
    return "user/" + name;
  }
}
