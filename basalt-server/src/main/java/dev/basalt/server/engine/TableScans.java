package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.exec.expression.SelectionFilter;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.operator.FilterOperator;
import dev.basalt.exec.operator.Operator;
import dev.basalt.exec.operator.RuntimeFilter;
import dev.basalt.exec.operator.StreamOperator;
import dev.basalt.exec.operator.ValuesOperator;
import dev.basalt.load.TabletModels;
import dev.basalt.load.TabletSnapshots;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import dev.basalt.server.session.Session;
import dev.basalt.sql.schema.PartitionPruner;
import dev.basalt.sql.schema.ScanPredicate;
import dev.basalt.sql.schema.ScanProvider;
import dev.basalt.sql.schema.TableDescriptor;
import dev.basalt.sql.type.CalciteTypes;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.ColumnBound;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.ScanCounters;
import dev.basalt.storage.segment.SegmentFilter;
import dev.basalt.storage.tablet.ScanFilter;
import dev.basalt.storage.tablet.TabletModel;
import dev.basalt.storage.tablet.TabletReader;
import dev.basalt.storage.tablet.TabletScan;
import dev.basalt.storage.tablet.TabletSnapshot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Opens scans for one statement (not thread safe; one per statement). A user table is read at one
 * snapshot (all its tablets at one point in time, the same for every scan of it in the statement):
 * DUPLICATE KEY tables stream their segments; merge-on-write UNIQUE KEY tables stream theirs too,
 * leaving out the rows their delete bitmaps mark at the snapshot's version; merge-on-read UNIQUE
 * KEY tables (and unique tables created before merge-on-write) and AGGREGATE KEY tables are merged
 * at read time by key, in version order. The tablet layer does the reading ({@link TabletReader}
 * over the {@link TabletSnapshot}s that {@link TabletSnapshots} makes of the partitions read); this
 * class chooses the statement's snapshot, prunes partitions, maps the plan's columns and types to
 * segment requests, pushes the predicate ({@link PushedFilter}) and wraps the streams in operators.
 * System tables generate their rows.
 */
final class TableScans implements ScanProvider {
  private final Catalog catalog;
  private final FileSystem fileSystem;
  private final SystemTableRows systemRows;
  private final ColumnDefaults defaults;
  private final Session session;
  private final PrimaryKeyLookup lookup;

  /** Footers and decoded pages of the segments read, kept for the next statements. */
  private final SegmentCaches caches;

  /** One snapshot per table for the whole statement, so a self-join reads one version. */
  private final Map<Long, TableSnapshot> snapshots = new java.util.HashMap<>();

  TableScans(
      Catalog catalog,
      FileSystem fileSystem,
      SystemTableRows systemRows,
      ColumnDefaults defaults,
      Session session,
      PrimaryKeyLookup lookup,
      SegmentCaches caches) {
    this.catalog = catalog;
    this.lookup = lookup;
    this.caches = caches;
    this.fileSystem = fileSystem;
    this.systemRows = systemRows;
    this.defaults = defaults;
    this.session = session;
  }

  @Override
  public Operator scan(TableDescriptor table, int[] columns, EvaluationContext context) {
    List<DataType> types = plannedTypes(table, columns);
    if (table.handle() instanceof SystemTable system) {
      List<Object[]> rows = new ArrayList<>();
      for (Object[] row : systemRows.rows(system, session)) {
        rows.add(project(row, columns));
      }
      return new ValuesOperator(types, rows);
    }
    // The plan was made against this table definition: its column positions and unique ids are
    // what the plan means, even if a concurrent ALTER has changed the table since. Columns are
    // read by unique id, so rowsets written before or after such a change read correctly.
    TableMeta meta = (TableMeta) table.handle();
    List<TabletSnapshot> tablets = tablets(table, columns, null);
    if (streamsSegments(meta)) {
      return segmentScan(meta, TabletScan.wholeSegments(tablets), columns, types);
    }
    return mergedScan(meta, tablets, columns, List.of(), types);
  }

