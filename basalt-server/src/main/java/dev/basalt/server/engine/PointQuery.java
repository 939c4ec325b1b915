package dev.basalt.server.engine;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.result.ResultColumn;
import dev.basalt.common.result.ResultSet;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.type.ValueText;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.RowStoreOptions;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.sql.planner.PlanParameters;
import dev.basalt.sql.planner.PlannedQuery;
import dev.basalt.sql.schema.CalciteSchemas;
import dev.basalt.sql.schema.TableDescriptor;
import dev.basalt.sql.type.CalciteTypes;
import dev.basalt.storage.segment.ColumnRequest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * A short-circuit point query (docs/architecture.md, "Point queries"): a server-prepared {@code
 * SELECT c1, c2 ... FROM t WHERE k1 = ? AND k2 = ? ...} that fixes every key column of a
 * merge-on-write UNIQUE KEY table with a placeholder and has nothing else (no other predicate,
 * expression, join, sort, limit or aggregate). Such a statement is answered without an operator
 * tree, memory budget or result pipeline: the bound values become the primary key, {@link
 * PrimaryKeyLookup} finds the live row, and its requested columns are the result, as Doris's
 * short-circuit path.
 *
 * <p>Recognized once per cached plan ({@link #of}); {@link #run} answers one execution, or returns
 * null when this execution must take the general path (a NULL or out-of-range value, a value of
 * another kind than the key column, a segment without a primary-key index). The answer is the
 * general path's: that path, given the same key, reads the same row through the same lookup and
 * then applies the equality filter, which the row found by exact key bytes always passes.
 *
 * <p>Immutable and thread safe.
 */
final class PointQuery {
  private final TableMeta plannedTable;
  private final int[] keyParameters;
  private final DataType[] keyTypes;
  private final int[] outputColumns;
  private final List<DataType> outputTypes;
  private final List<ResultColumn> resultColumns;

  private PointQuery(
      TableMeta plannedTable,
      int[] keyParameters,
      DataType[] keyTypes,
      int[] outputColumns,
      List<DataType> outputTypes,
      List<ResultColumn> resultColumns) {
    this.plannedTable = plannedTable;
    this.keyParameters = keyParameters;
    this.keyTypes = keyTypes;
    this.outputColumns = outputColumns;
    this.outputTypes = outputTypes;
    this.resultColumns = resultColumns;
  }

  /** The point query {@code parameters}' plan is, or null when it is not one. */
  static PointQuery of(PlanParameters parameters) {
    PlannedQuery planned = parameters.plan();
    RelNode node = planned.plan();
    int[] projection = null;
    if (node instanceof Project project) {
      projection = inputReferences(project);
      if (projection == null) {
        return null;
      }
      node = project.getInput();
    }
    if (!(node instanceof Filter filter)) {
      return null;
    }
    node = filter.getInput();
    int[] belowFilter = null;
    if (node instanceof Project project) {
      belowFilter = inputReferences(project);
      if (belowFilter == null) {
        return null;
      }
      node = project.getInput();
    }
    if (!(node instanceof TableScan scan)) {
      return null;
    }
    CalciteSchemas.BasaltTable basalt = scan.getTable().unwrap(CalciteSchemas.BasaltTable.class);
    if (basalt == null
        || !(basalt.descriptor().handle() instanceof TableMeta table)
        || !table.mergeOnWrite()) {
      return null;
    }
    int[] keyParameters = keyParameters(filter.getCondition(), table, belowFilter);
    if (keyParameters == null) {
      return null;
    }
    DataType[] keyTypes = new DataType[keyParameters.length];
    for (int k = 0; k < keyTypes.length; k++) {
      keyTypes[k] = column(table, table.keyColumns().get(k)).type();
    }
    int width = filter.getRowType().getFieldCount();
    int[] filterColumns = new int[width];
    for (int i = 0; i < width; i++) {
      filterColumns[i] = belowFilter == null ? i : belowFilter[i];
    }
    int[] outputColumns;
    if (projection == null) {
      outputColumns = filterColumns;
    } else {
      outputColumns = new int[projection.length];
      for (int i = 0; i < projection.length; i++) {
        outputColumns[i] = filterColumns[projection[i]];
      }
    }
    TableDescriptor descriptor = basalt.descriptor();
    List<DataType> outputTypes = new ArrayList<>(outputColumns.length);
    for (int column : outputColumns) {
      outputTypes.add(CalciteTypes.plannedType(descriptor.columns().get(column).type()));
    }
    if (planned.columns().size() != outputColumns.length) {
      return null;
    }
    return new PointQuery(
        table, keyParameters, keyTypes, outputColumns, List.copyOf(outputTypes), planned.columns());
  }

  /**
   * The line EXPLAIN adds for a statement that takes this short circuit (Doris marks such plans
   * {@code SHORT-CIRCUIT} too): the table, and whether its lookups read a row store.
   */
  String describe() {
    return "SHORT-CIRCUIT: primary-key lookup on "
        + plannedTable.name()
        + (RowStoreOptions.positions(plannedTable) == null ? "" : ", row store");
  }

  /**
   * The most keys one execution probes (CHAR keys, see {@link #key}); more take the general path.
   */
  static final int MAX_PROBES = 64;

  /**
   * The primary keys {@code values} (one per placeholder) bind: one vector per key column, each of
   * whose rows is one key to probe; null when this execution must take the general path (a NULL, a
   * value out of the column's range or of another kind, too many keys).
   *
   * <p>Usually one key. A CHAR key column compares with its trailing spaces ignored (the general
   * path pads both sides, so {@code k = 'ab'} matches stored {@code 'ab'} and {@code 'ab '}, two
   * different keys of the table); its bound text, trailing spaces removed, is probed with every
   * padding up to the column's length, and the keys are the product over the key columns (at most
   * {@link #MAX_PROBES}).
   */
  ColumnVector[] key(List<Object> values) {
    Object[][] choices = new Object[keyParameters.length][];
    int probes = 1;
    for (int k = 0; k < choices.length; k++) {
      int parameter = keyParameters[k];
      Object bound = parameter < values.size() ? values.get(parameter) : null;
      if (keyTypes[k].kind() == TypeKind.CHAR) {
        choices[k] = charKeys(keyTypes[k], bound);
      } else {
        Object value = keyValue(keyTypes[k], bound);
        choices[k] = value == null ? null : new Object[] {value};
      }
      if (choices[k] == null) {
        return null;
      }
      probes *= choices[k].length;
      if (probes > MAX_PROBES) {
        return null;
      }
    }
    ColumnVector[] key = new ColumnVector[choices.length];
    int repeat = 1;
    for (int k = choices.length - 1; k >= 0; k--) {
      // Row r of the product takes choice (r / repeat) % count of column k.
      ColumnVectorBuilder builder = new ColumnVectorBuilder(keyTypes[k], probes);
      for (int row = 0; row < probes; row++) {
        builder.appendObject(choices[k][(row / repeat) % choices[k].length]);
      }
      key[k] = builder.build();
      repeat *= choices[k].length;
    }
    return key;
  }

  /**
   * The stored CHAR keys a bound text equals: the text without its trailing spaces, padded with 0
   * to {@code length - its length} spaces; null when it is not text or longer than the column.
   */
  private static Object[] charKeys(DataType type, Object value) {
    if (!(value instanceof String text)) {
      return null;
    }
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == ' ') {
      end--;
    }
    String base = text.substring(0, end);
    int length = base.codePointCount(0, base.length());
    if (length > type.length() || type.length() - length + 1 > MAX_PROBES) {
      return null;
    }
    Object[] keys = new Object[type.length() - length + 1];
    StringBuilder padded = new StringBuilder(base);
    for (int i = 0; i < keys.length; i++) {
      keys[i] = padded.toString();
      padded.append(' ');
    }
    return keys;
  }

  /**
   * The rows of the keys in {@code key} ({@link #key}) at the table's current snapshot, or null
   * when the general path must answer (the table's schema changed since planning, or a segment has
   * no primary-key index).
   *
   * @param snapshots takes the table's snapshot by id; the caller has registered as a reader with
   *     the garbage collector and stays registered until this returns (every row is read here)
   * @param request the read request of a column (with its default for segments written before it)
   */
  ResultSet run(
      ColumnVector[] key,
      LongFunction<TableSnapshot> snapshots,
      Function<ColumnMeta, ColumnRequest> request,
      PrimaryKeyLookup lookup) {
    TableSnapshot snapshot = snapshots.apply(plannedTable.id());
    TableMeta table = snapshot.table();
    if (table.schemaVersion() != plannedTable.schemaVersion()) {
      return null;
    }
    List<ColumnRequest> requests = new ArrayList<>(outputColumns.length);
    for (int column : outputColumns) {
      requests.add(request.apply(table.columns().get(column)));
    }
    List<Batch> batches = new ArrayList<>(1);
    int probes = key[0].size();
    for (int row = 0; row < probes; row++) {
      Optional<List<Batch>> found = lookup.find(snapshot, table, key, row, requests);
      if (found.isEmpty()) {
        return null;
      }
      for (Batch batch : found.get()) {
        batches.add(TableScans.convert(batch, outputTypes));
      }
    }
    return new ResultSet(resultColumns, BatchStream.of(batches));
  }

  /**
   * The bound value as a value of a key column of {@code type} ({@code Values}' representation), or
   * null when it is not plainly one: integer keys take integers in range, DECIMAL keys numbers
   * exact at the column's scale and within its precision, DATE and DATETIME keys text in the
   * canonical form ({@code ValueText.parseCanonicalDate/Datetime}; a DATETIME's fraction no longer
   * than its scale), character keys text, LARGEINT keys integers within 128 bits, BOOLEAN keys 0 or
   * 1 (the general path reads any other number as TRUE). Anything else is left to the general path,
   * which applies MySQL's conversions. CHAR keys: {@link #charKeys}.
   */
  private static Object keyValue(DataType type, Object value) {
    return switch (type.kind()) {
      case TINYINT ->
          value instanceof Long number && number == (byte) (long) number ? number : null;
      case SMALLINT ->
          value instanceof Long number && number == (short) (long) number ? number : null;
      case INT -> value instanceof Long number && number == (int) (long) number ? number : null;
      case BIGINT -> value instanceof Long number ? number : null;
      case VARCHAR, STRING -> value instanceof String text ? text : null;
      case DATE -> value instanceof String text ? ValueText.parseCanonicalDate(text) : null;
      case DATETIME ->
          value instanceof String text
              ? ValueText.parseCanonicalDatetime(text, type.scale())
              : null;
      case DECIMAL -> decimalKey(type, value);
      case LARGEINT ->
          switch (value) {
            case Long integer -> BigInteger.valueOf(integer);
            case BigInteger integer when integer.bitLength() <= 127 -> integer;
            case null, default -> null;
          };
      case BOOLEAN ->
          value instanceof Long number && (number == 0 || number == 1) ? number == 1 : null;
      default -> null;
    };
  }

  /** {@code value} at the DECIMAL key's scale when it fits exactly, else null. */
  private static BigDecimal decimalKey(DataType type, Object value) {
    BigDecimal number =
        switch (value) {
          case Long integer -> BigDecimal.valueOf(integer);
          case BigInteger integer -> new BigDecimal(integer);
          case BigDecimal decimal -> decimal;
          case null, default -> null;
        };
    if (number == null) {
      return null;
    }
    BigDecimal scaled;
    try {
      scaled = number.setScale(type.scale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException moreDigits) {
      return null;
    }
    return scaled.precision() - scaled.scale() > type.precision() - type.scale() ? null : scaled;
  }

  /**
   * Per key column (in {@link TableMeta#keyColumns} order) the index of the placeholder it equals,
   * or null when the condition is not exactly one {@code key = ?} per key column of a supported
   * type.
   */
  private static int[] keyParameters(RexNode condition, TableMeta table, int[] belowFilter) {
    List<String> keys = table.keyColumns();
    int[] parameters = new int[keys.size()];
    java.util.Arrays.fill(parameters, -1);
    List<RexNode> conjuncts = RelOptUtil.conjunctions(condition);
    if (conjuncts.size() != keys.size()) {
      return null;
    }
    for (RexNode conjunct : conjuncts) {
      if (!(conjunct instanceof RexCall call) || call.getKind() != SqlKind.EQUALS) {
        return null;
      }
      RexNode left = call.getOperands().get(0);
      RexNode right = call.getOperands().get(1);
      RexInputRef reference =
          left instanceof RexInputRef ref ? ref : right instanceof RexInputRef ref ? ref : null;
      RexDynamicParam parameter =
          right instanceof RexDynamicParam p ? p : left instanceof RexDynamicParam p ? p : null;
      if (reference == null || parameter == null) {
        return null;
      }
      int column = belowFilter == null ? reference.getIndex() : belowFilter[reference.getIndex()];
      String name = table.columns().get(column).name();
      int key = keys.indexOf(name);
      if (key < 0 || parameters[key] >= 0 || !shortCircuitKey(table.columns().get(column))) {
        return null;
      }
      parameters[key] = parameter.getIndex();
    }
    return parameters;
  }

  /** Whether lookups on a key column of this type are short-circuited (see {@link #keyValue}). */
  private static boolean shortCircuitKey(ColumnMeta column) {
    return switch (column.type().kind()) {
      case TINYINT,
          SMALLINT,
          INT,
          BIGINT,
          LARGEINT,
          BOOLEAN,
          CHAR,
          VARCHAR,
          STRING,
          DATE,
          DATETIME,
          DECIMAL ->
          true;
      default -> false;
    };
  }

  private static int[] inputReferences(Project project) {
    int[] references = new int[project.getProjects().size()];
    for (int i = 0; i < references.length; i++) {
      if (!(project.getProjects().get(i) instanceof RexInputRef reference)) {
        return null;
      }
      references[i] = reference.getIndex();
    }
    return references;
  }

  private static ColumnMeta column(TableMeta table, String name) {
    for (ColumnMeta column : table.columns()) {
      if (column.name().equals(name)) {
        return column;
      }
    }
    throw new IllegalStateException("key column " + name + " not in table " + table.name());
  }
}
