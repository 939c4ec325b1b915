package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.exec.control.CancellationToken;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.operator.AggregateCall;
import dev.basalt.exec.operator.CancellationCheckOperator;
import dev.basalt.exec.operator.FilterOperator;
import dev.basalt.exec.operator.HashAggregateOperator;
import dev.basalt.exec.operator.HashJoinOperator;
import dev.basalt.exec.operator.JoinType;
import dev.basalt.exec.operator.LimitOperator;
import dev.basalt.exec.operator.LocalExchangeOperator;
import dev.basalt.exec.operator.Operator;
import dev.basalt.exec.operator.OrderedAggregateFunction;
import dev.basalt.exec.operator.PartialAggregateOperator;
import dev.basalt.exec.operator.ProjectOperator;
import dev.basalt.exec.operator.RuntimeFilter;
import dev.basalt.exec.operator.SetOperationOperator;
import dev.basalt.exec.operator.SortKey;
import dev.basalt.exec.operator.SortOperator;
import dev.basalt.exec.operator.Spool;
import dev.basalt.exec.operator.StreamOperator;
import dev.basalt.exec.operator.ValuesOperator;
import dev.basalt.exec.operator.WindowOperator;
import dev.basalt.exec.profile.OperatorProfile;
import dev.basalt.exec.profile.OperatorStats;
import dev.basalt.exec.profile.QueryProfile;
import dev.basalt.sql.schema.CalciteSchemas;
import dev.basalt.sql.schema.PartitionPruner;
import dev.basalt.sql.schema.ScanPredicate;
import dev.basalt.sql.schema.ScanProvider;
import dev.basalt.sql.schema.TableDescriptor;
import dev.basalt.sql.type.CalciteTypes;
import dev.basalt.sql.type.Utf8BinaryCollation;
import dev.basalt.storage.segment.ColumnBound;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexWindowBound;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Builds Basalt's operator tree from an optimized Calcite plan. Each Calcite logical node maps to
 * one Basalt operator; expressions go through {@link ExpressionTranslator}. Scans are opened by the
 * {@link ScanProvider}, which reads only the columns the plan needs.
 */
public final class OperatorBuilder {
  private final FunctionRegistry registry;
  private final EvaluationContext context;
  private final QueryMemoryBudget memory;
  private final CancellationToken cancellation;
  private final int parallelism;

  /** The provider scans open with; while one copy of a parallel pipeline is built, its splitter. */
  private ScanProvider scans;

  /**
   * Runtime filters waiting for the scan being built on the probe side of a hash join: per table
   * scan node, the scanned table column and the filter the join will publish.
   */
  private final java.util.Map<TableScan, List<RuntimeTarget>> runtimeTargets =
      new java.util.IdentityHashMap<>();

  private record RuntimeTarget(int tableColumn, RuntimeFilter filter) {}

  /**
   * Per registered runtime filter, the probe column it filters as EXPLAIN names it (db.table.c).
   */
  private final java.util.Map<RuntimeFilter, ProbeColumn> runtimeFilterColumns =
      new java.util.IdentityHashMap<>();

  /** The runtime filters whose joins publish them (the key qualified when the join was built). */
  private final java.util.Set<RuntimeFilter> publishedRuntimeFilters =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  /** The runtime filters a scan tests (pushed with its predicate). */
  private final java.util.Set<RuntimeFilter> scannedRuntimeFilters =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  /** The profile the operators count into (EXPLAIN ANALYZE, enable_profile), or null. */
  private QueryProfile profile;

  /** Whether joins hand runtime filters to their probe-side scans ({@link #runtimeFilters}). */
  private boolean runtimeFilters = true;

  /** The aggregations the plan being built holds more than once (see {@link CommonSubtrees}). */
  private CommonSubtrees common = CommonSubtrees.NONE;

  /** Per shared subtree (by {@link CommonSubtrees#key}), the spool its occurrences read. */
  private final java.util.Map<String, Spool> spools = new java.util.HashMap<>();

  /** A builder whose operators run without a memory limit (constant queries, tests). */
  public OperatorBuilder(FunctionRegistry registry, ScanProvider scans, EvaluationContext context) {
    this(registry, scans, context, QueryMemoryBudget.unlimited(), CancellationToken.NONE, 1);
  }

  /**
   * A builder whose buffering operators reserve what they hold in {@code memory}, whose every
   * operator checks {@code cancellation} before it pulls a batch from its input, and which runs
   * each scan pipeline (projections and filters over a table scan) as {@code parallelism} copies on
   * their own threads when the table is large enough to split.
   */
  public OperatorBuilder(
      FunctionRegistry registry,
      ScanProvider scans,
      EvaluationContext context,
      QueryMemoryBudget memory,
      CancellationToken cancellation,
      int parallelism) {
    this.registry = registry;
    this.scans = scans;
    this.context = context;
    this.memory = memory;
    this.cancellation = cancellation;
    this.parallelism = Math.max(1, parallelism);
  }

  /**
   * Makes the operators built from now on count what they do into {@code profile} (null: no
   * profile, no counting): each operator is wrapped in a {@link
   * dev.basalt.exec.profile.ProfiledOperator}, memory reservations and spills are attributed to the
   * operator built, and scans attach their segment-read counters. Returns this builder.
   */
  public OperatorBuilder profile(QueryProfile profile) {
    this.profile = profile;
    return this;
  }

  /**
   * Whether joins built from now on hand runtime filters to their probe-side scans (true unless the
   * session's {@code runtime_filter_mode} is OFF); EXPLAIN lists them only when they do. Returns
   * this builder.
   */
  public OperatorBuilder runtimeFilters(boolean enabled) {
    this.runtimeFilters = enabled;
    return this;
  }

  /** The operator producing the rows of {@code query}, with its declared column types. */
  public Operator build(PlannedQuery query) {
    common = CommonSubtrees.of(query.plan());
    spools.clear();
    Operator operator;
    try {
      operator = build(query.plan());
    } finally {
      if (profile != null) {
        // Reservations taken while the tree runs (a grace join's deeper levels) count nowhere.
        memory.attributeTo(null);
      }
    }
    List<DataType> expected = query.columns().stream().map(column -> column.type()).toList();
    return castTo(
        operator,
        expected,
        new ExpressionTranslator(registry, query.plan().getCluster().getRexBuilder()));
  }

