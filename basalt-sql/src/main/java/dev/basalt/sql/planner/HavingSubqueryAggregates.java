package dev.basalt.sql.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * MySQL reads an aggregate written in the WHERE clause of a subquery in HAVING ({@code HAVING
 * EXISTS (SELECT 1 FROM i WHERE i.g = o.g AND i.w > SUM(o.v))}, or {@code COUNT(*) > 1} there) as
 * an aggregate of the outer query, since a WHERE cannot hold one of its own; Calcite refuses it
 * ("Aggregate expression is illegal in WHERE clause"). Such a query is planned as what it means:
 * the grouped query computes its select list, its group keys (under their own names, so the
 * subquery's correlated {@code o.g} still resolves) and every aggregate the HAVING reads, as a
 * derived table named like the query's table; the HAVING becomes a WHERE over that table, with each
 * aggregate replaced by its column.
 *
 * <p>Only the plain shape is rewritten: one table in FROM, GROUP BY of columns (or none), no {@code
 * *}, DISTINCT, window or ORDER BY inside the select. Any other query is left as written (and
 * Calcite's error stands).
 */
final class HavingSubqueryAggregates {
  private HavingSubqueryAggregates() {}

  /** {@code select} rewritten as above when its HAVING needs it, else {@code select} itself. */
  static SqlNode rewrite(SqlSelect select, Predicate<String> aggregateNames) {
    SqlNode having = select.getHaving();
    if (having == null || !hasSubqueryAggregate(having, false, aggregateNames)) {
      return select;
    }
    String table = tableName(select.getFrom());
    if (table == null
        || select.isDistinct()
        || select.getOrderList() != null
        || select.getFetch() != null
        || select.getOffset() != null
        || (select.getWindowList() != null && !select.getWindowList().isEmpty())) {
      return select;
    }
    SqlParserPos position = select.getParserPosition();
    List<SqlNode> innerItems = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (SqlNode item : select.getSelectList()) {
      if (item instanceof SqlIdentifier identifier && identifier.isStar() || containsOver(item)) {
        return select;
      }
      String name;
      SqlNode expression = item;
      if (item.getKind() == SqlKind.AS) {
        expression = ((SqlCall) item).operand(0);
        name = ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
      } else if (item instanceof SqlIdentifier identifier) {
        name = last(identifier);
      } else {
        // Calcite's name for an unaliased expression (the outermost select's items all have
        // labels by now: MysqlRewriter.labelSelectItems).
        name = "EXPR$" + names.size();
      }
      if (containsName(names, name)) {
        return select;
      }
      names.add(name);
      innerItems.add(as(expression, name, position));
    }
    int itemCount = names.size();
    if (select.getGroup() != null) {
      for (SqlNode key : select.getGroup()) {
        if (!(key instanceof SqlIdentifier identifier) || identifier.isStar()) {
          return select;
        }
        String name = last(identifier);
        int existing = indexOf(names, name);
        if (existing >= 0) {
          SqlNode exposed = ((SqlCall) innerItems.get(existing)).operand(0);
          if (!(exposed instanceof SqlIdentifier same && last(same).equalsIgnoreCase(name))) {
            return select;
          }
          continue;
        }
        names.add(name);
        innerItems.add(as(identifier, name, position));
      }
    }
    List<SqlNode> aggregates = new ArrayList<>();
    SqlNode condition =
        having.accept(new AggregateColumns(table, aggregates, false, aggregateNames));
    for (int i = 0; i < aggregates.size(); i++) {
      innerItems.add(as(aggregates.get(i), aggregateName(i), position));
    }
    SqlSelect grouped =
        new SqlSelect(
            position,
            null,
            new SqlNodeList(innerItems, position),
            select.getFrom(),
            select.getWhere(),
            select.getGroup(),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    List<SqlNode> outerItems = new ArrayList<>();
    for (int i = 0; i < itemCount; i++) {
      outerItems.add(
          as(new SqlIdentifier(List.of(table, names.get(i)), position), names.get(i), position));
    }
    return SqlTrees.select(
        position, new SqlNodeList(outerItems, position), as(grouped, table, position), condition);
  }

  /**
   * The ORDER BY of a query rewritten above, with each expression that repeats a select item
   * ({@code ORDER BY SUM(v)}) replaced by that item's column, as the rewritten select no longer
   * aggregates; {@code orderList} itself for any other query.
   */
  static SqlNodeList orderList(SqlNode query, SqlNodeList orderList) {
    if (!(query instanceof SqlSelect outer)
        || outer.getFrom() == null
        || outer.getFrom().getKind() != SqlKind.AS
        || !(((SqlCall) outer.getFrom()).operand(0) instanceof SqlSelect grouped)
        || grouped.getSelectList().stream()
            .noneMatch(item -> name(item).startsWith(AGGREGATE_PREFIX))) {
      return orderList;
    }
    int itemCount = outer.getSelectList().size();
    SqlShuttle columns =
        new SqlShuttle() {
          @Override
          public SqlNode visit(SqlCall call) {
            for (int i = 0; i < itemCount; i++) {
              SqlCall item = (SqlCall) grouped.getSelectList().get(i);
              if (item.operand(0).equalsDeep(call, org.apache.calcite.util.Litmus.IGNORE)) {
                return new SqlIdentifier(name(item), call.getParserPosition());
              }
            }
            return super.visit(call);
          }
        };
    List<SqlNode> items = new ArrayList<>();
    for (SqlNode item : orderList) {
      items.add(item.accept(columns));
    }
    return new SqlNodeList(items, orderList.getParserPosition());
  }

  /** The name an {@code expression AS name} item gives its column ("" for any other item). */
  private static String name(SqlNode item) {
    return item.getKind() == SqlKind.AS
            && ((SqlCall) item).operand(1) instanceof SqlIdentifier alias
            && alias.isSimple()
        ? alias.getSimple()
        : "";
  }

  /** The prefix of the grouped table's aggregate columns, which also marks the rewritten form. */
  private static final String AGGREGATE_PREFIX = "$having";

  private static String aggregateName(int index) {
    return AGGREGATE_PREFIX + index;
  }

  private static SqlNode as(SqlNode expression, String name, SqlParserPos position) {
    return SqlStdOperatorTable.AS.createCall(
        position, expression, new SqlIdentifier(name, SqlParserPos.ZERO));
  }

  private static String last(SqlIdentifier identifier) {
    return identifier.names.get(identifier.names.size() - 1);
  }

  private static int indexOf(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean containsName(List<String> names, String name) {
    return indexOf(names, name) >= 0;
  }

  /** The name a single table in FROM is read under (its alias, else its name), or null. */
  private static String tableName(SqlNode from) {
    if (from instanceof SqlIdentifier identifier && !identifier.isStar()) {
      return last(identifier);
    }
    if (from != null
        && from.getKind() == SqlKind.AS
        && ((SqlCall) from).operandCount() == 2
        && ((SqlCall) from).operand(0) instanceof SqlIdentifier
        && ((SqlCall) from).operand(1) instanceof SqlIdentifier alias) {
      return alias.getSimple();
    }
    return null;
  }

  /** An aggregate call: Calcite's, or a function the registry knows as an aggregate. */
  private static boolean isAggregate(SqlNode node, Predicate<String> aggregateNames) {
    return node instanceof SqlCall call
        && !(call instanceof SqlSelect)
        && call.getKind() != SqlKind.OVER
        && (call.getOperator().isAggregator()
            || call.getOperator() instanceof SqlFunction function
                && aggregateNames.test(function.getName()));
  }

  private static boolean containsOver(SqlNode node) {
    if (node instanceof SqlCall call) {
      if (call.getKind() == SqlKind.OVER) {
        return true;
      }
      for (SqlNode operand : call.getOperandList()) {
        if (operand != null && !(operand instanceof SqlSelect) && containsOver(operand)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether an aggregate sits in the WHERE of a subquery of {@code node} (a subquery directly in
   * the HAVING, not one nested deeper). {@code inWhere}: {@code node} is part of such a WHERE.
   */
  private static boolean hasSubqueryAggregate(
      SqlNode node, boolean inWhere, Predicate<String> aggregateNames) {
    if (node instanceof SqlSelect subquery) {
      return !inWhere
          && subquery.getWhere() != null
          && hasSubqueryAggregate(subquery.getWhere(), true, aggregateNames);
    }
    if (inWhere && isAggregate(node, aggregateNames)) {
      return true;
    }
    if (node instanceof SqlCall call) {
      for (SqlNode operand : call.getOperandList()) {
        if (operand != null && hasSubqueryAggregate(operand, inWhere, aggregateNames)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Replaces each aggregate of the outer query in a HAVING condition (outside subqueries, and in
   * the WHERE of a subquery directly in it) with its column of the grouped derived table,
   * collecting the aggregates in order of first appearance.
   */
  private static final class AggregateColumns extends SqlShuttle {
    private final String table;
    private final List<SqlNode> aggregates;
    private final boolean inSubquery;
    private final Predicate<String> aggregateNames;

    AggregateColumns(
        String table,
        List<SqlNode> aggregates,
        boolean inSubquery,
        Predicate<String> aggregateNames) {
      this.table = table;
      this.aggregates = aggregates;
      this.inSubquery = inSubquery;
      this.aggregateNames = aggregateNames;
    }

    @Override
    public SqlNode visit(SqlCall call) {
      if (call instanceof SqlSelect subquery) {
        if (!inSubquery && subquery.getWhere() != null) {
          subquery.setWhere(
              subquery
                  .getWhere()
                  .accept(new AggregateColumns(table, aggregates, true, aggregateNames)));
        }
        return subquery;
      }
      if (isAggregate(call, aggregateNames)) {
        int index = -1;
        for (int i = 0; i < aggregates.size(); i++) {
          if (aggregates.get(i).equalsDeep(call, org.apache.calcite.util.Litmus.IGNORE)) {
            index = i;
          }
        }
        if (index < 0) {
          index = aggregates.size();
          aggregates.add(call);
        }
        return new SqlIdentifier(List.of(table, aggregateName(index)), call.getParserPosition());
      }
      return super.visit(call);
    }
  }
}