  /** A streaming scan of {@code scan}'s segments by one operator, without a pushed predicate. */
  private Operator segmentScan(
      TableMeta meta, TabletScan scan, int[] columns, List<DataType> types) {
    List<ColumnRequest> requests = requests(meta, columns);
    ScanCounters counters = new ScanCounters();
    TabletReader reader = tabletReader();
    return new StreamOperator(
        types,
        () ->
            new ConvertedStream(
                reader.segmentScan(scan, forSegment(requests), null, counters), types),
        counters);
  }

  /**
   * Tables whose segments stream pushes the predicate into the segment reads (zone maps, late
   * materialization); others scan and filter on top.
   */
  @Override
  public Operator scan(
      TableDescriptor table, int[] columns, ScanPredicate predicate, EvaluationContext context) {
    if (!(table.handle() instanceof TableMeta meta)) {
      return ScanProvider.super.scan(table, columns, predicate, context);
    }
    if (!streamsSegments(meta)) {
      // Merged at read time, then filtered; partitions the predicate rules out are not read.
      return new FilterOperator(
          mergedScan(
              meta,
              tablets(table, columns, predicate),
              columns,
              keyBounds(meta, columns, predicate),
              plannedTypes(table, columns)),
          predicate.condition(),
          context);
    }
    List<DataType> types = plannedTypes(table, columns);
    TabletScan scan = TabletScan.wholeSegments(tablets(table, columns, predicate));
    List<ColumnRequest> requests = requests(meta, columns);
    PushedFilter pushed = new PushedFilter(predicate, types, context);
    TabletReader reader = tabletReader();
    return new StreamOperator(
        types,
        () ->
            new ConvertedStream(
                reader.segmentScan(scan, forSegment(requests), pushed, pushed.counters), types),
        pushed.counters);
  }

  /**
   * A table of at least {@link #PARALLEL_MIN_ROWS} rows whose segments stream is read by {@code
   * workers} operators that take morsels ({@link TabletScan#MORSEL_ROWS} rows of one segment) from
   * one shared {@link TabletScan}; smaller tables and merged models get one operator.
   */
  @Override
  public List<Operator> scanInParallel(
      TableDescriptor table,
      int[] columns,
      ScanPredicate predicate,
      int workers,
      EvaluationContext context) {
    Operator single =
        predicate == null
            ? scan(table, columns, context)
            : scan(table, columns, predicate, context);
    if (workers < 2 || !(table.handle() instanceof TableMeta meta)) {
      return List.of(single);
    }
    List<TabletSnapshot> tablets = tablets(table, columns, predicate);
    if (!streamsSegments(meta)) {
      return mergedScanInParallel(
          meta, tablets, single, table, columns, predicate, workers, context);
    }
    TabletScan scan = TabletScan.inMorsels(tablets);
    if (scan.rowCount() < PARALLEL_MIN_ROWS) {
      return List.of(single);
    }
    single.close();
    List<DataType> types = plannedTypes(table, columns);
    List<ColumnRequest> requests = requests(meta, columns);
    PushedFilter pushed = predicate == null ? null : new PushedFilter(predicate, types, context);
    ScanCounters counters = pushed != null ? pushed.counters : new ScanCounters();
    TabletReader reader = tabletReader();
    List<Operator> operators = new ArrayList<>();
    for (int worker = 0; worker < workers; worker++) {
      operators.add(
          new StreamOperator(
              types,
              () ->
                  new ConvertedStream(
                      reader.segmentScan(scan, forSegment(requests), pushed, counters), types),
              counters));
    }
    return operators;
  }

