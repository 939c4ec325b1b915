package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.exec.expression.Batches;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.operator.Operator;
import dev.basalt.exec.operator.StreamOperator;
import dev.basalt.exec.operator.ValuesOperator;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.server.session.Session;
import dev.basalt.sql.schema.ScanProvider;
import dev.basalt.sql.schema.TableDescriptor;
import dev.basalt.sql.type.CalciteTypes;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyEncoder;
import dev.basalt.storage.index.PrimaryKeyIndex;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.SegmentReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * Opens scans for one statement (not thread safe; one per statement). A user table is read at one
 * snapshot (all its tablets at one point in time, the same for every scan of it in the statement):
 * DUPLICATE KEY tables stream their segments; merge-on-write UNIQUE KEY tables stream theirs too,
 * leaving out the rows their delete bitmaps mark at the snapshot's version; merge-on-read UNIQUE
 * KEY tables (and unique tables created before merge-on-write) and AGGREGATE KEY tables are merged
 * at read time by key, in version order. System tables generate their rows.
 */
final class TableScans implements ScanProvider {
  private final Catalog catalog;
  private final FileSystem fileSystem;
  private final SystemTableRows systemRows;
  private final ColumnDefaults defaults;
  private final Session session;

  /** One snapshot per table for the whole statement, so a self-join reads one version. */
  private final Map<Long, TableSnapshot> snapshots = new java.util.HashMap<>();

  TableScans(
      Catalog catalog,
      FileSystem fileSystem,
      SystemTableRows systemRows,
      ColumnDefaults defaults,
      Session session) {
    this.catalog = catalog;
    this.fileSystem = fileSystem;
    this.systemRows = systemRows;
    this.defaults = defaults;
    this.session = session;
  }

