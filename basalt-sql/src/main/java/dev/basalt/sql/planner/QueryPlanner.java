package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.ResultColumn;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.sql.cost.CostModel;
import dev.basalt.sql.cost.JoinOrder;
import dev.basalt.sql.schema.CalciteSchemas;
import dev.basalt.sql.schema.SchemaProvider;
import dev.basalt.sql.schema.ViewDescriptor;
import dev.basalt.sql.type.BasaltTypeFactory;
import dev.basalt.sql.type.BasaltTypeSystem;
import dev.basalt.sql.type.CalciteTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlSubstringFunction;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Plans a query with Apache Calcite: parse (MySQL/Doris dialect), rewrite MySQL-isms, validate
 * against the catalog, convert to relational algebra, remove subqueries, decorrelate, and apply a
 * fixed set of logical rewrites. The result is executed by Basalt's own operators (see {@link
 * OperatorBuilder}), never by Calcite's runtime.
 *
 * <p>Thread safe: each call builds its own Calcite objects.
 */
public final class QueryPlanner {
  /**
   * Calcite's convertlets, except for two calls that stay plain calls:
   *
   * <ul>
   *   <li>{@code SUBSTRING}: under MySQL semantics Calcite wraps its start in a CASE over {@code
   *       CHAR_LENGTH} for negative starts, which Basalt's {@code substring} already handles as
   *       MySQL does; the CASE cost every row a second pass over the string (TPC-H q22's {@code
   *       substring(c_phone, 1, 2)}).
   *   <li>{@code AVG} (reached only in a window, {@code AVG(x) OVER (...)}; grouped aggregates do
   *       not pass through convertlets): Calcite would expand it into {@code CAST(SUM(x) OVER w /
   *       COUNT(x) OVER w AS type)}, whose SUM fails beyond the argument's DECIMAL(38, s) and whose
   *       CAST to DECIMAL(38, max(s, 4)) turned an average of more than 34 integer digits into
   *       NULL. The window operator computes AVG itself, with the grouped AVG's type and rounding
   *       (issue 14).
   * </ul>
   */
  private static final SqlRexConvertletTable CONVERTLETS =
      call -> {
        if (call.getOperator() instanceof SqlSubstringFunction) {
          return (context, substring) ->
              StandardConvertletTable.INSTANCE.convertFunction(
                  context, (SqlFunction) substring.getOperator(), substring);
        }
        if (call.getOperator().getKind() == SqlKind.AVG) {
          return (context, average) ->
              StandardConvertletTable.INSTANCE.convertAggregateFunction(
                  context, (SqlAggFunction) average.getOperator(), average);
        }
        return StandardConvertletTable.INSTANCE.get(call);
      };

  /** A Calcite executor that reduces nothing: every expression stays as written. */
  private static final org.apache.calcite.rex.RexExecutor NO_CONSTANT_FOLDING =
      (rexBuilder, constantExpressions, reducedValues) -> reducedValues.addAll(constantExpressions);

  static {
    // Calcite's literals default to ISO-8859-1; MySQL clients send UTF-8 text of any script.
    // These properties are read when Calcite's classes initialise, so set them first.
    System.setProperty("calcite.default.charset", "UTF-8");
    System.setProperty("calcite.default.nationalcharset", "UTF-8");
    System.setProperty("calcite.default.collation.name", "UTF-8$en_US");
  }

  private final FunctionRegistry registry;
  private final SqlOperatorTable operatorTable;
  private final BasaltArithmetic arithmetic;

  public QueryPlanner(FunctionRegistry registry) {
    this.registry = registry;
    this.arithmetic = new BasaltArithmetic(registry);
    this.operatorTable =
        SqlOperatorTables.chain(
            BasaltOperatorTable.standardOperators(),
            SqlOperatorTables.of(SqlLibraryOperators.GROUP_CONCAT),
            new BasaltOperatorTable(registry));
  }

  public FunctionRegistry registry() {
    return registry;
  }