  private Operator castTo(
      Operator operator, List<DataType> expected, ExpressionTranslator translator) {
    List<DataType> actual = operator.outputTypes();
    boolean needed = false;
    List<Expression> expressions = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      Expression reference = new InputReference(i, actual.get(i));
      Expression cast = translator.cast(reference, expected.get(i));
      needed |= cast != reference;
      expressions.add(cast);
    }
    return needed ? new ProjectOperator(operator, expressions, context) : operator;
  }

  private Operator build(RelNode node) {
    if (common.occurrences(node) > 1 && !(scans instanceof PipelineCopies)) {
      // Computed once, on the first read of any occurrence; each occurrence reads the spool.
      String key = CommonSubtrees.key(node);
      Spool spool = spools.get(key);
      if (spool == null) {
        spool = new Spool(buildOnce(node), memory);
        spools.put(key, spool);
        if (profile != null && profile.built(node) != null) {
          int occurrences = common.occurrences(node);
          profile
              .built(node)
              .planDetail(
                  () -> "Spool(computed once, read by its " + occurrences + " occurrences)");
        }
        return profile == null ? spool.reader() : spoolReader(spool, node);
      }
      return profile == null ? spool.reader() : spoolReader(spool, node);
    }
    return buildOnce(node);
  }

  /**
   * A reader of {@code spool} in the profile, named after the subtree it reads ({@code SpoolRead(
   * HashAggregate(...))}) and counting the rows it returns.
   */
  private Operator spoolReader(Spool spool, RelNode node) {
    // A key of its own: every occurrence is an operator, also two under the same parent.
    OperatorStats stats = profile.enter(new Object(), "SpoolRead(" + profileName(node) + ")");
    profile.exit();
    return profile.wrap(spool.reader(), stats);
  }

  /**
   * Adds {@code line} under the operator being built in the profile (see {@link
   * OperatorProfile#planDetail}); nothing when the statement is not profiled.
   */
  private void planDetail(java.util.function.Supplier<String> line) {
    if (profile != null) {
      profile.current().planDetail(line);
    }
  }

  /**
   * Adds {@code line} on what the operator being built did (see {@link OperatorProfile#runDetail});
   * nothing when the statement is not profiled.
   */
  private void runDetail(java.util.function.Supplier<String> line) {
    if (profile != null) {
      profile.current().runDetail(line);
    }
  }

  private Operator buildOnce(RelNode node) {
    Operator operator = profile == null ? buildNode(node) : profiledNode(node);
    return cancellation == CancellationToken.NONE
        ? operator
        : new CancellationCheckOperator(operator, cancellation);
  }

  /**
   * {@link #buildNode} counting into a new instance of {@code node}'s profile: the memory its
   * operator reserves is attributed to it, then it is wrapped to count batches, rows and time.
   */
  private Operator profiledNode(RelNode node) {
    OperatorStats stats = profile.enter(node, profileName(node));
    OperatorProfile current = profile.current();
    memory.attributeTo(stats);
    Operator operator;
    boolean wrap;
    try {
      operator = buildNode(node);
    } finally {
      wrap = profile.exit();
      memory.attributeTo(profile.currentStats());
    }
    if (current.children().isEmpty()
        && current.isScan()
        && !(node instanceof TableScan)
        && !current.name().startsWith("OlapScan")) {
      // A filter or projection the scan took over (zone maps, late materialization); named once,
      // not again by each copy of a parallel pipeline.
      RelNode below = node;
      while (below.getInputs().size() == 1 && !(below instanceof TableScan)) {
        below = below.getInput(0);
      }
      current.name(
          (below instanceof TableScan scan ? profileName(scan) : "OlapScan")
              + " + "
              + current.name());
    }
    if (operator instanceof LocalExchangeOperator) {
      current.name(
          "LocalExchange(pipelines=["
              + current.children().stream().mapToInt(OperatorProfile::instanceCount).max().orElse(1)
              + "])");
      current.parallelInputs(true);
    }
    return wrap ? profile.wrap(operator, stats) : operator;
  }

  /**
   * The name a profile gives the operator built from {@code node}: the physical operator and the
   * node's attributes as EXPLAIN prints them, e.g. {@code HashAggregate(group=[{0}], ...)}.
   */
  private static String profileName(RelNode node) {
    String described = Utf8BinaryCollation.withoutCollateClauses(CommonSubtrees.describe(node));
    if (node instanceof Join join && MarkJoins.isNullAware(join)) {
      described = described.replace("joinType=[anti]", "joinType=[null_aware_anti]");
    }
    String logical = node.getRelTypeName();
    String physical =
        switch (node) {
          case TableScan ignored -> "OlapScan";
          case Aggregate ignored -> "HashAggregate";
          case Join ignored -> "HashJoin";
          case Sort sort -> sort.getCollation().getFieldCollations().isEmpty() ? "Limit" : "Sort";
          case Window ignored -> "Window";
          default -> logical.startsWith("Logical") ? logical.substring(7) : logical;
        };
    return described.startsWith(logical)
        ? physical + described.substring(logical.length())
        : physical + " " + described;
  }

  /**
   * {@code scan}, its segment-read counters attached to the profile of the operator being built and
   * {@code pushed} (what the plan pushed into it) added as its EXPLAIN line.
   */
  private Operator scanned(Operator scan, java.util.function.Supplier<String> pushed) {
    if (profile != null) {
      profile.scan(scan instanceof StreamOperator stream ? stream.scanCounters() : null);
      planDetail(pushed);
    }
    return scan;
  }

  /** EXPLAIN's line on a scan without a pushed filter: the partitions it reads, if partitioned. */
  private static java.util.function.Supplier<String> partitionsRead(TableDescriptor table) {
    return () -> withoutLeadingComma(PartitionPruner.describe(table, null, null));
  }

  /** EXPLAIN's line on a scan handed key equalities: the partitions they leave, if partitioned. */
  private static java.util.function.Supplier<String> partitionsRead(
      TableDescriptor table, java.util.Map<Integer, Object> equalities) {
    return () -> withoutLeadingComma(PartitionPruner.describe(table, equalities));
  }

  private static String withoutLeadingComma(String text) {
    return text.startsWith(", ") ? text.substring(2) : text;
  }

  /**
   * EXPLAIN's line on a scan with a pushed filter: its condition and the zone-map bounds taken from
   * it, the columns that runtime filters of joins above test (those whose joins publish them), and
   * the partitions read of a partitioned table, e.g. {@code pushed predicate=[>(v, 1)], zone-map
   * bounds=1, runtime filters=[k], partitions=1/4}.
   */
  private java.util.function.Supplier<String> pushedInto(Pushdown pushdown) {
    return () -> {
      ScanPredicate predicate = pushdown.predicate();
      List<String> parts = new ArrayList<>();
      if (!predicate.text().equals("true")) {
        parts.add(
            "pushed predicate=["
                + Utf8BinaryCollation.withoutCollateClauses(predicate.text())
                + "], zone-map bounds="
                + predicate.bounds().size());
      }
      List<String> keys = new ArrayList<>();
      for (ScanPredicate.RuntimeKey key : predicate.runtimeFilters()) {
        if (publishedRuntimeFilters.contains(key.filter())) {
          int column = pushdown.columns()[predicate.filterColumns()[key.filterPosition()]];
          keys.add(pushdown.table().columns().get(column).name());
        }
      }
      if (!keys.isEmpty()) {
        parts.add("runtime filters=[" + String.join(", ", keys) + "]");
      }
      String partitions = PartitionPruner.describe(pushdown.table(), pushdown.columns(), predicate);
      if (!partitions.isEmpty()) {
        parts.add(withoutLeadingComma(partitions));
      }
      return String.join(", ", parts);
    };
  }

  private Operator buildNode(RelNode node) {
    if (parallelism > 1 && !(scans instanceof PipelineCopies) && isScanPipeline(node)) {
      return parallelPipeline(node);
    }
    ExpressionTranslator translator =
        new ExpressionTranslator(registry, node.getCluster().getRexBuilder());
    if (node instanceof Project project && project.getInput() instanceof TableScan scan) {
      return projectedScan(project, scan, translator);
    }
    if (node instanceof TableScan scan) {
      TableDescriptor table = descriptor(scan);
      int[] columns = new int[table.columns().size()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = i;
      }
      return runtimeTargets.containsKey(scan)
          ? runtimeFilteredScan(scan, table, columns, node.getCluster().getRexBuilder(), translator)
          : scanned(scans.scan(table, columns, context), partitionsRead(table));
    }
    if (node instanceof Project project) {
      Operator input = build(project.getInput());
      List<Expression> expressions = new ArrayList<>();
      for (RexNode expression : project.getProjects()) {
        expressions.add(translator.translate(expression, input.outputTypes()));
      }
      return castTo(new ProjectOperator(input, expressions, context), typesOf(project), translator);
    }
    if (node instanceof Filter filter) {
      Operator input = scanWithEqualities(filter, translator);
      if (input == null) {
        Operator pushed = scanWithPredicate(filter, translator);
        if (pushed != null) {
          return pushed;
        }
        input = build(filter.getInput());
      }
      return new FilterOperator(
          input, translator.translate(filter.getCondition(), input.outputTypes()), context);
    }
    if (node instanceof Values values) {
      List<DataType> types = typesOf(values);
      List<Object[]> rows = new ArrayList<>();
      for (List<RexLiteral> tuple : values.getTuples()) {
        Object[] row = new Object[tuple.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = ExpressionTranslator.literalValue(tuple.get(i), types.get(i));
        }
        rows.add(row);
      }
      return new ValuesOperator(types, rows);
    }
    if (node instanceof Sort sort) {
      return sort(sort);
    }
    if (node instanceof Aggregate aggregate) {
      return aggregate(aggregate, translator);
    }
    if (node instanceof Join join) {
      return join(join, translator);
    }
    if (node instanceof SetOp setOp) {
      SetOperationOperator.Kind kind =
          switch (setOp) {
            case Union ignored -> SetOperationOperator.Kind.UNION;
            case Intersect ignored -> SetOperationOperator.Kind.INTERSECT;
            case Minus ignored -> SetOperationOperator.Kind.EXCEPT;
            default -> throw new BasaltException(ErrorCode.UNSUPPORTED, setOp.getRelTypeName());
          };
      List<Operator> inputs = new ArrayList<>();
      for (RelNode input : setOp.getInputs()) {
        inputs.add(castTo(build(input), typesOf(setOp), translator));
      }
      return new SetOperationOperator(kind, setOp.all, inputs, typesOf(setOp), memory);
    }
    if (node instanceof Window window) {
      return window(window);
    }
    if (node.getRelTypeName().contains("Correlate")) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED, "this correlated subquery (it could not be decorrelated)");
    }
    throw new BasaltException(ErrorCode.UNSUPPORTED, "plan node " + node.getRelTypeName());
  }

  /**
   * Whether {@code node} is a scan pipeline: projections, filters (none of them a point lookup) and
   * the probe side of joins that can probe in parallel, down to one table scan, with no operator
   * that buffers rows except the joins' shared builds.
   */
  private static boolean isScanPipeline(RelNode node) {
    RelNode current = node;
    while (current instanceof Project || current instanceof Filter || probesInPipeline(current)) {
      if (current instanceof Filter filter && hasEqualityHint(filter)) {
        return false;
      }
      current = current.getInput(0);
    }
    return current instanceof TableScan;
  }

  /**
   * Whether {@code node} is a join that can probe in each copy of its left input's pipeline, with
   * one shared build of its right input (see {@link HashJoinOperator.SharedBuild}): every join that
   * hashes its right input. A SEMI or ANTI join that hashes its left input ({@link #hashesLeft})
   * probes with its right input, which is not the pipeline being copied.
   */
  private static boolean probesInPipeline(RelNode node) {
    return node instanceof Join join
        && switch (join.getJoinType()) {
          case INNER, LEFT, RIGHT, FULL, LEFT_MARK -> true;
          case SEMI, ANTI -> !hashesLeft(join);
          default -> false;
        };
  }

  /**
   * Whether a SEMI or ANTI join with equality keys hashes its left input and probes with its right
   * one (RIGHT_SEMI / RIGHT_ANTI), because the left is estimated to have fewer rows: a correlated
   * EXISTS over a fact table (TPC-H q21's lineitem, see {@link ExistsJoins}) then hashes the few
   * outer rows instead of the whole table.
   */
  private static boolean hashesLeft(Join join) {
    if ((join.getJoinType() != org.apache.calcite.rel.core.JoinRelType.SEMI
            && join.getJoinType() != org.apache.calcite.rel.core.JoinRelType.ANTI)
        || MarkJoins.isNullAware(join)
        || joinKeys(join).left().isEmpty()) {
      return false;
    }
    org.apache.calcite.rel.metadata.RelMetadataQuery metadata =
        join.getCluster().getMetadataQuery();
    Double leftRows = metadata.getRowCount(join.getLeft());
    Double rightRows = metadata.getRowCount(join.getRight());
    return leftRows != null && rightRows != null && leftRows < rightRows;
  }

  /**
   * Builds a scan pipeline once per worker; the copies' scans split the table's morsels between
   * them and a {@link LocalExchangeOperator} runs each copy on its own thread. A table the provider
   * does not split gives the plain single pipeline.
   */
  private Operator parallelPipeline(RelNode node) {
    List<Operator> pipelines = pipelineCopies(node);
    return pipelines.size() == 1 ? pipelines.get(0) : new LocalExchangeOperator(pipelines);
  }

  /**
   * The copies of a scan pipeline, one per worker ({@link #parallelPipeline}); a single pipeline
   * when the provider does not split the table. The caller runs them (or closes them).
   */
  private List<Operator> pipelineCopies(RelNode node) {
    ScanProvider provider = scans;
    PipelineCopies copies = new PipelineCopies(provider, parallelism);
    List<Operator> pipelines = new ArrayList<>();
    scans = copies;
    try {
      for (int copy = 0; copy < parallelism; copy++) {
        copies.copy = copy;
        pipelines.add(build(node));
        if (copies.workers.size() < 2) {
          break;
        }
      }
    } catch (RuntimeException e) {
      copies.sharedJoins.values().forEach(join -> join.build().probes(pipelines.size()));
      pipelines.forEach(Operator::close);
      throw e;
    } finally {
      scans = provider;
    }
    copies.sharedJoins.values().forEach(join -> join.build().probes(pipelines.size()));
    return pipelines;
  }

  /**
   * Whether {@code aggregate} runs in two phases when its input splits: a plain GROUP BY (no
   * grouping sets) over a scan pipeline, every aggregate mergeable (not DISTINCT, not ordered).
   */
  private boolean twoPhase(Aggregate aggregate, List<DataType> inputTypes) {
    return parallelism > 1
        && !(scans instanceof PipelineCopies)
        && aggregate.getGroupType() == Aggregate.Group.SIMPLE
        && isScanPipeline(aggregate.getInput())
        && PartialAggregateOperator.supports(aggregateCalls(aggregate, inputTypes));
  }

  /**
   * Whether {@code aggregate} runs in two phases as a DISTINCT aggregation when its input splits: a
   * plain GROUP BY (or none) over a scan pipeline whose every call is DISTINCT (COUNT(DISTINCT x),
   * SUM(DISTINCT x), ...), without FILTER or ORDER BY.
   */
  private boolean twoPhaseDistinct(Aggregate aggregate) {
    if (parallelism <= 1
        || scans instanceof PipelineCopies
        || aggregate.getGroupType() != Aggregate.Group.SIMPLE
        || aggregate.getAggCallList().isEmpty()
        || !isScanPipeline(aggregate.getInput())) {
      return false;
    }
    for (org.apache.calcite.rel.core.AggregateCall call : aggregate.getAggCallList()) {
      if (!call.isDistinct()
          || call.filterArg >= 0
          || !call.collation.getFieldCollations().isEmpty()
          || call.getArgList().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Two-phase DISTINCT aggregation over a parallel scan pipeline: each copy removes duplicate
   * (group keys, arguments) rows with a {@link PartialAggregateOperator} without aggregates (a
   * bounded hash distinct, so a row may still reach the final phase more than once), a {@link
   * LocalExchangeOperator} gathers them, and a final {@link HashAggregateOperator} groups by the
   * keys and runs the DISTINCT aggregates, whose own distinct sets drop what the copies sent twice.
   * Removing duplicates of (keys, all arguments) keeps every distinct value of each argument, so
   * the answer equals one phase's. Null when the table does not split.
   */
  private Operator twoPhaseDistinctAggregate(Aggregate aggregate, ExpressionTranslator translator) {
    List<Operator> copies = pipelineCopies(aggregate.getInput());
    int[] groupColumns = aggregate.getGroupSet().toArray();
    java.util.TreeSet<Integer> argumentColumns = new java.util.TreeSet<>();
    for (org.apache.calcite.rel.core.AggregateCall call : aggregate.getAggCallList()) {
      argumentColumns.addAll(call.getArgList());
    }
    for (int column : groupColumns) {
      argumentColumns.remove(column);
    }
    // The distinct rows: the group keys, then the arguments that are not keys.
    int[] distinctColumns = new int[groupColumns.length + argumentColumns.size()];
    java.util.Map<Integer, Integer> positionOf = new java.util.HashMap<>();
    int position = 0;
    for (int column : groupColumns) {
      positionOf.putIfAbsent(column, position);
      distinctColumns[position++] = column;
    }
    for (int column : argumentColumns) {
      positionOf.put(column, position);
      distinctColumns[position++] = column;
    }
    List<DataType> inputTypes = copies.get(0).outputTypes();
    List<AggregateCall> calls = new ArrayList<>();
    for (AggregateCall call : aggregateCalls(aggregate, inputTypes)) {
      List<Integer> arguments = new ArrayList<>();
      for (int argument : call.arguments()) {
        arguments.add(positionOf.get(argument));
      }
      calls.add(new AggregateCall(call.function(), arguments, -1));
    }
    List<Operator> partials = new ArrayList<>();
    for (Operator copy : copies) {
      partials.add(new PartialAggregateOperator(copy, distinctColumns, List.of(), memory));
    }
    Operator distinctRows =
        partials.size() == 1 ? partials.get(0) : new LocalExchangeOperator(partials);
    int pipelines = partials.size();
    planDetail(
        () ->
            "phases=[distinct (group keys, arguments) in "
                + (pipelines == 1
                    ? "the scan pipeline"
                    : "each of " + pipelines + " scan pipelines")
                + " -> "
                + (pipelines == 1 ? "" : "LocalExchange -> ")
                + "final DISTINCT aggregation]");
    int[] keyPositions = new int[groupColumns.length];
    for (int i = 0; i < keyPositions.length; i++) {
      keyPositions[i] = i;
    }
    return castTo(
        new HashAggregateOperator(
            distinctRows, keyPositions, List.of(allPositions(keyPositions.length)), calls, memory),
        typesOf(aggregate),
        translator);
  }

  /**
   * Two-phase aggregation over a parallel scan pipeline: a {@link PartialAggregateOperator} at the
   * top of each copy, a {@link LocalExchangeOperator} and a final {@link HashAggregateOperator}
   * that merges the partial states. Null when the table does not split (the caller aggregates the
   * single pipeline in one phase).
   */
  private Operator twoPhaseAggregate(Aggregate aggregate, ExpressionTranslator translator) {
    List<Operator> copies = pipelineCopies(aggregate.getInput());
    int[] groupColumns = aggregate.getGroupSet().toArray();
    List<AggregateCall> calls = aggregateCalls(aggregate, copies.get(0).outputTypes());
    Operator input;
    if (copies.size() == 1) {
      input = copies.get(0);
      return castTo(
          new HashAggregateOperator(
              input, groupColumns, List.of(allPositions(groupColumns.length)), calls, memory),
          typesOf(aggregate),
          translator);
    }
    List<Operator> partials = new ArrayList<>();
    for (Operator copy : copies) {
      partials.add(new PartialAggregateOperator(copy, groupColumns, calls, memory));
    }
    int pipelines = partials.size();
    planDetail(
        () ->
            "phases=[PartialAggregate in each of "
                + pipelines
                + " scan pipelines -> LocalExchange -> final merge of partial states]");
    return castTo(
        HashAggregateOperator.mergingStates(
            new LocalExchangeOperator(partials), groupColumns.length, calls, memory),
        typesOf(aggregate),
        translator);
  }

  private static BitSet allPositions(int count) {
    BitSet positions = new BitSet();
    positions.set(0, count);
    return positions;
  }

  /** A join probed by every copy of a pipeline: its runtime filter, right input and build. */
  private record SharedJoin(
      List<JoinFilter> runtimeFilters, Operator right, HashJoinOperator.SharedBuild build) {}

  /**
   * The scan provider seen while copies of one scan pipeline are built: the pipeline's one scan is
   * opened once with {@link ScanProvider#scanInParallel} and each copy gets one of its operators.
   */
  private static final class PipelineCopies implements ScanProvider {
    private final ScanProvider provider;
    private final int parallelism;
    private List<Operator> workers = List.of();
    private int copy;

    /** The joins of the pipeline whose probe runs in every copy, by plan node. */
    private final java.util.Map<Join, SharedJoin> sharedJoins = new java.util.IdentityHashMap<>();

    PipelineCopies(ScanProvider provider, int parallelism) {
      this.provider = provider;
      this.parallelism = parallelism;
    }

    @Override
    public Operator scan(TableDescriptor table, int[] columns, EvaluationContext context) {
      return worker(table, columns, null, context);
    }

    @Override
    public Operator scan(
        TableDescriptor table, int[] columns, ScanPredicate predicate, EvaluationContext context) {
      return worker(table, columns, predicate, context);
    }

    private Operator worker(
        TableDescriptor table, int[] columns, ScanPredicate predicate, EvaluationContext context) {
      if (copy == 0) {
        workers = provider.scanInParallel(table, columns, predicate, parallelism, context);
      }
      return workers.get(copy);
    }
  }

  /**
   * A filter directly over a table scan (or over a projection of plain columns of one) is pushed
   * into the scan ({@link ScanPredicate}): the scan prunes by zone maps and decodes the columns the
   * condition does not read only for the rows it keeps. Returns null for other shapes and for
   * conditions that read no column.
   */
  private Operator scanWithPredicate(Filter filter, ExpressionTranslator translator) {
    Pushdown pushdown = pushdown(filter, translator);
    if (pushdown == null) {
      return null;
    }
    Operator scan =
        scanned(
            scans.scan(pushdown.table(), pushdown.columns(), pushdown.predicate(), context),
            pushedInto(pushdown));
    if (filter.getInput() instanceof Project project) {
      return castTo(scan, typesOf(project), translator);
    }
    return scan;
  }

  /** A filter that can be pushed into its scan: the table, the columns read and the predicate. */
  private record Pushdown(TableDescriptor table, int[] columns, ScanPredicate predicate) {}

  private Pushdown pushdown(Filter filter, ExpressionTranslator translator) {
    RelNode child = filter.getInput();
    TableScan scan;
    int[] columns;
    if (child instanceof TableScan direct) {
      scan = direct;
      columns = new int[direct.getRowType().getFieldCount()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = i;
      }
    } else if (child instanceof Project projection
        && projection.getInput() instanceof TableScan below
        && projection.getProjects().stream().allMatch(RexInputRef.class::isInstance)) {
      scan = below;
      columns =
          projection.getProjects().stream()
              .mapToInt(reference -> ((RexInputRef) reference).getIndex())
              .toArray();
    } else {
      return null;
    }
    TableDescriptor table = descriptor(scan);
    RexNode condition = filter.getCondition();
    ImmutableBitSet conditionColumns = RelOptUtil.InputFinder.bits(condition);
    if (conditionColumns.isEmpty()) {
      return null;
    }
    return pushdown(
        scan, table, columns, condition, child.getRowType().getFieldNames(), translator);
  }

  /**
   * The predicate for a scan of {@code columns} of {@code table}: {@code condition} (over those
   * columns, TRUE when there is only a runtime filter) plus the runtime filters registered for the
   * scan node; {@code names} names the columns for EXPLAIN.
   */
  private Pushdown pushdown(
      TableScan scan,
      TableDescriptor table,
      int[] columns,
      RexNode condition,
      List<String> names,
      ExpressionTranslator translator) {
    ImmutableBitSet.Builder read = RelOptUtil.InputFinder.bits(condition).rebuild();
    List<RuntimeTarget> targets = runtimeTargets.getOrDefault(scan, List.of());
    List<int[]> runtime = new ArrayList<>();
    for (int target = 0; target < targets.size(); target++) {
      for (int position = 0; position < columns.length; position++) {
        if (columns[position] == targets.get(target).tableColumn()) {
          read.set(position);
          runtime.add(new int[] {position, target});
          break;
        }
      }
    }
    int[] filterColumns = read.build().toArray();
    List<DataType> types = new ArrayList<>();
    for (int column : columns) {
      types.add(CalciteTypes.plannedType(table.columns().get(column).type()));
    }
    int[] positionInFilter = new int[columns.length];
    List<DataType> filterTypes = new ArrayList<>();
    for (int i = 0; i < filterColumns.length; i++) {
      positionInFilter[filterColumns[i]] = i;
      filterTypes.add(types.get(filterColumns[i]));
    }
    RexBuilder rexBuilder = scan.getCluster().getRexBuilder();
    RexNode overFilterColumns =
        condition.accept(
            new org.apache.calcite.rex.RexShuttle() {
              @Override
              public RexNode visitInputRef(RexInputRef reference) {
                return rexBuilder.makeInputRef(
                    reference.getType(), positionInFilter[reference.getIndex()]);
              }
            });
    ScanBounds scanBounds = scanBounds(rexBuilder, condition, types, translator, context);
    String text =
        condition
            .accept(
                new org.apache.calcite.rex.RexShuttle() {
                  @Override
                  public RexNode visitInputRef(RexInputRef reference) {
                    return new RexInputRef(reference.getIndex(), reference.getType()) {
                      @Override
                      public String toString() {
                        return names.get(getIndex());
                      }
                    };
                  }
                })
            .toString();
    List<ScanPredicate.RuntimeKey> runtimeFilters = new ArrayList<>();
    for (int[] positionAndTarget : runtime) {
      runtimeFilters.add(
          new ScanPredicate.RuntimeKey(
              positionInFilter[positionAndTarget[0]], targets.get(positionAndTarget[1]).filter()));
      if (profile != null) {
        scannedRuntimeFilters.add(targets.get(positionAndTarget[1]).filter());
      }
    }
    ScanPredicate predicate =
        new ScanPredicate(
            translator.translate(condition, types),
            filterColumns,
            translator.translate(overFilterColumns, filterTypes),
            scanBounds.bounds(),
            text,
            runtimeFilters,
            scanBounds.alternatives());
    return new Pushdown(table, columns, predicate);
  }

  /**
   * What a condition tells zone maps and partition pruning: its conjuncts {@code column <op>
   * constant} as bounds, and its IN lists (disjunctions of equalities on one column) as
   * alternatives.
   *
   * @param bounds the bounds, on the condition's input positions
   * @param alternatives each IN list's equalities
   */
  record ScanBounds(List<ColumnBound> bounds, List<List<ColumnBound>> alternatives) {}

  /**
   * The {@link ScanBounds} of {@code condition} over columns of {@code types} (its input
   * positions); constants are evaluated once, with {@code context}.
   */
  static ScanBounds scanBounds(
      RexBuilder rexBuilder,
      RexNode condition,
      List<DataType> types,
      ExpressionTranslator translator,
      EvaluationContext context) {
    List<ColumnBound> bounds = new ArrayList<>();
    List<List<ColumnBound>> alternatives = new ArrayList<>();
    for (RexNode conjunct :
        RelOptUtil.conjunctions(RexUtil.expandSearch(rexBuilder, null, condition))) {
      List<ColumnBound> implied = bounds(conjunct, types, translator, context);
      if (implied != null) {
        bounds.addAll(implied);
      } else if (conjunct.getKind() == SqlKind.OR) {
        List<List<ColumnBound>> disjuncts = new ArrayList<>();
        for (RexNode disjunct : RelOptUtil.disjunctions(conjunct)) {
          List<ColumnBound> each = new ArrayList<>();
          for (RexNode part : RelOptUtil.conjunctions(disjunct)) {
            List<ColumnBound> partBounds = bounds(part, types, translator, context);
            if (partBounds != null) {
              each.addAll(partBounds);
            }
          }
          disjuncts.add(each);
        }
        // An IN list (one bound per disjunct) prunes partitions; zone maps take the envelope.
        List<ColumnBound> anyOf = new ArrayList<>();
        for (List<ColumnBound> each : disjuncts) {
          if (anyOf != null && each.size() == 1) {
            anyOf.add(each.get(0));
          } else {
            anyOf = null;
          }
        }
        if (anyOf != null) {
          alternatives.add(anyOf);
        }
        bounds.addAll(envelope(disjuncts));
      }
    }
    return new ScanBounds(bounds, alternatives);
  }

  /**
   * Bounds that hold for every row satisfying at least one of {@code disjuncts} (each a list of
   * bounds its rows satisfy): when all of them bound one column from below (above), the lowest
   * lower (highest upper) bound, inclusive. {@code c IN ('a', 'k', 'x')} is {@code 'a' <= c <=
   * 'x'}.
   */
  private static List<ColumnBound> envelope(List<List<ColumnBound>> disjuncts) {
    if (disjuncts.isEmpty()) {
      return List.of();
    }
    int column = -1;
    Object lowest = null;
    Object highest = null;
    boolean lowerEverywhere = true;
    boolean upperEverywhere = true;
    for (List<ColumnBound> each : disjuncts) {
      Object lower = null;
      Object upper = null;
      for (ColumnBound bound : each) {
        if (column >= 0 && bound.column() != column) {
          continue;
        }
        switch (bound.comparison()) {
          case EQUAL -> {
            lower = lower == null ? bound.value() : lower;
            upper = upper == null ? bound.value() : upper;
          }
          case GREATER, GREATER_OR_EQUAL -> lower = lower == null ? bound.value() : lower;
          case LESS, LESS_OR_EQUAL -> upper = upper == null ? bound.value() : upper;
          case NOT_EQUAL -> {
            continue;
          }
        }
        column = bound.column();
      }
      if (lower == null) {
        lowerEverywhere = false;
      } else if (lowerEverywhere) {
        Integer order = lowest == null ? Integer.valueOf(-1) : ColumnBound.order(lower, lowest);
        if (order == null) {
          lowerEverywhere = false;
        } else if (order < 0) {
          lowest = lower;
        }
      }
      if (upper == null) {
        upperEverywhere = false;
      } else if (upperEverywhere) {
        Integer order = highest == null ? Integer.valueOf(1) : ColumnBound.order(upper, highest);
        if (order == null) {
          upperEverywhere = false;
        } else if (order > 0) {
          highest = upper;
        }
      }
    }
    List<ColumnBound> envelope = new ArrayList<>(2);
    if (lowerEverywhere && lowest != null) {
      envelope.add(new ColumnBound(column, ColumnBound.Comparison.GREATER_OR_EQUAL, lowest));
    }
    if (upperEverywhere && highest != null) {
      envelope.add(new ColumnBound(column, ColumnBound.Comparison.LESS_OR_EQUAL, highest));
    }
    return envelope;
  }

  /**
   * The zone-map bounds a conjunct {@code column <op> constant} (either side; {@code <>} included)
   * or {@code column LIKE 'prefix...'} implies (possibly none), or null when it has neither shape.
   * The constant is any deterministic expression without column references, evaluated once here. A
   * string comparison becomes raw-byte bounds by the rule the comparison is evaluated with
   * (trailing spaces ignored when either operand is CHAR, see {@link ColumnBound#ofStrings}).
   */
  private static List<ColumnBound> bounds(
      RexNode conjunct,
      List<DataType> types,
      ExpressionTranslator translator,
      EvaluationContext context) {
    if (!(conjunct instanceof org.apache.calcite.rex.RexCall call)) {
      return null;
    }
    if (call.getKind() == SqlKind.LIKE) {
      return likeBounds(call, types, translator, context);
    }
    if (call.getOperands().size() != 2) {
      return null;
    }
    ColumnBound.Comparison comparison =
        switch (call.getKind()) {
          case EQUALS -> ColumnBound.Comparison.EQUAL;
          case NOT_EQUALS -> ColumnBound.Comparison.NOT_EQUAL;
          case LESS_THAN -> ColumnBound.Comparison.LESS;
          case LESS_THAN_OR_EQUAL -> ColumnBound.Comparison.LESS_OR_EQUAL;
          case GREATER_THAN -> ColumnBound.Comparison.GREATER;
          case GREATER_THAN_OR_EQUAL -> ColumnBound.Comparison.GREATER_OR_EQUAL;
          default -> null;
        };
    if (comparison == null) {
      return null;
    }
    RexNode left = withoutStringCast(call.getOperands().get(0), types);
    RexNode right = withoutStringCast(call.getOperands().get(1), types);
    boolean stringCast = left != call.getOperands().get(0) || right != call.getOperands().get(1);
    left = withoutWideningCast(left);
    right = withoutWideningCast(right);
    if (!(left instanceof RexInputRef) && right instanceof RexInputRef) {
      RexNode swap = left;
      left = right;
      right = swap;
      comparison =
          switch (comparison) {
            case LESS -> ColumnBound.Comparison.GREATER;
            case LESS_OR_EQUAL -> ColumnBound.Comparison.GREATER_OR_EQUAL;
            case GREATER -> ColumnBound.Comparison.LESS;
            case GREATER_OR_EQUAL -> ColumnBound.Comparison.LESS_OR_EQUAL;
            case EQUAL, NOT_EQUAL -> comparison;
          };
    }
    if (!(left instanceof RexInputRef reference)
        || !RexUtil.isConstant(right)
        || !RexUtil.isDeterministic(right)) {
      return null;
    }
    DataType columnType = types.get(reference.getIndex());
    Object value = constantValue(right, translator, context);
    if (value == null || !ColumnBound.supported(value)) {
      return List.of();
    }
    if (columnType.kind().isString()) {
      if (!(value instanceof String text)) {
        // A string column against a number compares as DOUBLE: not the zone map's order.
        return List.of();
      }
      // A comparison with a CHAR side may ignore trailing spaces (ComparisonFunctions) or not
      // (Calcite compares a CHAR column cast to VARCHAR, which some evaluation paths look
      // through): its bounds hold under either rule. Between other strings every byte counts.
      boolean charSide =
          stringCast
              || columnType.kind() == TypeKind.CHAR
              || translator.translate(right, List.of()).type().kind() == TypeKind.CHAR;
      return charSide
          ? ColumnBound.ofStringsUnderEitherRule(reference.getIndex(), comparison, text)
          : ColumnBound.ofStrings(reference.getIndex(), comparison, text, false);
    }
    if (value instanceof String) {
      // A number or date column against a string converts the string: not a bound.
      return List.of();
    }
    return List.of(new ColumnBound(reference.getIndex(), comparison, value));
  }

  /**
   * The bounds of {@code string_column LIKE pattern [ESCAPE e]} with a constant pattern: the
   * strings starting with its literal prefix ({@link ColumnBound#ofPrefix}); none for NOT LIKE, a
   * pattern starting with a wildcard, or an escape other than one ASCII character (LIKE escapes by
   * the escape's first byte).
   */
  private static List<ColumnBound> likeBounds(
      org.apache.calcite.rex.RexCall call,
      List<DataType> types,
      ExpressionTranslator translator,
      EvaluationContext context) {
    if ((call.getOperator() instanceof org.apache.calcite.sql.fun.SqlLikeOperator like
            && like.isNegated())
        || !(withoutStringCast(call.getOperands().get(0), types) instanceof RexInputRef reference)
        || !types.get(reference.getIndex()).kind().isString()) {
      return null;
    }
    char escape = '\\';
    for (int operand = 1; operand < call.getOperands().size(); operand++) {
      RexNode node = call.getOperands().get(operand);
      if (!RexUtil.isConstant(node) || !RexUtil.isDeterministic(node)) {
        return null;
      }
    }
    if (call.getOperands().size() == 3) {
      Object given = constantValue(call.getOperands().get(2), translator, context);
      if (!(given instanceof String text)
          || text.length() > 1
          || (!text.isEmpty() && text.charAt(0) >= 0x80)) {
        return List.of();
      }
      escape = text.isEmpty() ? 0 : text.charAt(0);
    }
    if (!(constantValue(call.getOperands().get(1), translator, context)
        instanceof String pattern)) {
      return List.of();
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char unit = pattern.charAt(i);
      if (escape != 0 && unit == escape && i + 1 < pattern.length()) {
        int next = pattern.codePointAt(i + 1);
        prefix.appendCodePoint(next);
        i += Character.charCount(next);
      } else if (unit == '%' || unit == '_') {
        break;
      } else {
        prefix.append(unit);
      }
    }
    return ColumnBound.ofPrefix(reference.getIndex(), prefix.toString());
  }

  /** A constant expression's value, or null when it is NULL or its evaluation fails. */
  private static Object constantValue(
      RexNode constant, ExpressionTranslator translator, EvaluationContext context) {
    try {
      return translator
          .translate(constant, List.of())
          .evaluate(new dev.basalt.common.vector.Batch(List.of(), 1), context)
          .getObject(0);
    } catch (RuntimeException notConstant) {
      // The filter reports the error (if any row reaches it); pruning just does without.
      return null;
    }
  }

  /**
   * The string column under a cast to VARCHAR or STRING (Calcite casts a CHAR column to VARCHAR to
   * compare it with a literal; lengths are not enforced inside queries, so the bytes are the
   * column's, give or take trailing spaces); otherwise the node.
   */
  private static RexNode withoutStringCast(RexNode node, List<DataType> types) {
    if (node.getKind() == SqlKind.CAST
        && node instanceof org.apache.calcite.rex.RexCall cast
        && cast.getOperands().get(0) instanceof RexInputRef reference
        && types.get(reference.getIndex()).kind().isString()
        && CalciteTypes.toBasalt(cast.getType()).kind().isString()
        && CalciteTypes.toBasalt(cast.getType()).kind() != TypeKind.CHAR) {
      return reference;
    }
    return node;
  }

  /**
   * The column under a cast that keeps every value and its order (an exact number to an exact
   * number with at least as many integer and fraction digits, e.g. DECIMAL(15, 2) to DECIMAL(16,
   * 2), which Calcite adds to compare with a literal of another precision); otherwise the node.
   */
  private static RexNode withoutWideningCast(RexNode node) {
    if (node.getKind() == SqlKind.CAST
        && node instanceof org.apache.calcite.rex.RexCall cast
        && cast.getOperands().get(0) instanceof RexInputRef reference) {
      org.apache.calcite.rel.type.RelDataType from = reference.getType();
      org.apache.calcite.rel.type.RelDataType to = cast.getType();
      if (org.apache.calcite.sql.type.SqlTypeUtil.isExactNumeric(from)
          && org.apache.calcite.sql.type.SqlTypeUtil.isExactNumeric(to)
          && to.getScale() >= from.getScale()
          && to.getPrecision() - to.getScale() >= from.getPrecision() - from.getScale()) {
        return reference;
      }
    }
    return node;
  }

  /**
   * For a filter directly over a table scan (or over a projection of plain columns of one), hands
   * the filter's {@code column = literal} conjuncts to the scan as a hint (a merge-on-write unique
   * table then reads only the row of a full primary key); the filter still applies on top. Returns
   * null when the filter has no such shape.
   */
  private Operator scanWithEqualities(Filter filter, ExpressionTranslator translator) {
    RelNode child = filter.getInput();
    Project project = null;
    TableScan scan;
    if (child instanceof TableScan direct) {
      scan = direct;
    } else if (child instanceof Project projection
        && projection.getInput() instanceof TableScan below
        && projection.getProjects().stream().allMatch(RexInputRef.class::isInstance)) {
      project = projection;
      scan = below;
    } else {
      return null;
    }
    TableDescriptor table = descriptor(scan);
    java.util.Map<Integer, Object> equalities = equalities(filter, table, project);
    if (equalities.isEmpty()) {
      return null;
    }
    if (project == null) {
      int[] columns = new int[table.columns().size()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = i;
      }
      return scanned(
          scans.scan(table, columns, equalities, context), partitionsRead(table, equalities));
    }
    return projectedScan(project, scan, translator, equalities);
  }

  /**
   * The filter's {@code column = literal} conjuncts as table column index to value (see {@link
   * #scanWithEqualities}); {@code project} is the plain-column projection between filter and scan,
   * or null.
   */
  private static java.util.Map<Integer, Object> equalities(
      Filter filter, TableDescriptor table, Project project) {
    java.util.Map<Integer, Object> equalities = new java.util.HashMap<>();
    dev.basalt.meta.catalog.TableMeta meta =
        table.handle() instanceof dev.basalt.meta.catalog.TableMeta known ? known : null;
    if (meta != null && meta.keysType() == dev.basalt.meta.catalog.KeysType.DUP_KEYS) {
      // A duplicate-key table scan does better with the filter pushed in (zone maps on every
      // conjunct, late materialization, parallel pipelines) than with a hint it cannot use.
      return equalities;
    }
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      if (!(conjunct instanceof org.apache.calcite.rex.RexCall call)
          || call.getKind() != org.apache.calcite.sql.SqlKind.EQUALS) {
        continue;
      }
      RexNode left = call.getOperands().get(0);
      RexNode right = call.getOperands().get(1);
      RexInputRef reference =
          left instanceof RexInputRef ref ? ref : right instanceof RexInputRef ref ? ref : null;
      RexLiteral literal =
          right instanceof RexLiteral lit ? lit : left instanceof RexLiteral lit ? lit : null;
      if (reference == null || literal == null || literal.isNull()) {
        continue;
      }
      int column =
          project == null
              ? reference.getIndex()
              : ((RexInputRef) project.getProjects().get(reference.getIndex())).getIndex();
      Object value = equalityValue(table.columns().get(column).type(), literal);
      if (value != null) {
        equalities.put(column, value);
      }
    }
    if (meta != null && meta.mergeOnWrite()) {
      if (!table.partitions().isEmpty()) {
        return java.util.Map.of();
      }
      for (int column = 0; column < meta.columns().size(); column++) {
        if (meta.columns().get(column).key() && !equalities.containsKey(column)) {
          // A merge-on-write table streams its segments: without the whole key, no lookup, and
          // the pushed filter does better.
          return java.util.Map.of();
        }
      }
    }
    return equalities;
  }

  /** Whether {@link #scanWithEqualities} takes this filter (then it is not pushed down). */
  private static boolean hasEqualityHint(Filter filter) {
    RelNode child = filter.getInput();
    if (child instanceof TableScan scan) {
      return !equalities(filter, descriptor(scan), null).isEmpty();
    }
    if (child instanceof Project projection
        && projection.getInput() instanceof TableScan below
        && projection.getProjects().stream().allMatch(RexInputRef.class::isInstance)) {
      return !equalities(filter, descriptor(below), projection).isEmpty();
    }
    return false;
  }

  /**
   * The literal as a value of a column of {@code type}, or null when the two are not plainly
   * comparable (only integers, VARCHAR/STRING and DATE keys are looked up).
   */
  private static Object equalityValue(DataType type, RexLiteral literal) {
    org.apache.calcite.sql.type.SqlTypeName literalType = literal.getType().getSqlTypeName();
    try {
      return switch (type.kind()) {
        case TINYINT, SMALLINT, INT, BIGINT -> {
          if (!org.apache.calcite.sql.type.SqlTypeName.INT_TYPES.contains(literalType)
              && literalType != org.apache.calcite.sql.type.SqlTypeName.DECIMAL) {
            yield null;
          }
          java.math.BigDecimal number = literal.getValueAs(java.math.BigDecimal.class);
          yield number.stripTrailingZeros().scale() <= 0 ? number.longValueExact() : null;
        }
        case VARCHAR, STRING ->
            org.apache.calcite.sql.type.SqlTypeName.CHAR_TYPES.contains(literalType)
                ? ExpressionTranslator.literalValue(literal, type)
                : null;
        case DATE ->
            literalType == org.apache.calcite.sql.type.SqlTypeName.DATE
                ? ExpressionTranslator.literalValue(literal, type)
                : null;
        default -> null;
      };
    } catch (RuntimeException notComparable) {
      return null;
    }
  }

  private Operator projectedScan(Project project, TableScan scan, ExpressionTranslator translator) {
    return projectedScan(project, scan, translator, java.util.Map.of());
  }

  private Operator projectedScan(
      Project project,
      TableScan scan,
      ExpressionTranslator translator,
      java.util.Map<Integer, Object> equalities) {
    TableDescriptor table = descriptor(scan);
    ImmutableBitSet used = RelOptUtil.InputFinder.bits(project.getProjects(), null);
    int[] columns = used.toArray();
    if (columns.length == 0 && !table.columns().isEmpty()) {
      columns = new int[] {0};
    }
    int[] mapping = new int[table.columns().size()];
    for (int i = 0; i < columns.length; i++) {
      mapping[columns[i]] = i;
    }
    RexBuilder rexBuilder = project.getCluster().getRexBuilder();
    Operator input;
    if (!equalities.isEmpty()) {
      input =
          scanned(
              scans.scan(table, columns, equalities, context), partitionsRead(table, equalities));
    } else if (runtimeTargets.containsKey(scan)) {
      input = runtimeFilteredScan(scan, table, columns, rexBuilder, translator);
    } else {
      input = scanned(scans.scan(table, columns, context), partitionsRead(table));
    }
    List<Expression> expressions = new ArrayList<>();
    for (RexNode expression : project.getProjects()) {
      RexNode remapped =
          expression.accept(
              new org.apache.calcite.rex.RexShuttle() {
                @Override
                public RexNode visitInputRef(RexInputRef reference) {
                  return rexBuilder.makeInputRef(
                      reference.getType(), mapping[reference.getIndex()]);
                }
              });
      expressions.add(translator.translate(remapped, input.outputTypes()));
    }
    return castTo(new ProjectOperator(input, expressions, context), typesOf(project), translator);
  }

  /**
   * A scan with no filter of its own below the probe side of a join: the join's runtime filters are
   * its predicate.
   */
  private Operator runtimeFilteredScan(
      TableScan scan,
      TableDescriptor table,
      int[] columns,
      RexBuilder rexBuilder,
      ExpressionTranslator translator) {
    List<String> names = new ArrayList<>();
    for (int column : columns) {
      names.add(table.columns().get(column).name());
    }
    Pushdown pushdown =
        pushdown(scan, table, columns, rexBuilder.makeLiteral(true), names, translator);
    return scanned(scans.scan(table, columns, pushdown.predicate(), context), pushedInto(pushdown));
  }

  private static TableDescriptor descriptor(TableScan scan) {
    CalciteSchemas.BasaltTable table = scan.getTable().unwrap(CalciteSchemas.BasaltTable.class);
    if (table == null) {
      throw new BasaltException(
          ErrorCode.INTERNAL_ERROR,
          "-",
          "scan of a table Basalt does not own: " + scan.getTable().getQualifiedName());
    }
    return table.descriptor();
  }

  private Operator sort(Sort sort) {
    Operator input = build(sort.getInput());
    long offset = sort.offset == null ? 0 : ((RexLiteral) sort.offset).getValueAs(Long.class);
    long fetch = sort.fetch == null ? -1 : ((RexLiteral) sort.fetch).getValueAs(Long.class);
    if (sort.getCollation().getFieldCollations().isEmpty()) {
      return new LimitOperator(input, offset, fetch);
    }
    return new SortOperator(input, sortKeys(sort.getCollation()), offset, fetch, memory);
  }

  /** ORDER BY keys; without an explicit NULLS FIRST/LAST, NULLs come first ascending (MySQL). */
  private static List<SortKey> sortKeys(org.apache.calcite.rel.RelCollation collation) {
    List<SortKey> keys = new ArrayList<>();
    for (RelFieldCollation field : collation.getFieldCollations()) {
      boolean descending = field.getDirection().isDescending();
      boolean nullsFirst =
          switch (field.nullDirection) {
            case FIRST -> true;
            case LAST -> false;
            default -> !descending;
          };
      keys.add(new SortKey(field.getFieldIndex(), descending, nullsFirst));
    }
    return keys;
  }

  private Operator aggregate(Aggregate aggregate, ExpressionTranslator translator) {
    if (twoPhase(aggregate, typesOf(aggregate.getInput()))) {
      return twoPhaseAggregate(aggregate, translator);
    }
    if (twoPhaseDistinct(aggregate)) {
      return twoPhaseDistinctAggregate(aggregate, translator);
    }
    Operator input = build(aggregate.getInput());
    int[] groupColumns = aggregate.getGroupSet().toArray();
    List<BitSet> groupingSets = new ArrayList<>();
    for (ImmutableBitSet set : aggregate.getGroupSets()) {
      BitSet positions = new BitSet();
      for (int i = 0; i < groupColumns.length; i++) {
        if (set.get(groupColumns[i])) {
          positions.set(i);
        }
      }
      groupingSets.add(positions);
    }
    return castTo(
        new HashAggregateOperator(
            input,
            groupColumns,
            groupingSets,
            aggregateCalls(aggregate, input.outputTypes()),
            memory),
        typesOf(aggregate),
        translator);
  }

  /** The aggregate calls of {@code aggregate} over an input of {@code inputTypes}. */
  private List<AggregateCall> aggregateCalls(Aggregate aggregate, List<DataType> inputTypes) {
    List<AggregateCall> calls = new ArrayList<>();
    for (org.apache.calcite.rel.core.AggregateCall call : aggregate.getAggCallList()) {
      List<DataType> argumentTypes = new ArrayList<>();
      for (int argument : call.getArgList()) {
        argumentTypes.add(inputTypes.get(argument));
      }
      AggregateFunction function = aggregateFunction(call, argumentTypes);
      List<Integer> arguments = call.getArgList();
      if (!call.collation.getFieldCollations().isEmpty()) {
        // group_concat(x ORDER BY y): the ORDER BY columns follow the arguments.
        List<SortKey> order = new ArrayList<>();
        List<Integer> withKeys = new ArrayList<>(arguments);
        for (SortKey key : sortKeys(call.collation)) {
          order.add(new SortKey(order.size(), key.descending(), key.nullsFirst()));
          withKeys.add(key.column());
        }
        function = new OrderedAggregateFunction(function, argumentTypes, order);
        arguments = withKeys;
      }
      calls.add(new AggregateCall(function, arguments, call.filterArg));
    }
    return calls;
  }

  private AggregateFunction aggregateFunction(
      org.apache.calcite.rel.core.AggregateCall call, List<DataType> argumentTypes) {
    SqlKind kind = call.getAggregation().getKind();
    DataType resultType = CalciteTypes.toBasalt(call.getType());
    return switch (kind) {
      case SINGLE_VALUE -> SpecialAggregates.singleValue(argumentTypes.get(0));
      case LITERAL_AGG ->
          SpecialAggregates.literal(
              resultType,
              ExpressionTranslator.literalValue((RexLiteral) call.rexList.get(0), resultType));
      default -> aggregate(kind, call.getAggregation().getName(), argumentTypes, call.isDistinct());
    };
  }

  /** An aggregate by Calcite's kind and name, for GROUP BY and window calls alike. */
  private AggregateFunction aggregate(
      SqlKind kind, String name, List<DataType> argumentTypes, boolean distinct) {
    if (kind == SqlKind.SUM0) {
      return SpecialAggregates.sumOrZero(registry.resolveAggregate("sum", argumentTypes, distinct));
    }
    String lowerName = name.toLowerCase(Locale.ROOT);
    // Calcite plans MySQL's GROUP_CONCAT as LISTAGG; the separator is its second argument.
    return registry.resolveAggregate(
        lowerName.equals("listagg") ? "group_concat" : lowerName, argumentTypes, distinct);
  }

  private Operator join(Join join, ExpressionTranslator translator) {
    // A copy of a parallel probe pipeline: the first copy builds the right side (with the
    // table's own scans, not the copies') and every copy shares it and its runtime filter.
    PipelineCopies copies = scans instanceof PipelineCopies pipeline ? pipeline : null;
    SharedJoin shared = copies == null ? null : copies.sharedJoins.get(join);
    boolean hashesLeft = hashesLeft(join);
    List<JoinFilter> runtimeFilters =
        shared != null
            ? shared.runtimeFilters()
            : hashesLeft ? List.of() : registerRuntimeFilters(join, false);
    Operator left;
    try {
      left = build(join.getLeft());
    } finally {
      removeRuntimeTargets(runtimeFilters);
    }
    Operator right;
    if (hashesLeft) {
      // The right input is the probe side: its scan gets the filters of the left input's keys.
      runtimeFilters = registerRuntimeFilters(join, true);
      try {
        right = build(join.getRight());
      } finally {
        removeRuntimeTargets(runtimeFilters);
      }
    } else if (copies == null) {
      right = build(join.getRight());
    } else if (shared == null) {
      scans = copies.provider;
      try {
        right = build(join.getRight());
      } finally {
        scans = copies;
      }
      shared = new SharedJoin(runtimeFilters, right, new HashJoinOperator.SharedBuild());
      copies.sharedJoins.put(join, shared);
    } else {
      right = shared.right();
    }
    JoinKeys keys = joinKeys(join);
    List<Integer> leftKeys = keys.left();
    List<Integer> rightKeys = keys.right();
    List<Boolean> filterNulls = keys.filterNulls();
    List<RexNode> nonEquiConditions = keys.nonEquiConditions();
    RexNode residual =
        RexUtil.composeConjunction(join.getCluster().getRexBuilder(), nonEquiConditions);
    // Keys of different types would hash differently: compare those in the residual instead. A
    // mark join's = keys then all go there (it takes = keys or a residual, not both).
    List<RexNode> extra = new ArrayList<>();
    RexBuilder rexBuilder = join.getCluster().getRexBuilder();
    int leftWidth = join.getLeft().getRowType().getFieldCount();
    boolean marks =
        join.getJoinType() == org.apache.calcite.rel.core.JoinRelType.LEFT_MARK
            || MarkJoins.isNullAware(join);
    boolean equalsKeysToResidual = false;
    for (int i = 0; i < leftKeys.size(); i++) {
      equalsKeysToResidual |=
          marks
              && filterNulls.get(i)
              && !sameKeyType(
                  left.outputTypes().get(leftKeys.get(i)),
                  right.outputTypes().get(rightKeys.get(i)));
    }
    for (int i = leftKeys.size() - 1; i >= 0; i--) {
      DataType leftType = left.outputTypes().get(leftKeys.get(i));
      DataType rightType = right.outputTypes().get(rightKeys.get(i));
      if (!sameKeyType(leftType, rightType) || (equalsKeysToResidual && filterNulls.get(i))) {
        RexNode leftRef =
            rexBuilder.makeInputRef(
                join.getLeft().getRowType().getFieldList().get(leftKeys.get(i)).getType(),
                leftKeys.get(i));
        RexNode rightRef =
            rexBuilder.makeInputRef(
                join.getRight().getRowType().getFieldList().get(rightKeys.get(i)).getType(),
                leftWidth + rightKeys.get(i));
        extra.add(
            rexBuilder.makeCall(
                filterNulls.get(i)
                    ? org.apache.calcite.sql.fun.SqlStdOperatorTable.EQUALS
                    : org.apache.calcite.sql.fun.SqlStdOperatorTable.IS_NOT_DISTINCT_FROM,
                leftRef,
                rightRef));
        leftKeys.remove(i);
        rightKeys.remove(i);
        filterNulls.remove(i);
      }
    }
    if (!extra.isEmpty()) {
      extra.add(residual);
      residual = RexUtil.composeConjunction(rexBuilder, extra);
    }
    List<DataType> joinedTypes = new ArrayList<>(left.outputTypes());
    joinedTypes.addAll(right.outputTypes());
    boolean[] nullMatches = new boolean[filterNulls.size()];
    for (int i = 0; i < nullMatches.length; i++) {
      nullMatches[i] = !filterNulls.get(i);
    }
    if (hashesLeft) {
      return castTo(
          leftHashingSemiJoin(
              join,
              left,
              right,
              leftKeys,
              rightKeys,
              nullMatches,
              residual,
              runtimeFilters,
              translator),
          typesOf(join),
          translator);
    }
    Expression residualExpression =
        residual.isAlwaysTrue() ? null : translator.translate(residual, joinedTypes);
    JoinType type =
        switch (join.getJoinType()) {
          case INNER -> JoinType.INNER;
          case LEFT -> JoinType.LEFT;
          case RIGHT -> JoinType.RIGHT;
          case FULL -> JoinType.FULL;
          case SEMI -> JoinType.SEMI;
          case ANTI -> MarkJoins.isNullAware(join) ? JoinType.NULL_AWARE_ANTI : JoinType.ANTI;
          case LEFT_MARK -> JoinType.MARK;
          default -> throw new BasaltException(ErrorCode.UNSUPPORTED, join.getJoinType() + " join");
        };
    HashJoinOperator joined =
        shared == null
            ? new HashJoinOperator(
                left,
                right,
                leftKeys.stream().mapToInt(Integer::intValue).toArray(),
                rightKeys.stream().mapToInt(Integer::intValue).toArray(),
                nullMatches,
                type,
                residualExpression,
                context,
                memory)
            : new HashJoinOperator(
                left,
                right,
                leftKeys.stream().mapToInt(Integer::intValue).toArray(),
                rightKeys.stream().mapToInt(Integer::intValue).toArray(),
                nullMatches,
                type,
                residualExpression,
                context,
                memory,
                shared.build());
    for (JoinFilter filter : runtimeFilters) {
      if (joined.publishRuntimeFilter(filter.filter(), filter.probeKey())) {
        describeRuntimeFilter(join, filter.filter());
      }
    }
    if (copies != null && copies.workers.size() > 1) {
      int pipelines = copies.workers.size();
      planDetail(() -> "probe in each of " + pipelines + " scan pipelines, build side shared");
    }
    return castTo(joined, typesOf(join), translator);
  }

  /**
   * A SEMI or ANTI join that hashes its left input and probes with its right one ({@link
   * #hashesLeft}): the residual is rewritten over the probe row then the build row.
   */
  private Operator leftHashingSemiJoin(
      Join join,
      Operator left,
      Operator right,
      List<Integer> leftKeys,
      List<Integer> rightKeys,
      boolean[] nullMatches,
      RexNode residual,
      List<JoinFilter> runtimeFilters,
      ExpressionTranslator translator) {
    int leftWidth = left.outputTypes().size();
    int rightWidth = right.outputTypes().size();
    RexNode swapped =
        residual.accept(
            new org.apache.calcite.rex.RexShuttle() {
              @Override
              public RexNode visitInputRef(RexInputRef reference) {
                int index = reference.getIndex();
                return new RexInputRef(
                    index < leftWidth ? index + rightWidth : index - leftWidth,
                    reference.getType());
              }
            });
    List<DataType> joinedTypes = new ArrayList<>(right.outputTypes());
    joinedTypes.addAll(left.outputTypes());
    Expression residualExpression =
        swapped.isAlwaysTrue() ? null : translator.translate(swapped, joinedTypes);
    HashJoinOperator joined =
        new HashJoinOperator(
            right,
            left,
            rightKeys.stream().mapToInt(Integer::intValue).toArray(),
            leftKeys.stream().mapToInt(Integer::intValue).toArray(),
            nullMatches,
            join.getJoinType() == org.apache.calcite.rel.core.JoinRelType.SEMI
                ? JoinType.RIGHT_SEMI
                : JoinType.RIGHT_ANTI,
            residualExpression,
            context,
            memory);
    for (JoinFilter filter : runtimeFilters) {
      if (joined.publishRuntimeFilter(filter.filter(), filter.probeKey())) {
        describeRuntimeFilter(join, filter.filter());
      }
    }
    String type = join.getJoinType().toString();
    planDetail(
        () -> "hashes the left input (estimated smaller), probes with the right: RIGHT_" + type);
    return joined;
  }

  /**
   * Marks {@code filter} as published by {@code join} (the scan below names its column) and adds
   * the join's lines: the plan's (which probe column it filters, and the kinds its key's type
   * allows: which one is decided when the join is built) and, when the plan runs, what it held (see
   * {@link RuntimeFilter#describe}).
   */
  private void describeRuntimeFilter(Join join, RuntimeFilter filter) {
    if (profile == null) {
      return;
    }
    publishedRuntimeFilters.add(filter);
    ProbeColumn column = runtimeFilterColumns.get(filter);
    String line =
        "RuntimeFilter(join=["
            + join.getJoinType()
            + "], probe column=["
            + column.name()
            + "], min/max and key set from the build side, kind=["
            + RuntimeFilter.possibleKinds(column.type())
            + "]";
    // A scan that reads by key equalities (a point lookup's) takes no predicate, so no filter.
    planDetail(() -> line + (scannedRuntimeFilters.contains(filter) ? ")" : "; no scan tests it)"));
    runDetail(() -> "runtime_filter=" + filter.describe());
  }

  /** A runtime filter's probe column as EXPLAIN names it (db.table.c), and its type. */
  private record ProbeColumn(String name, DataType type) {}

  private void removeRuntimeTargets(List<JoinFilter> runtimeFilters) {
    for (JoinFilter joinFilter : runtimeFilters) {
      runtimeTargets
          .values()
          .removeIf(
              targets ->
                  targets.removeIf(target -> target.filter() == joinFilter.filter())
                      && targets.isEmpty());
    }
  }

  /**
   * A join's condition split into hash keys (left and right input columns; {@code filterNulls}
   * false for {@code IS NOT DISTINCT FROM}) and the other conjuncts.
   */
  private record JoinKeys(
      List<Integer> left,
      List<Integer> right,
      List<Boolean> filterNulls,
      List<RexNode> nonEquiConditions) {}

  /**
   * Splits a join's condition into hash keys and the rest. An OR of conjunctions that share a
   * factor (TPC-H q19: each branch has p_partkey = l_partkey) becomes factor AND (OR of the rest),
   * so that the shared equality is a hash key and the rest a residual, not a nested loop
   * (distributivity holds in SQL's three-valued logic). An equality of two columns under casts that
   * keep their values ({@link #valueKeepingReference}: the {@code CAST(k AS BIGINT) = bk} of an
   * {@code INT IN (SELECT BIGINT ...)} subquery) is a key on the columns themselves: the join
   * compares INT and BIGINT keys, or DECIMALs of one scale, by value.
   */
  private static JoinKeys joinKeys(Join join) {
    List<Integer> leftKeys = new ArrayList<>();
    List<Integer> rightKeys = new ArrayList<>();
    List<Boolean> filterNulls = new ArrayList<>();
    List<RexNode> nonEquiConditions = new ArrayList<>();
    RexNode condition = RexUtil.pullFactors(join.getCluster().getRexBuilder(), join.getCondition());
    RelOptUtil.splitJoinCondition(
        join.getLeft(),
        join.getRight(),
        condition,
        leftKeys,
        rightKeys,
        filterNulls,
        nonEquiConditions);
    int leftWidth = join.getLeft().getRowType().getFieldCount();
    for (java.util.Iterator<RexNode> conjuncts = nonEquiConditions.iterator();
        conjuncts.hasNext(); ) {
      if (conjuncts.next() instanceof org.apache.calcite.rex.RexCall equality
          && equality.getKind() == SqlKind.EQUALS) {
        int first = valueKeepingReference(equality.getOperands().get(0));
        int second = valueKeepingReference(equality.getOperands().get(1));
        if (first >= 0 && second >= 0 && (first < leftWidth) != (second < leftWidth)) {
          leftKeys.add(Math.min(first, second));
          rightKeys.add(Math.max(first, second) - leftWidth);
          filterNulls.add(true);
          conjuncts.remove();
        }
      }
    }
    return new JoinKeys(leftKeys, rightKeys, filterNulls, nonEquiConditions);
  }

  /** A runtime filter a join publishes, for its probe input's column {@code probeKey}. */
  private record JoinFilter(RuntimeFilter filter, int probeKey) {}

  /**
   * For an INNER, SEMI or RIGHT join, registers a runtime filter for each probe-side (left) key
   * that is a plain column of a table scan below projections, filters and grouping keys of
   * aggregates (see {@link RuntimeFilter}); returns them (none when {@code runtime_filter_mode} is
   * OFF). The join publishes each only if its key qualifies at run time (compared with {@code =},
   * of a supported type). With several keys each filter tests its own key (a row whose key is no
   * build row's value of that key cannot match). Below an aggregate (one grouping set, the key a
   * grouping column) a filter drops the input rows of groups the join would drop: the decorrelated
   * form of a correlated subquery (TPC-H q17, q20) aggregates only the groups of the outer rows
   * instead of the whole table. Below a join on the probe side a filter follows the key's column
   * into that join's left input (INNER, LEFT, SEMI, ANTI: each output row keeps its left row's
   * value) or into its right input (INNER): TPC-H q09's lineitem rows are filtered by the green
   * parts before they probe partsupp. The filters are published before the lower join reads either
   * input, because a join builds before it reads its probe side.
   *
   * @param probesRight whether the join probes with its right input (a {@link #hashesLeft} SEMI or
   *     ANTI join, whose probe rows without a matching key change nothing): the filters are then
   *     for scans under the right input, on its keys
   */
  private List<JoinFilter> registerRuntimeFilters(Join join, boolean probesRight) {
    if (!runtimeFilters) {
      return List.of();
    }
    List<JoinFilter> filters = new ArrayList<>();
    for (RuntimeTargetColumn target : runtimeFilterTargets(join, probesRight)) {
      if (common.belowShared(target.scan())) {
        continue;
      }
      RuntimeFilter filter = new RuntimeFilter();
      runtimeTargets
          .computeIfAbsent(target.scan(), key -> new ArrayList<>())
          .add(new RuntimeTarget(target.column(), filter));
      filters.add(new JoinFilter(filter, target.probeKey()));
      if (profile != null) {
        TableDescriptor table = descriptor(target.scan());
        dev.basalt.sql.schema.ColumnDescriptor column = table.columns().get(target.column());
        DataType columnType = CalciteTypes.plannedType(column.type());
        // The build side's key: of another type when the probe key is reached through a widening
        // cast (below the join, or in its condition), which the plan then names.
        JoinKeys keys = joinKeys(join);
        List<Integer> probeKeys = probesRight ? keys.right() : keys.left();
        List<Integer> buildKeys = probesRight ? keys.left() : keys.right();
        RelNode buildInput = probesRight ? join.getLeft() : join.getRight();
        DataType keyType =
            CalciteTypes.toBasalt(
                buildInput
                    .getRowType()
                    .getFieldList()
                    .get(buildKeys.get(probeKeys.indexOf(target.probeKey())))
                    .getType());
        String name = table.database() + "." + table.name() + "." + column.name();
        runtimeFilterColumns.put(
            filter,
            new ProbeColumn(
                keyType.equals(columnType)
                    ? name
                    : "CAST(" + name + " AS " + keyType.sqlName().toUpperCase(Locale.ROOT) + ")",
                columnType));
      }
    }
    return filters;
  }

  /**
   * The probe-side table scan and column a join's runtime filter would filter, for the join's probe
   * input's column {@code probeKey}.
   */
  private record RuntimeTargetColumn(TableScan scan, int column, int probeKey) {}

  /** The targets of a join's runtime filters: one per distinct probe key that reaches a scan. */
  private static List<RuntimeTargetColumn> runtimeFilterTargets(Join join, boolean probesRight) {
    if (!probesRight
        && join.getJoinType() != org.apache.calcite.rel.core.JoinRelType.INNER
        && join.getJoinType() != org.apache.calcite.rel.core.JoinRelType.SEMI
        && join.getJoinType() != org.apache.calcite.rel.core.JoinRelType.RIGHT) {
      return List.of();
    }
    // The keys as the join itself takes them (an IN subquery's CAST(k AS BIGINT) = bk too).
    JoinKeys keys = joinKeys(join);
    List<Integer> probeKeys = probesRight ? keys.right() : keys.left();
    RelNode probeInput = probesRight ? join.getRight() : join.getLeft();
    List<RuntimeTargetColumn> targets = new ArrayList<>();
    for (int probeKey : new java.util.LinkedHashSet<>(probeKeys)) {
      RuntimeTargetColumn target = runtimeFilterTarget(probeInput, probeKey);
      if (target != null) {
        targets.add(target);
      }
    }
    return targets;
  }

  /** Where the column {@code probeKey} of {@code probeInput} comes from a table scan, or null. */
  private static RuntimeTargetColumn runtimeFilterTarget(RelNode probeInput, int probeKey) {
    RelNode node = probeInput;
    int field = probeKey;
    while (true) {
      if (node instanceof Filter below) {
        node = below.getInput();
      } else if (node instanceof Project project
          && valueKeepingReference(project.getProjects().get(field)) >= 0) {
        field = valueKeepingReference(project.getProjects().get(field));
        node = project.getInput();
      } else if (node instanceof Aggregate aggregate
          && aggregate.getGroupType() == Aggregate.Group.SIMPLE
          && field < aggregate.getGroupCount()) {
        field = aggregate.getGroupSet().nth(field);
        node = aggregate.getInput();
      } else if (node instanceof Join below
          && field < below.getLeft().getRowType().getFieldCount()
          && switch (below.getJoinType()) {
            case INNER, LEFT, SEMI, ANTI -> true;
            default -> false;
          }) {
        node = below.getLeft();
      } else if (node instanceof Join below
          && below.getJoinType() == org.apache.calcite.rel.core.JoinRelType.INNER) {
        field -= below.getLeft().getRowType().getFieldCount();
        node = below.getRight();
      } else {
        break;
      }
    }
    if (!(node instanceof TableScan scan) || occurrences(probeInput, scan) != 1) {
      // Calcite shares equal subtrees, and filters are registered by scan node: a scan that also
      // appears elsewhere below the probe side (TPC-H q21's lineitem, also read by an EXISTS and
      // a NOT EXISTS join) would be filtered there too, where the filter does not hold.
      return null;
    }
    return new RuntimeTargetColumn(scan, field, probeKey);
  }

  /**
   * The input column whose values {@code expression} computes unchanged: a column reference, or one
   * under casts that keep every value and its decoded form (an integer to an integer at least as
   * wide, e.g. {@code CAST(int_column AS BIGINT)} where a join compares INT with BIGINT; a DECIMAL
   * to a DECIMAL of the same scale and at least its precision; a type to itself, as a cast that
   * only changes nullability); -1 for other expressions. A runtime filter on the cast's values then
   * tests the column's decoded values, and its min/max are zone-map bounds of that column. Casts
   * that change the representation (INT to DECIMAL or DOUBLE, DATE to DATETIME) and other
   * expressions get no filter: the scan would compute the key for every row it tests.
   */
  private static int valueKeepingReference(RexNode expression) {
    if (expression instanceof RexInputRef reference) {
      return reference.getIndex();
    }
    if (expression.getKind() != SqlKind.CAST
        || !(expression instanceof org.apache.calcite.rex.RexCall cast)) {
      return -1;
    }
    RexNode operand = cast.getOperands().get(0);
    return keepsValues(operand.getType(), cast.getType()) ? valueKeepingReference(operand) : -1;
  }

  /**
   * Whether a cast from {@code from} to {@code to} keeps every value and its decoded form (decided
   * on Calcite's types: a cast to a type Basalt cannot hold is simply not looked through).
   */
  private static boolean keepsValues(
      org.apache.calcite.rel.type.RelDataType from, org.apache.calcite.rel.type.RelDataType to) {
    org.apache.calcite.sql.type.SqlTypeName source = from.getSqlTypeName();
    org.apache.calcite.sql.type.SqlTypeName target = to.getSqlTypeName();
    int sourceBytes = integerBytes(source);
    int targetBytes = integerBytes(target);
    if (sourceBytes > 0 && targetBytes > 0) {
      return sourceBytes <= targetBytes;
    }
    if (source == org.apache.calcite.sql.type.SqlTypeName.DECIMAL && target == source) {
      return to.getScale() == from.getScale() && to.getPrecision() >= from.getPrecision();
    }
    return source == target
        && from.getPrecision() == to.getPrecision()
        && from.getScale() == to.getScale();
  }

  /** The width of an integer type, or 0 for other types. */
  private static int integerBytes(org.apache.calcite.sql.type.SqlTypeName type) {
    return switch (type) {
      case TINYINT -> 1;
      case SMALLINT -> 2;
      case INTEGER -> 4;
      case BIGINT -> 8;
      default -> 0;
    };
  }

  /** How many times {@code target} (the same node) occurs in the tree under {@code node}. */
  private static int occurrences(RelNode node, RelNode target) {
    if (node == target) {
      return 1;
    }
    int count = 0;
    for (RelNode input : node.getInputs()) {
      count += occurrences(input, target);
    }
    return count;
  }

  private static boolean sameKeyType(DataType left, DataType right) {
    if (left.physical() != right.physical()) {
      return false;
    }
    if (left.kind() == dev.basalt.common.type.TypeKind.DECIMAL) {
      return left.scale() == right.scale();
    }
    return left.kind().isTemporal() == right.kind().isTemporal()
        && (!left.kind().isTemporal() || left.kind() == right.kind());
  }

  private Operator window(Window window) {
    Operator input = build(window.getInput());
    int inputWidth = input.outputTypes().size();
    List<Object> constants = new ArrayList<>();
    List<DataType> constantTypes = new ArrayList<>();
    for (RexLiteral constant : window.constants) {
      DataType type = CalciteTypes.toBasalt(constant.getType());
      constantTypes.add(type);
      constants.add(ExpressionTranslator.literalValue(constant, type));
    }
    List<WindowOperator.Group> groups = new ArrayList<>();
    for (Window.Group group : window.groups) {
      List<SortKey> orderKeys = sortKeys(group.orderKeys);
      List<WindowOperator.Call> calls = new ArrayList<>();
      for (Window.RexWinAggCall call : group.aggCalls) {
        List<Integer> arguments = new ArrayList<>();
        List<DataType> argumentTypes = new ArrayList<>();
        for (RexNode operand : call.getOperands()) {
          int index = ((RexInputRef) operand).getIndex();
          arguments.add(index);
          argumentTypes.add(
              index < inputWidth
                  ? input.outputTypes().get(index)
                  : CalciteTypes.toBasalt(operand.getType()));
        }
        DataType type = CalciteTypes.toBasalt(call.getType());
        WindowOperator.FunctionKind kind = windowKind(call.getOperator().getKind());
        AggregateFunction aggregate =
            kind == WindowOperator.FunctionKind.AGGREGATE
                ? aggregate(
                    call.getOperator().getKind(),
                    call.getOperator().getName(),
                    argumentTypes,
                    call.distinct)
                : null;
        calls.add(new WindowOperator.Call(kind, aggregate, arguments, type));
      }
      WindowOperator.Bound lower = bound(group.lowerBound, constants, inputWidth);
      WindowOperator.Bound upper = bound(group.upperBound, constants, inputWidth);
      if (!group.isRows && (hasOffset(lower) || hasOffset(upper))) {
        throw new BasaltException(
            ErrorCode.UNSUPPORTED, "RANGE window frames with an offset (use ROWS)");
      }
      groups.add(
          new WindowOperator.Group(
              group.keys.toArray(), orderKeys, group.isRows, lower, upper, calls));
    }
    return new WindowOperator(input, groups, constants, constantTypes, memory);
  }

  private static WindowOperator.FunctionKind windowKind(SqlKind kind) {
    return switch (kind) {
      case ROW_NUMBER -> WindowOperator.FunctionKind.ROW_NUMBER;
      case RANK -> WindowOperator.FunctionKind.RANK;
      case DENSE_RANK -> WindowOperator.FunctionKind.DENSE_RANK;
      case PERCENT_RANK -> WindowOperator.FunctionKind.PERCENT_RANK;
      case CUME_DIST -> WindowOperator.FunctionKind.CUME_DIST;
      case NTILE -> WindowOperator.FunctionKind.NTILE;
      case LAG -> WindowOperator.FunctionKind.LAG;
      case LEAD -> WindowOperator.FunctionKind.LEAD;
      case FIRST_VALUE -> WindowOperator.FunctionKind.FIRST_VALUE;
      case LAST_VALUE -> WindowOperator.FunctionKind.LAST_VALUE;
      case NTH_VALUE -> WindowOperator.FunctionKind.NTH_VALUE;
      default -> WindowOperator.FunctionKind.AGGREGATE;
    };
  }

  private static boolean hasOffset(WindowOperator.Bound bound) {
    return bound.kind() == WindowOperator.BoundKind.PRECEDING
        || bound.kind() == WindowOperator.BoundKind.FOLLOWING;
  }

  private static WindowOperator.Bound bound(
      RexWindowBound bound, List<Object> constants, int inputWidth) {
    if (bound.isUnbounded()) {
      return bound.isPreceding()
          ? WindowOperator.Bound.UNBOUNDED_PRECEDING
          : WindowOperator.Bound.UNBOUNDED_FOLLOWING;
    }
    if (bound.isCurrentRow()) {
      return WindowOperator.Bound.CURRENT_ROW;
    }
    RexNode offset = bound.getOffset();
    long value;
    if (offset instanceof RexLiteral literal) {
      value = literal.getValueAs(Long.class);
    } else if (offset instanceof RexInputRef reference && reference.getIndex() >= inputWidth) {
      value = ((Number) constants.get(reference.getIndex() - inputWidth)).longValue();
    } else {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "window frame offset " + offset);
    }
    // Frames are computed over int row numbers: a larger offset is an error (docs/sql.md) rather
    // than silently read as UNBOUNDED.
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR,
          "window frame offset "
              + value
              + " is out of range: a ROWS frame offset must be between 0 and "
              + Integer.MAX_VALUE
              + " (use UNBOUNDED PRECEDING or UNBOUNDED FOLLOWING for a frame without a limit)");
    }
    return new WindowOperator.Bound(
        bound.isPreceding()
            ? WindowOperator.BoundKind.PRECEDING
            : WindowOperator.BoundKind.FOLLOWING,
        value);
  }

  private static List<DataType> typesOf(RelNode node) {
    List<DataType> types = new ArrayList<>();
    for (RelDataTypeField field : node.getRowType().getFieldList()) {
      types.add(CalciteTypes.toBasalt(field.getType()));
    }
    return types;
  }
}
