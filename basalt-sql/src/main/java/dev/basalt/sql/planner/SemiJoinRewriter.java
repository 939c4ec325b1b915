package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Doris's {@code L LEFT SEMI JOIN R ON p} and {@code L LEFT ANTI JOIN R ON p} (and their RIGHT
 * forms, which {@link SqlText} turns into LEFT ones with the operands swapped) become what Calcite
 * plans: {@code L} filtered by {@code [NOT] EXISTS (SELECT 1 FROM R WHERE p)}. The filter only
 * reads {@code L}'s columns, so it is applied where it means the same: in the select's WHERE when
 * {@code L} is a preserved side all the way up, or in the ON of the nearest outer join that could
 * add NULL rows for {@code L} (there it keeps {@code L}'s failing rows from matching). Only {@code
 * L}'s columns are visible afterwards, as in Doris.
 */
final class SemiJoinRewriter {
  private SemiJoinRewriter() {}

  /** Whether {@code from} holds a semi or anti join anywhere in its join tree. */
  static boolean contains(SqlNode from) {
    if (!(from instanceof SqlJoin join)) {
      return false;
    }
    return isSemiOrAnti(join.getJoinType())
        || contains(join.getLeft())
        || contains(join.getRight());
  }

  /** Rewrites the semi and anti joins of {@code select}'s FROM clause in place. */
  static SqlSelect rewrite(SqlSelect select) {
    List<SqlNode> filters = new ArrayList<>();
    select.setFrom(rewrite(select.getFrom(), filters));
    select.setWhere(and(select.getWhere(), filters, select.getParserPosition()));
    return select;
  }

  /**
   * @param filters receives the filters that must hold for the rows {@code node} produces and could
   *     not be placed inside it
   * @return {@code node} without semi or anti joins
   */
  private static SqlNode rewrite(SqlNode node, List<SqlNode> filters) {
    if (!(node instanceof SqlJoin join)) {
      return node;
    }
    List<SqlNode> leftFilters = new ArrayList<>();
    List<SqlNode> rightFilters = new ArrayList<>();
    SqlNode left = rewrite(join.getLeft(), leftFilters);
    SqlNode right = rewrite(join.getRight(), rightFilters);
    JoinType type = join.getJoinType();
    SqlParserPos position = join.getParserPosition();
    if (isSemiOrAnti(type)) {
      if (join.getConditionType() != JoinConditionType.ON || join.isNatural()) {
        throw new BasaltException(
            ErrorCode.UNSUPPORTED, "SEMI and ANTI JOIN without ON (write ON a.col = b.col)");
      }
      SqlNode test =
          SqlTrees.exists(position, right, and(join.getCondition(), rightFilters, position));
      filters.addAll(leftFilters);
      filters.add(
          type == JoinType.LEFT_ANTI_JOIN
              ? SqlStdOperatorTable.NOT.createCall(position, test)
              : test);
      return left;
    }
    join.setLeft(left);
    join.setRight(right);
    // A side's filters move up when that side keeps all its rows in this join (they then mean
    // the same above it); on a side this join pads with NULLs they go into the ON condition.
    boolean leftPreserved = type != JoinType.RIGHT && type != JoinType.FULL;
    boolean rightPreserved = type != JoinType.LEFT && type != JoinType.FULL;
    List<SqlNode> intoCondition = new ArrayList<>();
    (leftPreserved ? filters : intoCondition).addAll(leftFilters);
    (rightPreserved ? filters : intoCondition).addAll(rightFilters);
    if (!intoCondition.isEmpty()) {
      if (type == JoinType.FULL || join.getConditionType() != JoinConditionType.ON) {
        throw new BasaltException(
            ErrorCode.UNSUPPORTED,
            "a SEMI or ANTI JOIN inside a FULL JOIN or an outer join without ON");
      }
      join.setOperand(5, and(join.getCondition(), intoCondition, position));
    }
    return join;
  }

  private static boolean isSemiOrAnti(JoinType type) {
    return type == JoinType.LEFT_SEMI_JOIN || type == JoinType.LEFT_ANTI_JOIN;
  }

  private static SqlNode and(SqlNode first, List<SqlNode> more, SqlParserPos position) {
    SqlNode result = first;
    for (SqlNode condition : more) {
      result =
          result == null
              ? condition
              : SqlStdOperatorTable.AND.createCall(position, result, condition);
    }
    return result;
  }
}