  /**
   * Plans one query statement.
   *
   * @param sql the query text (SELECT, WITH, VALUES ...)
   * @param schema the tables visible to the statement
   * @param currentDatabase the session's database, or {@code null}
   * @param variables resolves {@code @@system} and {@code @user} variables
   */
  public PlannedQuery plan(
      String sql, SchemaProvider schema, String currentDatabase, VariableResolver variables) {
    SqlText text = SqlText.substituteVariables(sql);
    SqlNode parsed = SqlDialectParser.parse(text.sql());
    SqlNode rewritten = new MysqlRewriter(arithmetic, registry, text, variables).rewriteTop(parsed);
    return planParsed(rewritten, text, schema, currentDatabase, variables);
  }

  /**
   * Whether a query text refers to a user or system variable (a view's query may not: 1351, as in
   * MySQL).
   */
  public static boolean hasVariables(String sql) {
    return SqlText.substituteVariables(sql).hasVariables();
  }

  private static CalciteCatalogReader catalogReader(
      CalciteSchema root, String database, JavaTypeFactory typeFactory) {
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    CalciteConnectionConfig config = new CalciteConnectionConfigImpl(properties);
    List<String> defaultPath = database == null ? List.of() : List.of(database);
    return new CalciteCatalogReader(root, defaultPath, typeFactory, config);
  }

  private SqlValidator validator(CalciteCatalogReader catalogReader, JavaTypeFactory typeFactory) {
    return SqlValidatorUtil.newValidator(
        operatorTable,
        catalogReader,
        typeFactory,
        SqlValidator.Config.DEFAULT
            .withConformance(SqlDialectParser.CONFORMANCE)
            .withDefaultNullCollation(NullCollation.LOW)
            .withIdentifierExpansion(true)
            .withCallRewrite(true));
  }

  private PlannedQuery planParsed(
      SqlNode node,
      SqlText text,
      SchemaProvider schema,
      String currentDatabase,
      VariableResolver variables) {
    JavaTypeFactory typeFactory = new BasaltTypeFactory(BasaltTypeSystem.INSTANCE);
    ViewExpansion views = new ViewExpansion(schema, typeFactory, variables);
    CalciteSchema root = CalciteSchemas.root(schema, text.partitionReferences(), views, List.of());
    CalciteCatalogReader catalogReader = catalogReader(root, currentDatabase, typeFactory);
    SqlValidator validator = validator(catalogReader, typeFactory);
    StarLabels starLabels = StarLabels.of(node);
    SqlNode validated;
    try {
      validated = validator.validate(node);
    } catch (BasaltException e) {
      throw e;
    } catch (RuntimeException e) {
      throw PlanningErrors.translate(e, text, currentDatabase);
    }
    RelDataType rowType = validator.getValidatedNodeType(validated);
    List<List<String>> origins = validator.getFieldOrigins(validated);

    HepPlanner conversionPlanner = new HepPlanner(HepProgram.builder().build());
    // Calcite folds constant expressions with its own evaluator (millisecond timestamps, Java
    // arithmetic); Basalt's operators evaluate them with MySQL's rules instead.
    conversionPlanner.setExecutor(NO_CONSTANT_FOLDING);
    RexBuilder rexBuilder = new RexBuilder(typeFactory);
    RelOptCluster cluster = RelOptCluster.create(conversionPlanner, rexBuilder);
    cluster.setMetadataProvider(CostModel.PROVIDER);
    views.cluster = cluster;
    SqlToRelConverter converter =
        new SqlToRelConverter(views, validator, catalogReader, cluster, CONVERTLETS, CONVERSION);
    RelRoot relRoot;
    try {
      relRoot = converter.convertQuery(validated, false, true);
    } catch (BasaltException e) {
      throw e;
    } catch (RuntimeException e) {
      throw PlanningErrors.translate(e, text, currentDatabase);
    }
    RelNode plan = relRoot.project();
    SketchColumnRules.check(plan);
    RelBuilder relBuilder = RelFactories.LOGICAL_BUILDER.create(cluster, catalogReader);
    plan = optimize(plan, relBuilder);

    List<ResultColumn> columns = new ArrayList<>();
    List<RelDataTypeField> fields = rowType.getFieldList();
    for (int i = 0; i < fields.size(); i++) {
      RelDataTypeField field = fields.get(i);
      List<String> origin = origins == null ? null : origins.get(i);
      // [catalog,] database, table, column
      int depth = origin == null ? 0 : origin.size();
      String database = depth >= 3 ? origin.get(depth - 3) : "";
      String table = depth >= 3 ? origin.get(depth - 2) : "";
      String column = depth >= 3 ? origin.get(depth - 1) : "";
      columns.add(
          new ResultColumn(
              text.restoreVariables(starLabels.label(field.getName(), column)),
              resultType(plan.getRowType().getFieldList().get(i).getType()),
              field.getType().isNullable(),
              database,
              table,
              column));
    }
    return new PlannedQuery(plan, columns);
  }