  /**
   * A merged table of at least {@link #PARALLEL_MIN_ROWS} rows in more than one merge group is read
   * by {@code workers} operators that take whole merge groups (tablets) from one shared queue, the
   * predicate applied on top of each after merging.
   */
  private List<Operator> mergedScanInParallel(
      TableMeta meta,
      List<TabletSnapshot> groups,
      Operator single,
      TableDescriptor table,
      int[] columns,
      ScanPredicate predicate,
      int workers,
      EvaluationContext context) {
    long rows = groups.stream().mapToLong(TabletSnapshot::rowCount).sum();
    if (rows < PARALLEL_MIN_ROWS || groups.size() < 2) {
      return List.of(single);
    }
    single.close();
    List<DataType> types = plannedTypes(table, columns);
    MergedRead read = mergedRead(meta, columns, keyBounds(meta, columns, predicate));
    Queue<TabletSnapshot> queue = new ConcurrentLinkedQueue<>(groups);
    ScanCounters counters = new ScanCounters();
    List<Operator> operators = new ArrayList<>();
    // As many operators as asked for (the planner builds that many copies); a copy that finds
    // the queue empty ends at once.
    for (int worker = 0; worker < workers; worker++) {
      Operator scan = mergedGroupsScan(queue, read, types, counters);
      operators.add(
          predicate == null ? scan : new FilterOperator(scan, predicate.condition(), context));
    }
    return operators;
  }

  /** Below this many rows a table is scanned by one thread: splitting would not pay. */
  static final long PARALLEL_MIN_ROWS = 2L * TabletScan.MORSEL_ROWS;

  /**
   * Merge-on-write UNIQUE KEY tables hold each live key once: their segments stream like a
   * DUPLICATE KEY table's, skipping the rows the delete bitmaps mark. Others merge by key.
   */
  private static boolean streamsSegments(TableMeta meta) {
    return TabletSnapshots.streamsSegments(meta);
  }

  private TabletReader tabletReader() {
    return new TabletReader(fileSystem, caches.footers(), caches.scanPages());
  }

  private static List<DataType> plannedTypes(TableDescriptor table, int[] columns) {
    List<DataType> types = new ArrayList<>();
    for (int column : columns) {
      types.add(CalciteTypes.plannedType(table.columns().get(column).type()));
    }
    return types;
  }

  private List<ColumnRequest> requests(TableMeta meta, int[] columns) {
    List<ColumnRequest> requests = new ArrayList<>();
    for (int column : columns) {
      requests.add(request(meta, column));
    }
    return requests;
  }

  /**
   * The statement's snapshot of a table's data, taken at its first scan. The plan was made against
   * {@code meta}; when the table was dropped since (the catalog no longer knows its id), the
   * statement fails with 1412 naming the table instead of "table id N doesn't exist". A table
   * dropped and created again under the same name has a new id, so the old plan never reads the new
   * table's data with the old schema.
   */
  private TableSnapshot snapshot(TableMeta meta) {
    TableSnapshot snapshot = snapshots.get(meta.id());
    if (snapshot == null) {
      try {
        snapshot = catalog.snapshot(meta.id());
      } catch (BasaltException gone) {
        if (gone.code() != ErrorCode.UNKNOWN_TABLE) {
          throw gone;
        }
        throw new BasaltException(
            gone,
            ErrorCode.TABLE_DEFINITION_CHANGED,
            "table " + meta.name() + " was dropped while the statement was being planned");
      }
      snapshots.put(meta.id(), snapshot);
    }
    return snapshot;
  }

  /**
   * The tablets of the partitions a scan reads ({@code PARTITION (...)} and pruning by the
   * predicate, see {@link PartitionPruner}) at the statement's snapshot; for tables merged at read
   * time their merge groups ({@link TabletSnapshots#of}).
   */
  private List<TabletSnapshot> tablets(
      TableDescriptor table, int[] columns, ScanPredicate predicate) {
    TableMeta meta = (TableMeta) table.handle();
    TableSnapshot snapshot = snapshot(meta);
    return TabletSnapshots.of(
        snapshot,
        PartitionPruner.prune(
            meta, PartitionPruner.selected(snapshot.table(), table), columns, predicate));
  }

