package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.util.Set;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CharLiteralStyle;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * Calcite's Babel parser configured for the MySQL/Doris dialect: backtick identifiers,
 * case-insensitive names, single- and double-quoted strings with backslash escapes, {@code LIMIT m,
 * n}, {@code %} as modulo, {@code !=}, GROUP BY aliases and ordinals.
 */
final class SqlDialectParser {
  /** MySQL 5 conformance with Babel's liberal extras. */
  static final SqlConformance CONFORMANCE =
      new SqlDelegatingConformance(SqlConformanceEnum.MYSQL_5) {
        @Override
        public boolean isLiberal() {
          return true;
        }

        @Override
        public boolean allowNiladicParentheses() {
          return true;
        }

        /** Doris accepts {@code MINUS} as a synonym of {@code EXCEPT}. */
        @Override
        public boolean isMinusAllowed() {
          return true;
        }
      };

  private static final SqlParser.Config CONFIG =
      SqlParser.config()
          .withParserFactory(SqlBabelParserImpl.FACTORY)
          .withQuoting(Quoting.BACK_TICK)
          .withUnquotedCasing(Casing.UNCHANGED)
          .withQuotedCasing(Casing.UNCHANGED)
          .withCaseSensitive(false)
          .withCharLiteralStyles(Set.of(CharLiteralStyle.STANDARD))
          .withConformance(CONFORMANCE)
          .withIdentifierMaxLength(256);

  private SqlDialectParser() {}

  static SqlNode parse(String sql) {
    try {
      return SqlParser.create(sql, CONFIG).parseStmt();
    } catch (SqlParseException e) {
      throw PlanningErrors.syntaxError(e, sql);
    }
  }

  static BasaltException unsupported(String what) {
    return new BasaltException(ErrorCode.UNSUPPORTED, what);
  }
}