  private SqlToRelConverter converter(
      RelOptTable.ViewExpander views,
      SqlValidator validator,
      CalciteCatalogReader catalogReader,
      RelOptCluster cluster) {
    return new SqlToRelConverter(
        views, validator, catalogReader, cluster, StandardConvertletTable.INSTANCE, CONVERSION);
  }

  /**
   * The views one plan reads: types each view by validating its stored query in the view's own
   * database, and expands each reference to a view into that query's relational expression, made
   * over a schema whose tables are marked with the views they are read through (so the privilege
   * check asks the caller for SELECT on the outermost view, and each view's definer for SELECT on
   * what its query reads: views run with their definer's rights, docs/security.md). A view that
   * cannot be planned (a table or column dropped since, a cycle of views) fails the query with
   * 1356, as in MySQL. Not thread safe; one per plan.
   */
  private final class ViewExpansion implements RelOptTable.ViewExpander, CalciteSchemas.ViewTyper {
    private final SchemaProvider schema;
    private final JavaTypeFactory typeFactory;
    private final VariableResolver variables;
    private final java.util.ArrayDeque<ViewDescriptor> expanding = new java.util.ArrayDeque<>();
    private final java.util.Set<String> typing = new java.util.HashSet<>();
    RelOptCluster cluster;

    ViewExpansion(SchemaProvider schema, JavaTypeFactory typeFactory, VariableResolver variables) {
      this.schema = schema;
      this.typeFactory = typeFactory;
      this.variables = variables;
    }

    private static String key(ViewDescriptor view) {
      return view.database() + "." + view.name();
    }

    private SqlNode parse(ViewDescriptor view, SqlText text) {
      if (text.hasVariables()) {
        throw new BasaltException(ErrorCode.VIEW_SELECT_VARIABLE);
      }
      return new MysqlRewriter(arithmetic, registry, text, variables)
          .rewriteTop(SqlDialectParser.parse(text.sql()));
    }

    @Override
    public RelDataType rowType(ViewDescriptor view, RelDataTypeFactory factory) {
      if (!typing.add(key(view))) {
        throw new BasaltException(ErrorCode.VIEW_INVALID, key(view));
      }
      try {
        SqlText text = SqlText.substituteVariables(view.definition());
        CalciteSchema root =
            CalciteSchemas.root(schema, text.partitionReferences(), this, List.of());
        SqlValidator validator =
            validator(catalogReader(root, view.queryDatabase(), typeFactory), typeFactory);
        RelDataType type = validator.getValidatedNodeType(validator.validate(parse(view, text)));
        return named(view, type);
      } catch (BasaltException e) {
        throw invalid(view, e);
      } catch (RuntimeException e) {
        throw new BasaltException(e, ErrorCode.VIEW_INVALID, key(view));
      } finally {
        typing.remove(key(view));
      }
    }

    /** {@code type} with the view's declared column names, when it has them. */
    private RelDataType named(ViewDescriptor view, RelDataType type) {
      if (view.columnNames().isEmpty()) {
        return type;
      }
      if (view.columnNames().size() != type.getFieldCount()) {
        throw new BasaltException(ErrorCode.VIEW_COLUMN_COUNT);
      }
      RelDataTypeFactory.Builder builder = typeFactory.builder();
      for (int i = 0; i < type.getFieldCount(); i++) {
        builder.add(view.columnNames().get(i), type.getFieldList().get(i).getType());
      }
      return builder.build();
    }

    private static BasaltException invalid(ViewDescriptor view, BasaltException cause) {
      return switch (cause.code()) {
        case VIEW_INVALID, VIEW_SELECT_VARIABLE, VIEW_COLUMN_COUNT -> cause;
        default -> new BasaltException(cause, ErrorCode.VIEW_INVALID, key(view));
      };
    }