  /** As above, for a scan handed {@code column = value} equalities (table column indexes). */
  private List<TabletSnapshot> tablets(TableDescriptor table, Map<Integer, Object> equalities) {
    TableMeta meta = (TableMeta) table.handle();
    TableSnapshot snapshot = snapshot(meta);
    return TabletSnapshots.of(
        snapshot,
        PartitionPruner.prune(meta, PartitionPruner.selected(snapshot.table(), table), equalities));
  }

  /**
   * A predicate pushed into segment reads: the zone-map bounds (with the ranges of published
   * runtime filters), and the condition evaluated on the decoded filter columns of each batch, then
   * the runtime filters' key tests (the tablet scan drops rows marked deleted in the same pass).
   */
  private static final class PushedFilter implements ScanFilter {
    final ScanPredicate predicate;
    final EvaluationContext context;
    final ScanCounters counters = new ScanCounters();

    /** The condition cut into steps over disjoint columns ({@link ScanFilterSteps}). */
    final List<Step> steps = new ArrayList<>();

    /** Where each filter column (an index into the predicate's filter columns) is in step 0. */
    final int[] positionInFirstStep;

    /**
     * One step: its columns as indexes into the scan's columns, their planned types, and its
     * conjuncts as a selection filter over them ({@code null}: none).
     */
    record Step(int[] columns, List<DataType> types, SelectionFilter selection) {}

    PushedFilter(ScanPredicate predicate, List<DataType> types, EvaluationContext context) {
      this.predicate = predicate;
      this.context = context;
      int[] filterColumns = predicate.filterColumns();
      int[] runtimeColumns =
          predicate.runtimeFilters().stream()
              .mapToInt(ScanPredicate.RuntimeKey::filterPosition)
              .distinct()
              .toArray();
      ScanFilterSteps cut =
          ScanFilterSteps.of(predicate.filterCondition(), filterColumns.length, runtimeColumns);
      positionInFirstStep = new int[filterColumns.length];
      for (ScanFilterSteps.Step step : cut.steps()) {
        int[] columns = new int[step.columns().length];
        List<DataType> stepTypes = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
          columns[i] = filterColumns[step.columns()[i]];
          stepTypes.add(types.get(columns[i]));
          if (steps.isEmpty()) {
            positionInFirstStep[step.columns()[i]] = i;
          }
        }
        steps.add(
            new Step(
                columns,
                stepTypes,
                step.condition() == null ? null : SelectionFilter.of(step.condition())));
      }
    }

    /**
     * The predicate's bounds plus {@code min <= key <= max} of each runtime filter published by now
     * that has bounds (scans open after their join's build, so all of them are published).
     */
    @Override
    public List<ColumnBound> bounds() {
      List<ColumnBound> bounds = new ArrayList<>(predicate.bounds());
      for (ScanPredicate.RuntimeKey key : predicate.runtimeFilters()) {
        RuntimeFilter filter = key.filter();
        if (filter.isReady()
            && ColumnBound.supported(filter.lowerBound())
            && ColumnBound.supported(filter.upperBound())) {
          int column = predicate.filterColumns()[key.filterPosition()];
          bounds.add(
              new ColumnBound(
                  column, ColumnBound.Comparison.GREATER_OR_EQUAL, filter.lowerBound()));
          bounds.add(
              new ColumnBound(column, ColumnBound.Comparison.LESS_OR_EQUAL, filter.upperBound()));
        }
      }
      return bounds;
    }

