package dev.basalt.sql.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Query text with MySQL variables ({@code @@version}, {@code @@session.sql_mode}, {@code @x})
 * replaced by placeholder identifiers that Calcite's parser accepts. {@link MysqlRewriter} turns
 * the placeholders into literals; {@link #restoreVariables} puts the original spelling back into
 * column labels, so {@code SELECT @@version_comment} is labelled {@code @@version_comment} as in
 * MySQL.
 */
final class SqlText {
  static final String SYSTEM_PREFIX = "__basalt_sysvar_";
  static final String USER_PREFIX = "__basalt_uservar_";

  /** One variable reference found in the text. */
  record Variable(String placeholder, String original, String name, boolean system, boolean global) {}

  private final String sql;
  private final List<Variable> variables;

  private SqlText(String sql, List<Variable> variables) {
    this.sql = sql;
    this.variables = List.copyOf(variables);
  }

  String sql() {
    return sql;
  }

  Variable variable(String placeholder) {
    for (Variable variable : variables) {
      if (variable.placeholder().equalsIgnoreCase(placeholder)) {
        return variable;
      }
    }
    return null;
  }

  /** {@code text} with every placeholder replaced by the variable as originally written. */
  String restoreVariables(String text) {
    String result = text;
    for (Variable variable : variables) {
      int index;
      while ((index = result.toLowerCase(Locale.ROOT).indexOf(variable.placeholder())) >= 0) {
        result = result.substring(0, index) + variable.original() + result.substring(index + variable.placeholder().length());
      }
    }
    return result;
  }

  static SqlText substituteVariables(String sql) {
    if (sql.indexOf('@') < 0) {
      return new SqlText(sql, List.of());
    }
    StringBuilder out = new StringBuilder(sql.length());
    List<Variable> variables = new ArrayList<>();
    int i = 0;
    int length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = skipQuoted(sql, i, c);
        out.append(sql, i, end);
        i = end;
      } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-' || c == '#') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? length : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? length : end + 2;
        out.append(sql, i, end);
        i = end;
      } else if (c == '@') {
        boolean system = i + 1 < length && sql.charAt(i + 1) == '@';
        int start = i + (system ? 2 : 1);
        boolean global = false;
        String lower = sql.substring(start).toLowerCase(Locale.ROOT);
        int nameStart = start;
        if (system) {
          for (String scope : new String[] {"session.", "global.", "local."}) {
            if (lower.startsWith(scope)) {
              global = scope.equals("global.");
              nameStart = start + scope.length();
              break;
            }
          }
        }
        int nameEnd = nameStart;
        if (!system && nameEnd < length && sql.charAt(nameEnd) == '`') {
          nameEnd = skipQuoted(sql, nameEnd, '`');
        } else {
          while (nameEnd < length && (Character.isLetterOrDigit(sql.charAt(nameEnd)) || sql.charAt(nameEnd) == '_' || sql.charAt(nameEnd) == '$')) {
            nameEnd++;
          }
        }
        if (nameEnd == nameStart) {
          out.append(c);
          i++;
          continue;
        }
        String name = sql.substring(nameStart, nameEnd).replace("`", "").toLowerCase(Locale.ROOT);
        String placeholder = (system ? SYSTEM_PREFIX : USER_PREFIX) + variables.size();
        variables.add(new Variable(placeholder, sql.substring(i, nameEnd), name, system, global));
        out.append(placeholder);
        i = nameEnd;
      } else {
        out.append(c);
        i++;
      }
    }
    return new SqlText(out.toString(), variables);
  }

  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
        continue;
      }
      if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }
}