    @Override
    public RelRoot expandView(
        RelDataType rowType, String queryString, List<String> schemaPath, List<String> viewPath) {
      ViewDescriptor view =
          schema.views(viewPath.get(0)).stream()
              .filter(v -> v.name().equals(viewPath.get(1)))
              .findFirst()
              .orElseThrow(
                  () -> new BasaltException(ErrorCode.VIEW_INVALID, String.join(".", viewPath)));
      if (expanding.stream().anyMatch(v -> key(v).equals(key(view)))) {
        throw new BasaltException(ErrorCode.VIEW_INVALID, key(view));
      }
      // The views this one is read through, outermost first, then this one: its tables are read
      // with the rights of each view's definer in turn (AccessControl.checkRead).
      List<ViewDescriptor> readThrough = new ArrayList<>();
      expanding.descendingIterator().forEachRemaining(readThrough::add);
      readThrough.add(view);
      expanding.push(view);
      try {
        SqlText text = SqlText.substituteVariables(queryString);
        CalciteSchema root =
            CalciteSchemas.root(schema, text.partitionReferences(), this, readThrough);
        CalciteCatalogReader reader = catalogReader(root, view.queryDatabase(), typeFactory);
        SqlValidator validator = validator(reader, typeFactory);
        SqlNode validated = validator.validate(parse(view, text));
        return converter(this, validator, reader, cluster).convertQuery(validated, false, true);
      } catch (BasaltException e) {
        throw invalid(view, e);
      } catch (RuntimeException e) {
        throw new BasaltException(e, ErrorCode.VIEW_INVALID, key(view));
      } finally {
        expanding.pop();
      }
    }
  }

  /**
   * What the top SELECT's list held before validation expanded it: whether it has a {@code *} (or
   * {@code t.*}), and the aliases written in it. Calcite makes the names of a star's columns unique
   * ({@code SELECT * FROM a JOIN b USING (id)} gives {@code id, name, name0}); MySQL and Doris
   * label each column with its own name ({@code id, name, name}), as clients and GUI tools expect.
   */
  private record StarLabels(boolean star, java.util.Set<String> aliases) {
    static StarLabels of(SqlNode node) {
      SqlNode query =
          node instanceof org.apache.calcite.sql.SqlOrderBy orderBy ? orderBy.query : node;
      if (!(query instanceof org.apache.calcite.sql.SqlSelect select)
          || select.getSelectList() == null) {
        return new StarLabels(false, java.util.Set.of());
      }
      boolean star = false;
      java.util.Set<String> aliases = new java.util.HashSet<>();
      for (SqlNode item : select.getSelectList()) {
        if (item instanceof org.apache.calcite.sql.SqlIdentifier identifier
            && identifier.isStar()) {
          star = true;
        } else if (item.getKind() == org.apache.calcite.sql.SqlKind.AS
            && ((org.apache.calcite.sql.SqlCall) item).operand(1)
                instanceof org.apache.calcite.sql.SqlIdentifier alias) {
          aliases.add(alias.getSimple().toLowerCase(java.util.Locale.ROOT));
        }
      }
      return new StarLabels(star, aliases);
    }

    /**
     * The label of a result column named {@code field} whose values come from table column {@code
     * origin} ("" when none): the column's own name where a star's expansion suffixed it with
     * digits to make it unique, else {@code field}.
     */
    String label(String field, String origin) {
      if (!star
          || origin.isEmpty()
          || field.length() <= origin.length()
          || !field.regionMatches(true, 0, origin, 0, origin.length())
          || aliases.contains(field.toLowerCase(java.util.Locale.ROOT))) {
        return field;
      }
      for (int i = origin.length(); i < field.length(); i++) {
        if (!Character.isDigit(field.charAt(i))) {
          return field;
        }
      }
      return field.substring(0, origin.length());
    }
  }

  /** A column's type as clients see it: DECIMAL(39, 0) only ever holds LARGEINT values. */
  private static DataType resultType(RelDataType type) {
    DataType planned = CalciteTypes.toBasalt(type);
    boolean largeInt =
        planned.kind() == TypeKind.DECIMAL
            && planned.precision() == CalciteTypes.LARGEINT_PRECISION
            && planned.scale() == 0;
    return largeInt ? DataType.LARGEINT : planned;
  }