    @Override
    public SegmentFilter forSegment(List<ColumnBound> bounds) {
      List<ScanPredicate.RuntimeKey> runtime =
          predicate.runtimeFilters().stream().filter(key -> key.filter().isReady()).toList();
      Step first = steps.get(0);
      List<SegmentFilter.Step> later = new ArrayList<>();
      for (Step step : steps.subList(1, steps.size())) {
        later.add(
            new SegmentFilter.Step(
                step.columns(),
                (batch, positions, count) ->
                    step.selection()
                        .refine(
                            TableScans.convert(batch, step.types()), context, positions, count)));
      }
      return new SegmentFilter(
          first.columns(),
          bounds,
          (batch, firstRow, selected) -> {
            // The runtime filters' key tests first: a bitmap, hash or Bloom probe per row, and at
            // a selective join (TPC-H q19's parts) they leave the condition few rows to test. They
            // read the decoded vectors (a LARGEINT key its 128-bit halves, not converted). A
            // filter that keeps most rows switches itself off (RuntimeFilter.apply).
            int kept = SelectionFilter.selectAll(selected, batch.rowCount());
            for (ScanPredicate.RuntimeKey key : runtime) {
              kept =
                  key.filter()
                      .apply(
                          batch.column(positionInFirstStep[key.filterPosition()]), selected, kept);
            }
            if (!runtime.isEmpty()) {
              counters.rowsFilteredByRuntimeFilters(batch.rowCount() - kept);
            }
            return first.selection() == null
                ? kept
                : first
                    .selection()
                    .refine(TableScans.convert(batch, first.types()), context, selected, kept);
          },
          later);
    }
  }

  /**
   * A merge-on-write unique table whose full primary key the plan fixes reads only that key's row
   * ({@link PrimaryKeyLookup}).
   */
  @Override
  public Operator scan(
      TableDescriptor table,
      int[] columns,
      Map<Integer, Object> equalities,
      EvaluationContext context) {
    if (!(table.handle() instanceof TableMeta meta) || readsHiddenColumns(meta, columns)) {
      return scan(table, columns, context);
    }
    if (!meta.mergeOnWrite() || !table.partitions().isEmpty()) {
      // No key lookup: a scan of the partitions the equalities leave (the filter stays on top);
      // a merged scan skips the segments and pages whose key zone maps rule an equality out.
      List<DataType> types = plannedTypes(table, columns);
      List<TabletSnapshot> tablets = tablets(table, equalities);
      if (!streamsSegments(meta)) {
        return mergedScan(meta, tablets, columns, keyBounds(meta, equalities), types);
      }
      return segmentScan(meta, TabletScan.wholeSegments(tablets), columns, types);
    }
    List<String> keyNames = meta.keyColumns();
    ColumnVector[] key = new ColumnVector[keyNames.size()];
    for (int k = 0; k < key.length; k++) {
      int index = -1;
      for (int c = 0; c < meta.columns().size(); c++) {
        if (meta.columns().get(c).name().equals(keyNames.get(k))) {
          index = c;
        }
      }
      Object value = index < 0 ? null : equalities.get(index);
      if (value == null) {
        return scan(table, columns, context);
      }
      key[k] =
          new ColumnVectorBuilder(meta.columns().get(index).type(), 1).appendObject(value).build();
    }
    List<DataType> types = new ArrayList<>();
    List<ColumnRequest> requests = new ArrayList<>();
    for (int column : columns) {
      types.add(CalciteTypes.plannedType(table.columns().get(column).type()));
      requests.add(request(meta.columns().get(column)));
    }
    TableSnapshot snapshot = snapshot(meta);
    Optional<List<Batch>> found = lookup.find(snapshot, meta, key, 0, requests);
    if (found.isEmpty()) {
      return scan(table, columns, context);
    }
    List<Batch> batches = new ArrayList<>(found.get().size());
    for (Batch batch : found.get()) {
      batches.add(convert(batch, types));
    }
    return new StreamOperator(types, () -> BatchStream.of(batches));
  }

  /** Converts LARGEINT vectors to the planner's DECIMAL; a selection stays as it is. */
  static Batch convert(Batch batch, List<DataType> types) {
    List<ColumnVector> columns = new ArrayList<>(batch.columnCount());
    for (int i = 0; i < batch.columnCount(); i++) {
      ColumnVector column = batch.column(i);
      if (column instanceof LargeIntVector large) {
        ColumnVectorBuilder builder = new ColumnVectorBuilder(types.get(i), large.size());
        for (int row = 0; row < large.size(); row++) {
          builder.appendDecimal(large.isNull(row) ? null : new BigDecimal(large.getLargeInt(row)));
        }
        column = builder.build();
      }
      columns.add(column);
    }
    return batch.hasSelection()
        ? Batch.selected(columns, batch.rowCount(), batch.selection(), batch.selectedCount())
        : new Batch(columns, batch.rowCount());
  }

  /**
   * An AGGREGATE or merge-on-read UNIQUE KEY table's scan: each merge group ({@link #tablets})
   * streamed through the tablet layer's merged scan ({@link TabletReader#mergedScan}), one group
   * after another, reading the key columns (and a sequence column) besides the requested ones.
   */
  private Operator mergedScan(
      TableMeta table,
      List<TabletSnapshot> groups,
      int[] columns,
      List<ColumnBound> keyBounds,
      List<DataType> types) {
    return mergedGroupsScan(
        new ConcurrentLinkedQueue<>(groups),
        mergedRead(table, columns, keyBounds),
        types,
        new ScanCounters());
  }

  /**
   * An operator that takes merge groups from {@code groups} (possibly shared with other operators
   * on other threads) and streams each one's merged rows.
   */
  private Operator mergedGroupsScan(
      Queue<TabletSnapshot> groups, MergedRead read, List<DataType> types, ScanCounters counters) {
    TabletReader reader = tabletReader();
    return new StreamOperator(
        types,
        () ->
            new ConvertedStream(
                reader.mergedScan(
                    groups,
                    read.model(),
                    forSegment(read.requests()),
                    read.keyBounds(),
                    read.output(),
                    counters),
                types),
        counters);
  }

  /**
   * What a merged scan reads: the model over the read columns, the plan's column (table position)
   * of each read column, where each requested column is among them, and the predicate's bounds on
   * key columns (over the read columns).
   */
  private record MergedRead(
      TabletModel model, List<ColumnRequest> requests, int[] output, List<ColumnBound> keyBounds) {}

  /**
   * The zone-map bounds of a scan's pushed predicate (null: none) that fall on key columns, with
   * table column positions (see {@link #mergedRead}).
   */
  private static List<ColumnBound> keyBounds(
      TableMeta table, int[] columns, ScanPredicate predicate) {
    List<ColumnBound> keyBounds = new ArrayList<>();
    if (predicate != null) {
      for (ColumnBound bound : predicate.bounds()) {
        int column = columns[bound.column()];
        if (isKey(table, column)) {
          keyBounds.add(new ColumnBound(column, bound.comparison(), bound.value()));
        }
      }
    }
    return keyBounds;
  }

  /**
   * A scan's {@code column = value} equalities (table column positions) on key columns as bounds,
   * where the value is one a zone map orders: a point lookup on a merged table then reads only the
   * segments and pages whose key range holds the key. A string key's equality is taken as one that
   * may ignore trailing spaces ({@link ColumnBound#ofStrings}), which holds for either rule.
   */
  private static List<ColumnBound> keyBounds(TableMeta table, Map<Integer, Object> equalities) {
    List<ColumnBound> keyBounds = new ArrayList<>();
    for (Map.Entry<Integer, Object> equality : equalities.entrySet()) {
      if (!isKey(table, equality.getKey())) {
        continue;
      }
      if (equality.getValue() instanceof String key) {
        keyBounds.addAll(
            ColumnBound.ofStrings(equality.getKey(), ColumnBound.Comparison.EQUAL, key, true));
      } else if (ColumnBound.supported(equality.getValue())) {
        keyBounds.add(
            new ColumnBound(equality.getKey(), ColumnBound.Comparison.EQUAL, equality.getValue()));
      }
    }
    return keyBounds;
  }

  private static boolean isKey(TableMeta table, int column) {
    return column < table.columns().size() && table.columns().get(column).key();
  }

  /**
   * @param keyBounds comparisons on key columns (table column positions) that the rows of the scan
   *     satisfy, applied on top after the merge: their zone-map checks let the merge skip segments
   *     and row ranges
   */
  private MergedRead mergedRead(TableMeta table, int[] columns, List<ColumnBound> keyBounds) {
    List<ColumnMeta> all =
        readsHiddenColumns(table, columns) ? HiddenColumns.withHidden(table) : table.columns();
    TabletModel model = TabletModels.of(table, all);
    java.util.LinkedHashSet<Integer> read = new java.util.LinkedHashSet<>();
    for (int column : model.mergeColumns()) {
      read.add(column);
    }
    for (int column : columns) {
      read.add(column);
    }
    int[] readColumns = read.stream().mapToInt(Integer::intValue).toArray();
    int[] output = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      for (int r = 0; r < readColumns.length; r++) {
        if (readColumns[r] == columns[i]) {
          output[i] = r;
        }
      }
    }
    List<ColumnBound> readBounds = new ArrayList<>(keyBounds.size());
    for (ColumnBound bound : keyBounds) {
      for (int r = 0; r < readColumns.length; r++) {
        if (readColumns[r] == bound.column()) {
          readBounds.add(new ColumnBound(r, bound.comparison(), bound.value()));
        }
      }
    }
    List<ColumnRequest> requests = new ArrayList<>(readColumns.length);
    for (int column : readColumns) {
      requests.add(request(table, column));
    }
    return new MergedRead(model.select(readColumns), requests, output, readBounds);
  }

  private ColumnRequest request(ColumnMeta column) {
    return ColumnRequest.withDefault(column.uniqueId(), column.type(), defaults.valueOf(column));
  }

  /**
   * The request reading column {@code position} of the plan's table: one of {@code meta}'s columns,
   * or past them one of its {@link HiddenColumns} (session variable {@code show_hidden_columns}),
   * which no segment stores: the delete sign reads as 0, the version column as the segment's rowset
   * version ({@link #forSegment}), the sequence column as the sequence column it mirrors.
   */
  private ColumnRequest request(TableMeta meta, int position) {
    if (position < meta.columns().size()) {
      return request(meta.columns().get(position));
    }
    ColumnMeta hidden = HiddenColumns.withHidden(meta).get(position);
    return switch (hidden.uniqueId()) {
      case HiddenColumns.SEQUENCE_ID ->
          request(meta.columns().get(UniqueKeyOptions.sequenceColumn(meta)));
      default -> ColumnRequest.withDefault(hidden.uniqueId(), hidden.type(), 0L);
    };
  }

  private static boolean readsHiddenColumns(TableMeta meta, int[] columns) {
    for (int column : columns) {
      if (column >= meta.columns().size()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The requests of each segment a scan reads: {@code requests}, with the version column's value
   * (if requested) set to the segment's rowset version.
   */
  private static Function<TabletSnapshot.Segment, List<ColumnRequest>> forSegment(
      List<ColumnRequest> requests) {
    int versionColumn = -1;
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).uniqueId() == HiddenColumns.VERSION_ID) {
        versionColumn = i;
      }
    }
    if (versionColumn < 0) {
      return segment -> requests;
    }
    int position = versionColumn;
    ColumnRequest version = requests.get(position);
    return segment -> {
      List<ColumnRequest> result = new ArrayList<>(requests);
      result.set(
          position,
          ColumnRequest.withDefault(version.uniqueId(), version.type(), segment.version()));
      return result;
    };
  }

  private static Object[] project(Object[] row, int[] columns) {
    Object[] result = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      result[i] = row[columns[i]];
    }
    return result;
  }

  /** A tablet scan's batches with LARGEINT vectors converted to the planner's DECIMAL. */
  private record ConvertedStream(BatchStream rows, List<DataType> types) implements BatchStream {
    @Override
    public Batch next() {
      Batch batch = rows.next();
      return batch == null ? null : convert(batch, types);
    }

    @Override
    public Batch nextSelected() {
      Batch batch = rows.nextSelected();
      return batch == null ? null : convert(batch, types);
    }

    @Override
    public void close() {
      rows.close();
    }
  }
}
