package dev.basalt.sql.planner;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Rewrites {@code a NOT IN (SELECT b FROM ... WHERE correlated)} in a WHERE clause, where only AND
 * and OR lie above it, to {@code NOT EXISTS (SELECT 1 FROM ... WHERE correlated AND (b = a OR a IS
 * NULL OR b IS NULL))}. Calcite's decorrelation of a correlated NOT IN joins its row counts back on
 * the correlation columns with {@code =}, so an outer row whose correlation value is NULL finds no
 * count and is dropped although its subquery is empty and NOT IN is TRUE (a row missing under a
 * LEFT JOIN or an OR, a row too many with a NOT EXISTS inside). Where only AND and OR lie above the
 * predicate, FALSE and NULL both reject the row, so the NOT EXISTS form, which is FALSE where NOT
 * IN is NULL, filters alike; Calcite decorrelates NOT EXISTS correctly.
 *
 * <p>Only subqueries with one plain select item, no grouping, DISTINCT, ORDER BY or LIMIT, whose
 * WHERE refers to an outer table by a qualified name, and only when {@code a} is made of qualified
 * outer columns and literals (so that it cannot be captured by the subquery's own tables). A
 * subquery correlated only by equalities of an outer and an inner column is left as it is: {@link
 * MarkJoins} plans it as a null-aware anti join hashed on the correlation and compared columns
 * (here the comparison would be a residual, tested against every row of the correlation's group),
 * as it does every uncorrelated NOT IN.
 */
final class CorrelatedNotIn {
  private CorrelatedNotIn() {}

  /** {@code condition} with each eligible NOT IN rewritten; {@code null} stays {@code null}. */
  static SqlNode rewrite(SqlNode condition) {
    if (!(condition instanceof SqlCall call)) {
      return condition;
    }
    if (call.getKind() == SqlKind.AND || call.getKind() == SqlKind.OR) {
      for (int i = 0; i < call.operandCount(); i++) {
        call.setOperand(i, rewrite(call.operand(i)));
      }
      return call;
    }
    if (call.getKind() == SqlKind.NOT_IN
        && call.operandCount() == 2
        && call.operand(1) instanceof SqlSelect subquery) {
      SqlNode rewritten = notExists(call.operand(0), subquery, call.getParserPosition());
      return rewritten == null ? call : rewritten;
    }
    return call;
  }

  private static SqlNode notExists(SqlNode outer, SqlSelect subquery, SqlParserPos position) {
    if (subquery.getSelectList().size() != 1
        || subquery.getWhere() == null
        || subquery.getGroup() != null
        || subquery.getHaving() != null
        || subquery.isDistinct()
        || subquery.getOrderList() != null && !subquery.getOrderList().isEmpty()
        || subquery.getFetch() != null
        || subquery.getOffset() != null
        || subquery.getFrom() == null) {
      return null;
    }
    SqlNode item = subquery.getSelectList().get(0);
    if (item.getKind() == SqlKind.AS) {
      item = ((SqlCall) item).operand(0);
    }
    if (containsAggregateOrSubquery(item)) {
      return null;
    }
    Set<String> inner = new HashSet<>();
    if (!collectAliases(subquery.getFrom(), inner)
        || !onlyOuterColumns(outer, inner)
        || !refersOutside(subquery.getWhere(), inner)
        || correlatedByColumnEqualitiesOnly(subquery.getWhere(), inner)) {
      return null;
    }
    SqlNode matches =
        or(
            SqlStdOperatorTable.EQUALS.createCall(position, item, outer),
            SqlStdOperatorTable.IS_NULL.createCall(position, outer),
            SqlStdOperatorTable.IS_NULL.createCall(position, item));
    return SqlStdOperatorTable.NOT.createCall(
        position,
        SqlTrees.exists(
            position,
            subquery.getFrom(),
            SqlStdOperatorTable.AND.createCall(position, subquery.getWhere(), matches)));
  }

  private static SqlNode or(SqlNode first, SqlNode second, SqlNode third) {
    SqlParserPos position = first.getParserPosition();
    return SqlStdOperatorTable.OR.createCall(
        position, SqlStdOperatorTable.OR.createCall(position, first, second), third);
  }

  /** The aliases (or table names) the FROM clause defines; false for shapes not understood. */
  private static boolean collectAliases(SqlNode from, Set<String> aliases) {
    if (from instanceof SqlJoin join) {
      return collectAliases(join.getLeft(), aliases) && collectAliases(join.getRight(), aliases);
    }
    if (from.getKind() == SqlKind.AS) {
      SqlCall as = (SqlCall) from;
      aliases.add(as.operand(1).toString().toLowerCase(Locale.ROOT));
      return true;
    }
    if (from instanceof SqlIdentifier table) {
      aliases.add(table.names.get(table.names.size() - 1).toLowerCase(Locale.ROOT));
      return true;
    }
    return false;
  }

  /** Whether every column in {@code expression} is qualified by an alias outside {@code inner}. */
  private static boolean onlyOuterColumns(SqlNode expression, Set<String> inner) {
    boolean[] ok = {true};
    expression.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlIdentifier identifier) {
            if (identifier.names.size() < 2
                || inner.contains(identifier.names.get(0).toLowerCase(Locale.ROOT))) {
              ok[0] = false;
            }
            return null;
          }

          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect) {
              ok[0] = false;
              return null;
            }
            return super.visit(call);
          }
        });
    return ok[0];
  }

  /**
   * Whether each conjunct of {@code condition} that names an outer column is {@code outer column =
   * inner column} (either way round): the plain correlation {@link MarkJoins} hashes on.
   */
  private static boolean correlatedByColumnEqualitiesOnly(SqlNode condition, Set<String> inner) {
    if (condition.getKind() == SqlKind.AND) {
      for (SqlNode operand : ((SqlCall) condition).getOperandList()) {
        if (!correlatedByColumnEqualitiesOnly(operand, inner)) {
          return false;
        }
      }
      return true;
    }
    if (!refersOutside(condition, inner)) {
      return true;
    }
    if (condition.getKind() != SqlKind.EQUALS) {
      return false;
    }
    SqlCall equality = (SqlCall) condition;
    return equality.operand(0) instanceof SqlIdentifier first
        && equality.operand(1) instanceof SqlIdentifier second
        && refersOutside(first, inner) != refersOutside(second, inner)
        && (first.names.size() >= 2 && second.names.size() >= 2);
  }

  /** Whether {@code condition} names a column qualified by an alias outside {@code inner}. */
  private static boolean refersOutside(SqlNode condition, Set<String> inner) {
    boolean[] found = {false};
    condition.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlIdentifier identifier) {
            if (identifier.names.size() >= 2
                && !inner.contains(identifier.names.get(0).toLowerCase(Locale.ROOT))) {
              found[0] = true;
            }
            return null;
          }
        });
    return found[0];
  }

  private static boolean containsAggregateOrSubquery(SqlNode item) {
    boolean[] found = {false};
    item.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect || call.getOperator().isAggregator()) {
              found[0] = true;
              return null;
            }
            return super.visit(call);
          }
        });
    return found[0];
  }
}