  /**
   * How queries become plans: subqueries kept as expressions (removed by the rules of {@link
   * #optimize}), IN lists kept as IN. A projection is never merged into the one below while the
   * plan is built (bloat -1): Calcite's builder, merging a select list whose IN (subquery) compares
   * a derived table's window function, kept the merged expression over the unmerged input, so the
   * window read the wrong columns. The logical rules merge projections later.
   */
  private static final SqlToRelConverter.Config CONVERSION =
      SqlToRelConverter.config()
          .withTrimUnusedFields(false)
          .withExpand(false)
          .withInSubQueryThreshold(Integer.MAX_VALUE)
          .addRelBuilderConfigTransform(builder -> builder.withBloat(-1));

  private static RelNode optimize(RelNode plan, RelBuilder relBuilder) {
    // Correlated [NOT] EXISTS of the plain shape become SEMI / ANTI joins before Calcite's
    // subquery rules would decorrelate them through aggregates.
    plan = ExistsJoins.rewrite(plan);
    // IN / EXISTS whose NULL answer matters (NOT IN, select lists, OR) become mark joins.
    plan = MarkJoins.rewrite(plan);
    HepProgram subqueries =
        new HepProgramBuilder()
            .addRuleInstance(CoreRules.FILTER_SUB_QUERY_TO_CORRELATE)
            .addRuleInstance(CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE)
            .addRuleInstance(CoreRules.JOIN_SUB_QUERY_TO_CORRELATE)
            .build();
    // Window functions become Window nodes before any subquery is removed: the decorrelator
    // rewrites projections as plain expressions, and one holding a window function can come out
    // computing it again over other rows.
    plan = SubqueryDecorrelation.computeWindowsBeforeSubqueries(plan);
    HepProgram windows =
        new HepProgramBuilder()
            .addRuleInstance(CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW)
            .build();
    plan = run(windows, plan);
    plan = run(subqueries, plan);
    // A subquery nested in a correlated one is left in place by the first pass (the rules see the
    // outer subquery's plan only once it is a join input); later passes convert it.
    for (int pass = 0; pass < 3 && SubqueryDecorrelation.holdsSubquery(plan); pass++) {
      SubqueryDecorrelation.refuseNegatedNestedSubqueries(plan);
      plan = run(subqueries, plan);
    }
    plan = SubqueryDecorrelation.decorrelate(plan, relBuilder);
    // The decorrelator writes a Window it rebuilds back as a projection of window functions.
    plan = run(windows, plan);
    SubqueryDecorrelation.requirePlannable(plan);
    // Common factors of ORs over joins, each join input's and each table's part of ORs (traced
    // through the joins): implied predicates only, which the pushdown below moves to the scans.
    plan = DisjunctionPredicates.derive(plan);
    HepProgram logical =
        new HepProgramBuilder()
            .addMatchOrder(HepMatchOrder.BOTTOM_UP)
            .addRuleInstance(CoreRules.FILTER_INTO_JOIN)
            .addRuleInstance(CoreRules.JOIN_CONDITION_PUSH)
            // A filter over a view or derived table moves down to the filter and scan below it.
            .addRuleInstance(CoreRules.FILTER_PROJECT_TRANSPOSE)
            .addRuleInstance(CoreRules.FILTER_MERGE)
            .addRuleInstance(CoreRules.PROJECT_MERGE)
            .addRuleInstance(CoreRules.PROJECT_REMOVE)
            .build();
    plan = run(logical, plan);
    RelNode reordered = JoinOrder.reorder(plan, QueryPlanner::run);
    if (reordered != plan) {
      plan = run(logical, reordered);
    }
    // Drop the columns no operator uses, so scans read only those (a Project right above each
    // scan).
    plan = new ColumnTrimmer(relBuilder).trim(plan);
    return MarkJoins.nullAwareAntiJoins(plan);
  }

  private static RelNode run(HepProgram program, RelNode plan) {
    HepPlanner planner = new HepPlanner(program);
    planner.setExecutor(NO_CONSTANT_FOLDING);
    planner.setRoot(plan);
    return planner.findBestExp();
  }
}
