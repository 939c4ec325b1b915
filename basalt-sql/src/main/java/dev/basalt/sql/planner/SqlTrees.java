package dev.basalt.sql.planner;

import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

/** SQL syntax trees the rewriters build ({@link MysqlRewriter} and its helpers). */
final class SqlTrees {
  private SqlTrees() {}

  /** {@code SELECT items FROM from [WHERE where]}; {@code where} may be null. */
  static SqlSelect select(SqlParserPos position, SqlNodeList items, SqlNode from, SqlNode where) {
    return new SqlSelect(
        position, null, items, from, where, null, null, null, null, null, null, null, null);
  }

  /** {@code EXISTS (SELECT 1 FROM from WHERE where)}. */
  static SqlNode exists(SqlParserPos position, SqlNode from, SqlNode where) {
    SqlSelect subquery =
        select(position, SqlNodeList.of(SqlLiteral.createExactNumeric("1", position)), from, where);
    return SqlStdOperatorTable.EXISTS.createCall(position, subquery);
  }
}