  @Override
  public Operator scan(TableDescriptor table, int[] columns, EvaluationContext context) {
    List<DataType> types = new ArrayList<>();
    for (int column : columns) {
      types.add(CalciteTypes.plannedType(table.columns().get(column).type()));
    }
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
    TableSnapshot snapshot = snapshots.computeIfAbsent(meta.id(), catalog::snapshot);
    List<SegmentFile> segments = new ArrayList<>();
    Map<String, RoaringBitmap> deleted = new java.util.HashMap<>();
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      for (List<RowsetMeta> rowsets : partition.rowsets().values()) {
        for (RowsetMeta rowset : rowsets) {
          segments.addAll(rowset.segments());
        }
      }
      for (List<SegmentDeletes> layers : partition.deletes().values()) {
        for (SegmentDeletes layer : layers) {
          if (layer.version() <= partition.visibleVersion()) {
            deleted.merge(
                layer.segmentPath(), layer.rows(), (left, right) -> RoaringBitmap.or(left, right));
          }
        }
      }
    }
    // Merge-on-write UNIQUE KEY tables hold each live key once: their segments stream like a
    // DUPLICATE KEY table's, skipping the rows the delete bitmaps mark.
    if (meta.keysType() == KeysType.DUP_KEYS || meta.mergeOnWrite()) {
      List<ColumnRequest> requests = new ArrayList<>();
      for (int column : columns) {
        requests.add(request(meta.columns().get(column)));
      }
      return new StreamOperator(
          types, () -> new SegmentsStream(segments, deleted, requests, types));
    }
    return mergedScan(meta, segments, columns, types);
  }

  /**
   * A merge-on-write unique table whose full primary key the plan fixes reads only that key's row:
   * its encoded key is looked up in the segments' primary-key indexes (bloom filters skip most),
   * newest segment first per tablet, and the row is read unless a delete bitmap marks it.
   */
  @Override
  public Operator scan(
      TableDescriptor table,
      int[] columns,
      Map<Integer, Object> equalities,
      EvaluationContext context) {
    if (!(table.handle() instanceof TableMeta meta) || !meta.mergeOnWrite()) {
      return scan(table, columns, context);
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
    byte[] encoded = new PrimaryKeyEncoder().encode(key, 0);
    long hash = PrimaryKeyIndex.hash(encoded);
    List<DataType> types = new ArrayList<>();
    List<ColumnRequest> requests = new ArrayList<>();
    for (int column : columns) {
      types.add(CalciteTypes.plannedType(table.columns().get(column).type()));
      requests.add(request(meta.columns().get(column)));
    }
    TableSnapshot snapshot = snapshots.computeIfAbsent(meta.id(), catalog::snapshot);
    List<Batch> batches = new ArrayList<>();
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      for (Map.Entry<Long, List<RowsetMeta>> tablet : partition.rowsets().entrySet()) {
        List<SegmentFile> segments = new ArrayList<>();
        tablet.getValue().forEach(rowset -> segments.addAll(rowset.segments()));
        for (int i = segments.size() - 1; i >= 0; i--) {
          String path = segments.get(i).path();
          var index = PrimaryKeyIndexCache.shared().get(fileSystem, path);
          if (index.isEmpty()) {
            return scan(table, columns, context);
          }
          int row = index.get().find(encoded, hash);
          if (row < 0) {
            continue;
          }
          // The newest segment holding the key has its only possibly live row.
          if (!isDeleted(partition, tablet.getKey(), path, row)) {
            try (SegmentReader reader = SegmentReader.open(fileSystem, path);
                BatchStream stream = reader.read(requests, row, 1)) {
              batches.add(convert(stream.next(), types));
            }
          }
          break;
        }
      }
    }
    return new StreamOperator(types, () -> BatchStream.of(batches));
  }

  private static boolean isDeleted(
      TableSnapshot.PartitionSnapshot partition, long tabletId, String path, int row) {
    for (SegmentDeletes layer : partition.deletes().getOrDefault(tabletId, List.of())) {
      if (layer.version() <= partition.visibleVersion()
          && layer.segmentPath().equals(path)
          && layer.rows().contains(row)) {
        return true;
      }
    }
    return false;
  }

  /** Converts LARGEINT vectors to the planner's DECIMAL. */
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
    return new Batch(columns, batch.rowCount());
  }

  private Operator mergedScan(
      TableMeta table, List<SegmentFile> segments, int[] columns, List<DataType> types) {
    List<ColumnMeta> all = table.columns();
    List<ColumnRequest> requests = new ArrayList<>();
    List<DataType> allTypes = new ArrayList<>();
    List<Integer> keys = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      requests.add(request(all.get(i)));
      allTypes.add(CalciteTypes.plannedType(all.get(i).type()));
      if (all.get(i).key()) {
        keys.add(i);
      }
    }
    Map<List<Object>, Object[]> merged = new LinkedHashMap<>();
    try (SegmentsStream stream = new SegmentsStream(segments, Map.of(), requests, allTypes)) {
      for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
        for (int row = 0; row < batch.rowCount(); row++) {
          Object[] values = new Object[all.size()];
          for (int c = 0; c < values.length; c++) {
            values[c] = batch.column(c).getObject(row);
          }
          Object[] key = new Object[keys.size()];
          for (int k = 0; k < key.length; k++) {
            key[k] = values[keys.get(k)];
          }
          merged.merge(Arrays.asList(key), values, (older, newer) -> mergeRow(table, older, newer));
        }
      }
    }
    List<Object[]> rows = new ArrayList<>();
    for (Object[] row : merged.values()) {
      rows.add(project(row, columns));
    }
    return new ValuesOperator(types, rows);
  }

  /**
   * Combines two rows with the same key: REPLACE for UNIQUE KEY, each column's function for
   * AGGREGATE KEY.
   */
  private static Object[] mergeRow(TableMeta table, Object[] older, Object[] newer) {
    if (table.keysType() == KeysType.UNIQUE_KEYS) {
      return newer;
    }
    Object[] result = older.clone();
    for (int c = 0; c < result.length; c++) {
      ColumnMeta column = table.columns().get(c);
      if (column.key()) {
        continue;
      }
      result[c] = mergeValue(column.aggregation(), older[c], newer[c]);
    }
    return result;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object mergeValue(AggregationType aggregation, Object older, Object newer) {
    switch (aggregation) {
      case SUM -> {
        if (older == null || newer == null) {
          return older == null ? newer : older;
        }
        if (older instanceof Long a) {
          try {
            return Math.addExact(a, (Long) newer);
          } catch (ArithmeticException overflow) {
            throw new BasaltException(
                ErrorCode.VALUE_OUT_OF_RANGE, "BIGINT", "SUM(" + a + ", " + newer + ")");
          }
        }
        if (older instanceof Double a) {
          return a + (Double) newer;
        }
        if (older instanceof BigDecimal a) {
          return a.add((BigDecimal) newer);
        }
        return ((BigInteger) older).add((BigInteger) newer);
      }
      case MIN, MAX -> {
        if (older == null || newer == null) {
          return older == null ? newer : older;
        }
        int order = ((Comparable) older).compareTo(newer);
        return aggregation == AggregationType.MIN
            ? (order <= 0 ? older : newer)
            : (order >= 0 ? older : newer);
      }
      case REPLACE_IF_NOT_NULL -> {
        return newer == null ? older : newer;
      }
      default -> {
        return newer;
      }
    }
  }

  private ColumnRequest request(ColumnMeta column) {
    return ColumnRequest.withDefault(column.uniqueId(), column.type(), defaults.valueOf(column));
  }

  private static Object[] project(Object[] row, int[] columns) {
    Object[] result = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      result[i] = row[columns[i]];
    }
    return result;
  }

  /**
   * Reads the segments one after another, leaving out the rows their delete bitmaps mark, and
   * converts LARGEINT vectors to the planner's DECIMAL.
   */
  private final class SegmentsStream implements BatchStream {
    private final Iterator<SegmentFile> files;
    private final Map<String, RoaringBitmap> deleted;
    private final List<ColumnRequest> requests;
    private final List<DataType> types;
    private SegmentReader reader;
    private BatchStream current;
    private RoaringBitmap currentDeleted;
    private int currentRow;
    private int[] positions = new int[0];

    SegmentsStream(
        List<SegmentFile> segments,
        Map<String, RoaringBitmap> deleted,
        List<ColumnRequest> requests,
        List<DataType> types) {
      this.files = segments.iterator();
      this.deleted = deleted;
      this.requests = requests;
      this.types = types;
    }

    @Override
    public Batch next() {
      while (true) {
        if (current != null) {
          Batch batch = current.next();
          if (batch != null) {
            int first = currentRow;
            currentRow += batch.rowCount();
            if (currentDeleted != null) {
              batch = skipDeleted(batch, first);
              if (batch.rowCount() == 0) {
                continue;
              }
            }
            return TableScans.convert(batch, types);
          }
          closeCurrent();
        }
        if (!files.hasNext()) {
          return null;
        }
        SegmentFile file = files.next();
        currentDeleted = deleted.get(file.path());
        if (currentDeleted != null && currentDeleted.getLongCardinality() >= file.rowCount()) {
          continue;
        }
        reader = SegmentReader.open(fileSystem, file.path());
        current = reader.read(requests, 0, reader.rowCount());
        currentRow = 0;
      }
    }

    /** The rows of {@code batch} (segment rows from {@code first} on) that are not marked. */
    private Batch skipDeleted(Batch batch, int first) {
      int count = batch.rowCount();
      long marked = currentDeleted.rangeCardinality(first, (long) first + count);
      if (marked == 0) {
        return batch;
      }
      if (positions.length < count) {
        positions = new int[count];
      }
      int kept = 0;
      for (int row = 0; row < count; row++) {
        if (!currentDeleted.contains(first + row)) {
          positions[kept++] = row;
        }
      }
      if (batch.columnCount() == 0) {
        return new Batch(List.of(), kept);
      }
      return Batches.select(batch, positions, kept);
    }

    private void closeCurrent() {
      if (current != null) {
        current.close();
        current = null;
      }
      if (reader != null) {
        reader.close();
        reader = null;
      }
    }

    @Override
    public void close() {
      closeCurrent();
    }
  }
}
