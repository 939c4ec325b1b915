package dev.basalt.sql.parser;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.ColumnPosition;
import dev.basalt.meta.catalog.DefaultValue;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.sql.parser.Token.TokenType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A hand-written recursive-descent parser for Doris's DDL, SHOW, SET, user, INSERT and session
 * statements. Queries are recognised ({@code SELECT}, {@code WITH}, {@code VALUES}, {@code (}) and
 * returned as text for the Calcite-based planner, as are the sources of INSERT, CTAS and EXPLAIN.
 *
 * <p>Keywords are case-insensitive; identifiers may be backticked. Leading comments and trailing
 * semicolons are tolerated. Errors are {@code BasaltException(SYNTAX_ERROR)} (1064) ending in
 * {@code near '<token>' at line L, column C}; a recognised but unsupported construct is {@code
 * UNSUPPORTED}; invalid type parameters are {@code INVALID_DDL}. One instance parses one statement;
 * use {@link #parse}, which is thread safe.
 */
public final class DorisParser {
  private static final Set<String> UNSUPPORTED_TYPES =
      Set.of(
          "JSON",
          "JSONB",
          "VARIANT",
          "ARRAY",
          "MAP",
          "STRUCT",
          "AGG_STATE",
          "IPV4",
          "IPV6",
          "TIME",
          "TIMESTAMPTZ",
          "TIMESTAMP");

  private final String text;
  private final List<Token> tokens;
  private int index;

  /** The condition of the SHOW statement being parsed ({@code SHOW ... WHERE c}), or null. */
  private String showWhere;

  private DorisParser(String text) {
    this.text = text;
    this.tokens = Lexer.tokenizeStatement(text);
  }

  /** Parses one statement (a trailing {@code ;} is allowed). */
  public static Statement parse(String statement) {
    return new DorisParser(statement).statement();
  }

  // ---------------------------------------------------------------- token helpers

  private Token peek() {
    return tokens.get(index);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(index + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token token = tokens.get(index);
    if (token.type() != TokenType.END) {
      index++;
    }
    return token;
  }

  private boolean atWord(String... words) {
    for (String word : words) {
      if (peek().isWord(word)) {
        return true;
      }
    }
    return false;
  }

  private boolean acceptWord(String word) {
    if (peek().isWord(word)) {
      index++;
      return true;
    }
    return false;
  }

  /** Accepts a sequence of words only if all of them follow. */
  private boolean acceptWords(String... words) {
    for (int i = 0; i < words.length; i++) {
      if (!peek(i).isWord(words[i])) {
        return false;
      }
    }
    index += words.length;
    return true;
  }

  private void expectWord(String word) {
    if (!acceptWord(word)) {
      throw error("expected " + word);
    }
  }

  private boolean acceptSymbol(String symbol) {
    if (peek().isSymbol(symbol)) {
      index++;
      return true;
    }
    return false;
  }

  private void expectSymbol(String symbol) {
    if (!acceptSymbol(symbol)) {
      throw error("expected '" + symbol + "'");
    }
  }

  private BasaltException error(String message) {
    return errorAt(peek(), message);
  }

  private BasaltException errorAt(Token token, String message) {
    String near = token.type() == TokenType.END ? "" : text.substring(token.start(), token.end());
    return new BasaltException(
        ErrorCode.SYNTAX_ERROR,
        message + " near '" + near + "' at line " + token.line() + ", column " + token.column());
  }

  private String identifier() {
    Token token = peek();
    if (token.type() == TokenType.WORD || token.type() == TokenType.QUOTED_IDENTIFIER) {
      index++;
      return token.value();
    }
    throw error("expected an identifier");
  }

  /** An identifier or a quoted string (labels, partition names, user names). */
  private String name() {
    if (peek().type() == TokenType.STRING) {
      return next().value();
    }
    return identifier();
  }

  private TableName tableName() {
    String first = identifier();
    if (acceptSymbol(".")) {
      return new TableName(first, identifier());
    }
    return new TableName(null, first);
  }

  private String string() {
    Token token = peek();
    if (token.type() != TokenType.STRING) {
      throw error("expected a quoted string");
    }
    index++;
    return token.value();
  }

  private long integer() {
    Token token = peek();
    if (token.type() != TokenType.NUMBER) {
      throw error("expected a number");
    }
    try {
      long value = Long.parseLong(token.value());
      index++;
      return value;
    } catch (NumberFormatException e) {
      throw error("expected an integer");
    }
  }

  private int smallInteger() {
    Token token = peek();
    long value = integer();
    if (value > Integer.MAX_VALUE) {
      throw errorAt(token, "number too large");
    }
    return (int) value;
  }

  private List<String> identifierList() {
    expectSymbol("(");
    List<String> names = new ArrayList<>();
    do {
      names.add(identifier());
    } while (acceptSymbol(","));
    expectSymbol(")");
    return names;
  }

  /** The text from {@code from} to the end of the statement, without trailing semicolons. */
  private String restFrom(Token from) {
    int end = tokens.get(tokens.size() - 1).start();
    int last = tokens.size() - 2;
    while (last >= 0 && tokens.get(last).isSymbol(";")) {
      end = tokens.get(last).start();
      last--;
    }
    if (last >= 0) {
      end = tokens.get(last).end();
    }
    return text.substring(from.start(), Math.max(from.start(), end));
  }

  private void expectEnd() {
    while (acceptSymbol(";")) {
      // trailing semicolons are allowed
    }
    if (peek().type() != TokenType.END) {
      throw error("unexpected input");
    }
  }

  private <T extends Statement> T end(T statement) {
    expectEnd();
    return statement;
  }

  // ---------------------------------------------------------------- statements

  private Statement statement() {
    Token first = peek();
    if (first.type() == TokenType.END) {
      throw error("empty statement");
    }
    if (first.isSymbol("(") || atWord("SELECT", "WITH", "VALUES", "TABLE")) {
      return new Statement.QueryStatement(restFrom(first));
    }
    if (first.type() != TokenType.WORD) {
      throw error("unexpected input");
    }
    String keyword = first.upper();
    return switch (keyword) {
      case "CREATE" -> create();
      case "DROP" -> drop();
      case "USE" -> use();
      case "TRUNCATE" -> truncate();
      case "ALTER" -> alter();
      case "RENAME" -> renameTable();
      case "SHOW" -> show();
      case "DESC", "DESCRIBE" -> describe();
      case "EXPLAIN" -> explain();
      case "SET" -> set();
      case "GRANT", "REVOKE" -> grant();
      case "INSERT" -> insert();
      case "DELETE" -> delete();
      case "UPDATE" -> update();
      case "KILL" -> kill();
      case "BEGIN", "START", "COMMIT", "ROLLBACK" -> transaction();
      case "SYNC" -> {
        next();
        yield end(new Statement.Sync());
      }
      case "LOCK", "UNLOCK" -> lockTables();
      case "ADMIN" -> admin();
      case "ANALYZE" -> analyze();
      case "LOAD" -> loadData();
      default -> throw error("unknown statement");
    };
  }

  /**
   * {@code ANALYZE TABLE [db.]t [(column, ...)] [WITH SYNC] [WITH SAMPLE PERCENT n | ROWS n]}: see
   * {@link Statement.Analyze}. Basalt always analyzes every row, synchronously, so {@code WITH
   * SYNC} and {@code WITH SAMPLE} are accepted and change nothing.
   */
  private Statement analyze() {
    expectWord("ANALYZE");
    expectWord("TABLE");
    TableName table = tableName();
    List<String> columns = peek().isSymbol("(") ? identifierList() : List.of();
    while (acceptWord("WITH")) {
      if (acceptWord("SAMPLE")) {
        if (!acceptWord("PERCENT")) {
          expectWord("ROWS");
        }
        integer();
      } else if (!acceptWord("SYNC") && !acceptWord("FULL")) {
        throw error("expected SYNC, FULL or SAMPLE after WITH");
      }
    }
    return end(new Statement.Analyze(table, columns));
  }

  /** {@code LOAD DATA LOCAL INFILE ...}; see {@link Statement.LoadData}. */
  private Statement loadData() {
    expectWord("LOAD");
    expectWord("DATA");
    if (!acceptWord("LOCAL")) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED,
          "LOAD DATA INFILE without LOCAL (the server reads no files of its own; use LOAD DATA"
              + " LOCAL INFILE or Stream Load)");
    }
    expectWord("INFILE");
    String fileName = string();
    if (!acceptWord("REPLACE")) {
      acceptWord("IGNORE");
    }
    expectWord("INTO");
    expectWord("TABLE");
    TableName table = tableName();
    if (acceptWords("CHARACTER", "SET") || acceptWord("CHARSET")) {
      name();
    }
    String fieldsTerminatedBy = null;
    String enclosedBy = null;
    String escapedBy = null;
    String linesTerminatedBy = null;
    if (acceptWord("FIELDS") || acceptWord("COLUMNS")) {
      while (true) {
        if (acceptWords("TERMINATED", "BY")) {
          fieldsTerminatedBy = string();
        } else if (acceptWords("OPTIONALLY", "ENCLOSED", "BY") || acceptWords("ENCLOSED", "BY")) {
          enclosedBy = string();
        } else if (acceptWords("ESCAPED", "BY")) {
          escapedBy = string();
        } else {
          break;
        }
      }
    }
    String linesStartingBy = null;
    if (acceptWord("LINES")) {
      boolean any = false;
      while (true) {
        if (acceptWords("STARTING", "BY")) {
          linesStartingBy = string();
        } else if (acceptWords("TERMINATED", "BY")) {
          linesTerminatedBy = string();
        } else {
          break;
        }
        any = true;
      }
      if (!any) {
        throw error("expected STARTING BY or TERMINATED BY after LINES");
      }
    }
    long ignoreLines = 0;
    if (acceptWord("IGNORE")) {
      ignoreLines = integer();
      if (!acceptWord("LINES")) {
        expectWord("ROWS");
      }
    }
    List<String> fields = null;
    if (acceptSymbol("(")) {
      fields = new ArrayList<>();
      do {
        Token token = peek();
        if (token.type() == TokenType.USER_VARIABLE) {
          next();
          fields.add(token.value());
        } else {
          fields.add(identifier());
        }
      } while (acceptSymbol(","));
      expectSymbol(")");
    }
    Map<String, String> setExpressions = new LinkedHashMap<>();
    if (acceptWord("SET")) {
      do {
        String column = identifier();
        expectSymbol("=");
        // A @variable of the field list is a source field: written as its (quoted) name.
        setExpressions.put(
            column, expressionText().replaceAll("@([A-Za-z_][A-Za-z0-9_]*)", "`$1`"));
      } while (acceptSymbol(","));
    }
    return end(
        new Statement.LoadData(
            fileName,
            table,
            fieldsTerminatedBy,
            enclosedBy,
            escapedBy,
            linesStartingBy,
            linesTerminatedBy,
            ignoreLines,
            fields == null ? null : List.copyOf(fields),
            setExpressions));
  }

  private Statement create() {
    expectWord("CREATE");
    if (acceptWord("DATABASE") || acceptWord("SCHEMA")) {
      boolean ifNotExists = acceptWords("IF", "NOT", "EXISTS");
      String name = identifier();
      Map<String, String> properties = atWord("PROPERTIES") ? properties() : Map.of();
      return end(new Statement.CreateDatabase(name, ifNotExists, properties));
    }
    if (atWord("TABLE")) {
      return createTable();
    }
    if (acceptWord("USER")) {
      boolean ifNotExists = acceptWords("IF", "NOT", "EXISTS");
      UserIdentity user = userIdentity();
      PasswordClause identified =
          acceptWord("IDENTIFIED") ? identifiedClause() : new PasswordClause(null, false, null);
      if (acceptWords("DEFAULT", "ROLE")) {
        name();
      }
      return end(
          new Statement.CreateUser(
              user, ifNotExists, identified.password(), identified.hashed(), identified.plugin()));
    }
    if (acceptWord("ROLE")) {
      boolean ifNotExists = acceptWords("IF", "NOT", "EXISTS");
      return end(new Statement.CreateRole(name(), ifNotExists));
    }
    if (atWord("UNIQUE") && peek(1).isWord("INDEX")) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED,
          "CREATE UNIQUE INDEX (Doris keeps rows unique with the table model: UNIQUE KEY(columns)"
              + " in CREATE TABLE)");
    }
    if (acceptWord("INDEX")) {
      acceptWords("IF", "NOT", "EXISTS");
      String name = identifier();
      expectWord("ON");
      TableName table = tableName();
      List<String> columns = indexColumnList();
      String using = "";
      if (acceptWord("USING")) {
        using = identifier().toUpperCase(Locale.ROOT);
      }
      if (atWord("PROPERTIES")) {
        properties();
      }
      if (acceptWord("COMMENT")) {
        string();
      }
      return end(new Statement.CreateIndex(table, name, columns, using));
    }
    if (atWord("OR") && peek(1).isWord("REPLACE")
        || atWord("VIEW", "ALGORITHM", "DEFINER")
        || atWord("SQL") && peek(1).isWord("SECURITY")) {
      boolean orReplace = acceptWords("OR", "REPLACE");
      return createView(orReplace, false);
    }
    if (atWord(
        "EXTERNAL",
        "MATERIALIZED",
        "FUNCTION",
        "CATALOG",
        "REPOSITORY",
        "RESOURCE",
        "STORAGE",
        "WORKLOAD",
        "ROUTINE",
        "TEMPORARY",
        "OR")) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "CREATE " + peek().upper());
    }
    throw error("expected DATABASE, TABLE, USER or ROLE");
  }

  /**
   * {@code [ALGORITHM = ...] [DEFINER = user] [SQL SECURITY {DEFINER | INVOKER}] VIEW [IF NOT
   * EXISTS] [db.]v [(col, ...)] [COMMENT '...'] AS query [WITH [CASCADED | LOCAL] CHECK OPTION]}
   * after CREATE [OR REPLACE] or ALTER. MySQL's ALGORITHM, DEFINER and SQL SECURITY clauses (which
   * mysqldump writes) are accepted; every view runs with the definer's rights, so {@code SQL
   * SECURITY INVOKER} is refused (docs/sql.md).
   */
  private Statement createView(boolean orReplace, boolean alter) {
    if (acceptWord("ALGORITHM")) {
      expectSymbol("=");
      identifier();
    }
    if (acceptWord("DEFINER")) {
      expectSymbol("=");
      // 'user'@'host', `user`@`%`, CURRENT_USER or CURRENT_USER(): kept as the catalog's definer
      // is the creating user.
      while (!atWord("SQL", "VIEW") && peek().type() != TokenType.END) {
        next();
      }
    }
    if (acceptWords("SQL", "SECURITY")) {
      if (acceptWord("INVOKER")) {
        // Views read with their definer's rights; one that promised the caller's rights would
        // hand out more than its creator meant, so it is refused rather than read as DEFINER.
        throw new BasaltException(ErrorCode.UNSUPPORTED, "SQL SECURITY INVOKER views");
      }
      if (!acceptWord("DEFINER")) {
        throw error("expected DEFINER or INVOKER");
      }
    }
    expectWord("VIEW");
    boolean ifNotExists = !alter && acceptWords("IF", "NOT", "EXISTS");
    TableName view = tableName();
    List<String> columns = List.of();
    if (peek().isSymbol("(")) {
      columns = identifierList();
    }
    String comment = "";
    if (acceptWord("COMMENT")) {
      comment = string();
    }
    expectWord("AS");
    Token query = peek();
    if (!isQueryStart(query) && !query.isSymbol("(")) {
      throw error("expected a query after AS");
    }
    String queryText = restFrom(query);
    String upper = queryText.toUpperCase(Locale.ROOT);
    if (upper.matches("(?s).*\\bWITH\\s+(CASCADED\\s+|LOCAL\\s+)?CHECK\\s+OPTION\\s*$")) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED, "WITH CHECK OPTION (views are not insertable-into)");
    }
    return new Statement.CreateView(
        view, ifNotExists, orReplace, alter, columns, comment, queryText, query.start());
  }

  private Statement createTable() {
    expectWord("TABLE");
    boolean ifNotExists = acceptWords("IF", "NOT", "EXISTS");
    TableName table = tableName();
    if (acceptWord("LIKE")) {
      return end(new Statement.CreateTableLike(table, ifNotExists, tableName()));
    }
    List<ColumnDefinition> columns = new ArrayList<>();
    List<IndexDefinition> indexes = new ArrayList<>();
    List<String> columnNames = new ArrayList<>();
    List<String> primaryKey = new ArrayList<>();
    if (peek().isSymbol("(") && !isQueryStart(peek(1))) {
      boolean namesOnly = peek(2).isSymbol(",") || peek(2).isSymbol(")");
      next();
      do {
        if (peek().isSymbol(")") && !(columns.isEmpty() && columnNames.isEmpty())) {
          // A trailing comma before ')', which Doris accepts.
          break;
        }
        if (namesOnly) {
          columnNames.add(identifier());
        } else if (atWord("INDEX")) {
          indexes.add(indexDefinition());
        } else if (atMysqlTableConstraint()) {
          mysqlTableConstraint(primaryKey, indexes);
        } else {
          columns.add(columnDefinition());
          if (columnPrimaryKey) {
            primaryKey.add(columns.get(columns.size() - 1).name());
          }
        }
      } while (acceptSymbol(","));
      expectSymbol(")");
    }
    KeysClause keys = null;
    String comment = null;
    PartitionClause partitioning = null;
    DistributionClause distribution = null;
    Map<String, String> properties = Map.of();
    while (true) {
      if (acceptWord("ENGINE")) {
        acceptSymbol("=");
        Token engine = peek();
        String name = identifier();
        if (!name.equalsIgnoreCase("OLAP")
            && !MYSQL_ENGINES.contains(name.toUpperCase(Locale.ROOT))) {
          throw new BasaltException(
              ErrorCode.UNSUPPORTED, "ENGINE=" + name + " (only OLAP tables)");
        }
        if (engine.type() == TokenType.END) {
          throw error("expected an engine name");
        }
      } else if (atMysqlTableOption()) {
        skipMysqlTableOption();
      } else if (atWord("DUPLICATE", "AGGREGATE", "UNIQUE") && peek(1).isWord("KEY")) {
        KeysType type =
            switch (next().upper()) {
              case "DUPLICATE" -> KeysType.DUP_KEYS;
              case "AGGREGATE" -> KeysType.AGG_KEYS;
              default -> KeysType.UNIQUE_KEYS;
            };
        expectWord("KEY");
        keys = new KeysClause(type, identifierList());
      } else if (acceptWord("COMMENT")) {
        acceptSymbol("=");
        comment = string();
      } else if (atWord("AUTO") && peek(1).isWord("PARTITION")) {
        next();
        partitioning = autoPartitionClause();
      } else if (atWord("PARTITION")) {
        partitioning = partitionClause();
      } else if (atWord("DISTRIBUTED")) {
        distribution = distributionClause();
      } else if (atWord("PROPERTIES")) {
        properties = properties();
      } else if (atWord("ROLLUP", "CLUSTER")) {
        throw new BasaltException(ErrorCode.UNSUPPORTED, peek().upper() + " in CREATE TABLE");
      } else if (atWord("AS")) {
        next();
        Token query = peek();
        if (!isQueryStart(query)) {
          throw error("expected a query after AS");
        }
        String queryText = restFrom(query);
        return new Statement.CreateTableAsSelect(
            table,
            ifNotExists,
            columnNames,
            keys,
            comment,
            partitioning,
            distribution,
            properties,
            queryText,
            query.start());
      } else {
        break;
      }
    }
    if (!columnNames.isEmpty() || columns.isEmpty()) {
      throw error(
          columns.isEmpty() && columnNames.isEmpty()
              ? "expected a column list, LIKE or AS"
              : "expected AS and a query");
    }
    if (!primaryKey.isEmpty()) {
      keys = primaryKeyAsUniqueKey(primaryKey, keys, columns);
    }
    return end(
        new Statement.CreateTable(
            table,
            ifNotExists,
            columns,
            indexes,
            keys,
            comment,
            partitioning,
            distribution,
            properties));
  }

  /** MySQL storage engines whose tables are created as Basalt (OLAP) tables: dumps load as is. */
  private static final Set<String> MYSQL_ENGINES = Set.of("INNODB", "MYISAM", "ARIA", "MEMORY");

  /** Whether the column definition just parsed had MySQL's inline {@code PRIMARY KEY}. */
  private boolean columnPrimaryKey;

  /**
   * MySQL's {@code PRIMARY KEY (a, b)} maps to Doris's UNIQUE KEY model (rows with equal keys
   * replace each other, the newest wins), whose key columns must lead the column list.
   */
  private static KeysClause primaryKeyAsUniqueKey(
      List<String> primaryKey, KeysClause keys, List<ColumnDefinition> columns) {
    if (keys != null) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "PRIMARY KEY cannot be combined with "
              + keys.type().name().replace("_KEYS", "").replace("DUP", "DUPLICATE")
              + " KEY; a Doris table has one key: write UNIQUE KEY("
              + String.join(", ", primaryKey)
              + ") instead of PRIMARY KEY");
    }
    for (int i = 0; i < primaryKey.size(); i++) {
      if (i >= columns.size() || !columns.get(i).name().equalsIgnoreCase(primaryKey.get(i))) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "PRIMARY KEY ("
                + String.join(", ", primaryKey)
                + ") becomes Doris's UNIQUE KEY("
                + String.join(", ", primaryKey)
                + "), whose columns must be the first columns of the table, in that order; move"
                + " them to the front of the column list");
      }
    }
    return new KeysClause(KeysType.UNIQUE_KEYS, List.copyOf(primaryKey));
  }

  /** At a MySQL table-level key or constraint inside CREATE TABLE's column list. */
  private boolean atMysqlTableConstraint() {
    if (atWord("PRIMARY", "CONSTRAINT", "FOREIGN", "FULLTEXT", "SPATIAL")) {
      return true;
    }
    if (atWord("UNIQUE")) {
      return true;
    }
    // KEY name (cols) and KEY (cols); a column named `key` is backticked or followed by a type.
    return atWord("KEY")
        && (peek(1).isSymbol("(") || (isName(peek(1)) && peek(2).isSymbol("(")))
        && !isTypeName(peek(1));
  }

  private static boolean isName(Token token) {
    return token.type() == TokenType.WORD || token.type() == TokenType.QUOTED_IDENTIFIER;
  }

  private static boolean isTypeName(Token token) {
    return token.type() == TokenType.WORD
        && Set.of(
                "BOOLEAN",
                "BOOL",
                "TINYINT",
                "SMALLINT",
                "INT",
                "INTEGER",
                "BIGINT",
                "LARGEINT",
                "FLOAT",
                "DOUBLE",
                "REAL",
                "DECIMAL",
                "DECIMALV3",
                "DECIMALV2",
                "NUMERIC",
                "DATE",
                "DATEV2",
                "DATETIME",
                "DATETIMEV2",
                "CHAR",
                "CHARACTER",
                "VARCHAR",
                "STRING",
                "TEXT",
                "BITMAP",
                "HLL",
                "QUANTILE_STATE")
            .contains(token.upper());
  }

  /**
   * {@code PRIMARY KEY (cols)} is collected into {@code primaryKey}; MySQL's secondary {@code KEY
   * name (cols)} becomes an index definition (Basalt builds no secondary indexes; docs/sql.md);
   * unique and foreign keys and full-text indexes have no Doris form and are refused, naming what
   * to write instead.
   */
  private void mysqlTableConstraint(List<String> primaryKey, List<IndexDefinition> indexes) {
    Token start = peek();
    if (acceptWord("CONSTRAINT")) {
      if (!atWord("PRIMARY", "UNIQUE", "FOREIGN", "CHECK")) {
        identifier();
      }
    }
    if (acceptWord("PRIMARY")) {
      expectWord("KEY");
      if (!primaryKey.isEmpty()) {
        throw errorAt(start, "multiple primary keys defined");
      }
      primaryKey.addAll(indexColumnList());
      skipIndexOptions();
      return;
    }
    if (atWord("UNIQUE")) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED,
          "UNIQUE indexes (Doris keeps rows unique with the table model: write UNIQUE KEY(columns)"
              + " after the column list, or PRIMARY KEY(columns))");
    }
    if (atWord("FOREIGN", "CHECK")) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED, peek().upper() + " constraints (Doris has none; remove them)");
    }
    if (atWord("FULLTEXT", "SPATIAL")) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED,
          peek().upper() + " indexes (Doris's form is INDEX name (column) USING INVERTED)");
    }
    expectWord("KEY");
    String name = isName(peek()) ? identifier() : "";
    List<String> columns = indexColumnList();
    skipIndexOptions();
    indexes.add(new IndexDefinition(name, columns, "", Map.of(), ""));
  }

  /** {@code (a, b(10) DESC, ...)}: column names; prefix lengths and directions are dropped. */
  private List<String> indexColumnList() {
    expectSymbol("(");
    List<String> columns = new ArrayList<>();
    do {
      columns.add(identifier());
      if (acceptSymbol("(")) {
        integer();
        expectSymbol(")");
      }
      if (!acceptWord("ASC")) {
        acceptWord("DESC");
      }
    } while (acceptSymbol(","));
    expectSymbol(")");
    return columns;
  }

  /** MySQL index options: {@code USING BTREE|HASH}, {@code COMMENT '...'}, KEY_BLOCK_SIZE. */
  private void skipIndexOptions() {
    while (true) {
      if (acceptWord("USING")) {
        identifier();
      } else if (acceptWord("COMMENT")) {
        string();
      } else if (acceptWord("KEY_BLOCK_SIZE")) {
        acceptSymbol("=");
        integer();
      } else if (!acceptWord("VISIBLE") && !acceptWord("INVISIBLE")) {
        return;
      }
    }
  }

  /**
   * MySQL table options that mysqldump and ORMs write after the column list and that change nothing
   * in Basalt: {@code [DEFAULT] CHARSET|CHARACTER SET = x}, {@code [DEFAULT] COLLATE = x}, {@code
   * AUTO_INCREMENT = n}, {@code ROW_FORMAT = x}.
   */
  private boolean atMysqlTableOption() {
    if (atWord("DEFAULT")) {
      return peek(1).isWord("CHARSET") || peek(1).isWord("CHARACTER") || peek(1).isWord("COLLATE");
    }
    return atWord("CHARSET", "COLLATE", "AUTO_INCREMENT", "ROW_FORMAT")
        || (atWord("CHARACTER") && peek(1).isWord("SET"));
  }

  private void skipMysqlTableOption() {
    acceptWord("DEFAULT");
    if (acceptWord("CHARACTER")) {
      expectWord("SET");
    } else {
      next();
    }
    acceptSymbol("=");
    next();
  }

  private static boolean isQueryStart(Token token) {
    return token.isWord("SELECT")
        || token.isWord("WITH")
        || token.isWord("VALUES")
        || token.isSymbol("(");
  }

  private IndexDefinition indexDefinition() {
    expectWord("INDEX");
    acceptWords("IF", "NOT", "EXISTS");
    // MySQL's INDEX (cols) may leave out the name and give a prefix length, INDEX (v(10)); as its
    // KEY form, it is kept as an index definition with the prefix dropped.
    String name = peek().isSymbol("(") ? "" : identifier();
    List<String> columns = indexColumnList();
    String using = "";
    if (acceptWord("USING")) {
      using = identifier().toUpperCase(Locale.ROOT);
    }
    Map<String, String> properties = atWord("PROPERTIES") ? properties() : Map.of();
    String comment = acceptWord("COMMENT") ? string() : "";
    return new IndexDefinition(name, columns, using, properties, comment);
  }

  private ColumnDefinition columnDefinition() {
    String name = identifier();
    DataType type = dataType();
    boolean key = false;
    AggregationType aggregation = AggregationType.NONE;
    Boolean nullable = null;
    boolean autoIncrement = false;
    long autoIncrementStart = 1;
    DefaultValue defaultValue = DefaultValue.NONE;
    String comment = "";
    columnPrimaryKey = false;
    while (true) {
      Token token = peek();
      if (acceptWord("KEY")) {
        key = true;
      } else if (acceptWord("PRIMARY")) {
        expectWord("KEY");
        columnPrimaryKey = true;
      } else if (atWord("UNIQUE")) {
        throw new BasaltException(
            ErrorCode.UNSUPPORTED,
            "UNIQUE on a column (Doris keeps rows unique with the table model: write UNIQUE"
                + " KEY(columns) after the column list, or PRIMARY KEY)");
      } else if (acceptWord("CHARACTER")) {
        // MySQL column character sets and collations (dumps, ORMs): Basalt's text is UTF-8.
        expectWord("SET");
        identifier();
      } else if (acceptWord("CHARSET") || acceptWord("COLLATE")) {
        identifier();
      } else if (token.type() == TokenType.WORD && isAggregationName(token.upper())) {
        next();
        aggregation = AggregationType.valueOf(token.upper());
      } else if (atWord("GENERIC")) {
        throw new BasaltException(ErrorCode.UNSUPPORTED, "aggregation type GENERIC");
      } else if (acceptWords("NOT", "NULL")) {
        nullable = Boolean.FALSE;
      } else if (acceptWord("NULL")) {
        nullable = Boolean.TRUE;
      } else if (acceptWord("AUTO_INCREMENT")) {
        autoIncrement = true;
        if (acceptSymbol("(")) {
          autoIncrementStart = integer();
          expectSymbol(")");
        }
      } else if (acceptWord("DEFAULT")) {
        defaultValue = defaultValue();
      } else if (acceptWord("COMMENT")) {
        comment = string();
      } else if (atWord("ON") && peek(1).isWord("UPDATE")) {
        throw new BasaltException(ErrorCode.UNSUPPORTED, "ON UPDATE CURRENT_TIMESTAMP");
      } else {
        break;
      }
    }
    return new ColumnDefinition(
        name,
        type,
        key,
        aggregation,
        nullable,
        autoIncrement,
        autoIncrementStart,
        defaultValue,
        comment);
  }

  private static boolean isAggregationName(String word) {
    return switch (word) {
      case "SUM",
          "MIN",
          "MAX",
          "REPLACE",
          "REPLACE_IF_NOT_NULL",
          "HLL_UNION",
          "BITMAP_UNION",
          "QUANTILE_UNION" ->
          true;
      default -> false;
    };
  }

  private DefaultValue defaultValue() {
    Token token = peek();
    if (token.type() == TokenType.STRING) {
      next();
      return DefaultValue.literal(token.value());
    }
    if (acceptWord("NULL")) {
      return DefaultValue.NULL;
    }
    if (acceptWord("CURRENT_TIMESTAMP") || acceptWord("NOW")) {
      int precision = 0;
      if (acceptSymbol("(")) {
        if (!peek().isSymbol(")")) {
          precision = smallInteger();
        }
        expectSymbol(")");
      }
      return DefaultValue.currentTimestamp(precision);
    }
    boolean negative = acceptSymbol("-");
    if (peek().type() == TokenType.NUMBER) {
      return DefaultValue.literal((negative ? "-" : "") + next().value());
    }
    if (!negative && (atWord("TRUE") || atWord("FALSE"))) {
      return DefaultValue.literal(next().value().toLowerCase(Locale.ROOT));
    }
    throw error("expected a default value");
  }

  /** A column type, validated against Doris's limits. */
  DataType dataType() {
    Token token = peek();
    if (token.type() != TokenType.WORD) {
      throw error("expected a data type");
    }
    String name = token.upper();
    if (name.equals("TIME") || name.equals("TIMEV2")) {
      // As in Doris, TIME exists in expressions only (CAST(x AS TIME(6)), TIMEDIFF, TIME(x)).
      throw new BasaltException(
          ErrorCode.UNSUPPORTED,
          "TIME columns (Doris has TIME in expressions only: store DATETIME(6), or the time as"
              + " VARCHAR, or its microseconds as BIGINT)");
    }
    if (UNSUPPORTED_TYPES.contains(name)) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "data type " + name);
    }
    next();
    List<Integer> arguments = new ArrayList<>();
    if (peek().isSymbol("(")) {
      next();
      do {
        arguments.add(smallInteger());
      } while (acceptSymbol(","));
      expectSymbol(")");
    }
    DataType type =
        switch (name) {
          case "BOOLEAN", "BOOL" -> noArguments(token, arguments, DataType.BOOLEAN);
          case "TINYINT" -> displayWidth(token, arguments, DataType.TINYINT);
          case "SMALLINT" -> displayWidth(token, arguments, DataType.SMALLINT);
          case "INT", "INTEGER" -> displayWidth(token, arguments, DataType.INT);
          case "BIGINT" -> displayWidth(token, arguments, DataType.BIGINT);
          case "LARGEINT" -> noArguments(token, arguments, DataType.LARGEINT);
          case "FLOAT" -> floatType(token, arguments);
          case "DOUBLE" -> {
            // DOUBLE PRECISION and MySQL's deprecated DOUBLE(M, D): the digits are ignored.
            acceptWord("PRECISION");
            if (arguments.size() == 1) {
              throw errorAt(token, "type DOUBLE takes no parameters or (M, D)");
            }
            yield DataType.DOUBLE;
          }
          case "REAL" -> noArguments(token, arguments, DataType.DOUBLE);
          case "DECIMAL", "DECIMALV3", "DECIMALV2", "NUMERIC" -> decimal(token, arguments);
          case "DATE", "DATEV2" -> noArguments(token, arguments, DataType.DATE);
          case "DATETIME", "DATETIMEV2" -> datetime(token, arguments);
          case "CHAR", "CHARACTER" -> character(token, arguments);
          case "VARCHAR" -> varchar(token, arguments);
          case "STRING", "TEXT" -> noArguments(token, arguments, DataType.STRING);
          case "BITMAP" -> noArguments(token, arguments, DataType.BITMAP);
          case "HLL" -> noArguments(token, arguments, DataType.HLL);
          case "QUANTILE_STATE" -> noArguments(token, arguments, DataType.QUANTILE_STATE);
          default -> throw errorAt(token, "unknown data type " + token.value());
        };
    if (atWord("UNSIGNED", "SIGNED", "ZEROFILL")) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, peek().upper() + " integers");
    }
    return type;
  }

  /**
   * MySQL's {@code FLOAT(p)} (what SQLAlchemy and pandas emit for a Python float): a precision up
   * to 24 is FLOAT, 25 to 53 is DOUBLE; {@code FLOAT(M, D)} is FLOAT (the digits are ignored, as
   * MySQL deprecates them).
   */
  private DataType floatType(Token token, List<Integer> arguments) {
    if (arguments.size() == 1) {
      int precision = arguments.get(0);
      if (precision > 53) {
        throw errorAt(token, "FLOAT precision " + precision + " is above 53");
      }
      return precision <= 24 ? DataType.FLOAT : DataType.DOUBLE;
    }
    return DataType.FLOAT;
  }

  private DataType noArguments(Token token, List<Integer> arguments, DataType type) {
    if (!arguments.isEmpty()) {
      throw errorAt(token, "type " + token.upper() + " takes no parameters");
    }
    return type;
  }

  /** {@code int(11)}: MySQL display widths are accepted and ignored. */
  private DataType displayWidth(Token token, List<Integer> arguments, DataType type) {
    if (arguments.size() > 1) {
      throw errorAt(token, "type " + token.upper() + " takes at most a display width");
    }
    return type;
  }

  private DataType decimal(Token token, List<Integer> arguments) {
    if (arguments.size() > 2) {
      throw errorAt(token, "DECIMAL takes precision and scale");
    }
    // Doris's DECIMAL without parameters is DECIMAL(9, 0).
    int precision = arguments.isEmpty() ? 9 : arguments.get(0);
    int scale = arguments.size() < 2 ? 0 : arguments.get(1);
    if (precision < 1 || precision > DataType.MAX_DECIMAL_PRECISION) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "DECIMAL precision should between 1 and "
              + DataType.MAX_DECIMAL_PRECISION
              + ", but got "
              + precision);
    }
    if (scale > precision) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "DECIMAL scale " + scale + " must be less than or equal to precision " + precision);
    }
    return DataType.decimal(precision, scale);
  }

  private DataType datetime(Token token, List<Integer> arguments) {
    if (arguments.size() > 1) {
      throw errorAt(token, "DATETIME takes one precision");
    }
    int scale = arguments.isEmpty() ? 0 : arguments.get(0);
    if (scale > DataType.MAX_DATETIME_SCALE) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "DATETIME precision should between 0 and 6, but got " + scale);
    }
    return DataType.datetime(scale);
  }

  private DataType character(Token token, List<Integer> arguments) {
    if (arguments.size() > 1) {
      throw errorAt(token, "CHAR takes one length");
    }
    int length = arguments.isEmpty() ? 1 : arguments.get(0);
    if (length < 1 || length > DataType.MAX_CHAR_LENGTH) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "CHAR length should between 1 and " + DataType.MAX_CHAR_LENGTH + ", but got " + length);
    }
    return DataType.character(length);
  }

  private DataType varchar(Token token, List<Integer> arguments) {
    if (arguments.size() > 1) {
      throw errorAt(token, "VARCHAR takes one length");
    }
    int length = arguments.isEmpty() ? DataType.MAX_VARCHAR_LENGTH : arguments.get(0);
    if (length < 1 || length > DataType.MAX_VARCHAR_LENGTH) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "VARCHAR length should between 1 and "
              + DataType.MAX_VARCHAR_LENGTH
              + ", but got "
              + length);
    }
    return DataType.varchar(length);
  }

  private PartitionClause partitionClause() {
    expectWord("PARTITION");
    expectWord("BY");
    PartitionKind kind;
    if (acceptWord("RANGE")) {
      kind = PartitionKind.RANGE;
    } else if (acceptWord("LIST")) {
      kind = PartitionKind.LIST;
    } else {
      throw error("expected RANGE or LIST");
    }
    List<String> columns = identifierList();
    expectSymbol("(");
    List<PartitionClause.PartitionDefinition> partitions = new ArrayList<>();
    if (!peek().isSymbol(")")) {
      do {
        partitions.add(partitionDefinition(kind));
      } while (acceptSymbol(","));
    }
    expectSymbol(")");
    return new PartitionClause(kind, columns, partitions);
  }

  /**
   * {@code PARTITION BY RANGE (date_trunc(c, 'unit')) (partition, ...)} or {@code PARTITION BY LIST
   * (c, ...) (partition, ...)} after {@code AUTO}.
   */
  private PartitionClause autoPartitionClause() {
    expectWord("PARTITION");
    expectWord("BY");
    PartitionKind kind;
    List<String> columns;
    String unit = "";
    if (acceptWord("RANGE")) {
      kind = PartitionKind.RANGE;
      expectSymbol("(");
      if (!acceptWord("DATE_TRUNC")) {
        throw new BasaltException(
            ErrorCode.UNSUPPORTED, "AUTO PARTITION BY RANGE without date_trunc(column, 'unit')");
      }
      expectSymbol("(");
      columns = List.of(identifier());
      expectSymbol(",");
      unit = string().toUpperCase(Locale.ROOT);
      expectSymbol(")");
      expectSymbol(")");
    } else if (acceptWord("LIST")) {
      kind = PartitionKind.LIST;
      columns = identifierList();
    } else {
      throw error("expected RANGE or LIST");
    }
    List<PartitionClause.PartitionDefinition> partitions = new ArrayList<>();
    if (acceptSymbol("(")) {
      if (!peek().isSymbol(")")) {
        do {
          partitions.add(partitionDefinition(kind));
        } while (acceptSymbol(","));
      }
      expectSymbol(")");
    }
    return new PartitionClause(kind, columns, partitions, true, unit);
  }

  private PartitionClause.PartitionDefinition partitionDefinition(PartitionKind kind) {
    if (atWord("FROM")) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED, "batch range partitions (FROM ... TO ... INTERVAL)");
    }
    expectWord("PARTITION");
    acceptWords("IF", "NOT", "EXISTS");
    String name = identifier();
    PartitionClause.PartitionValues values;
    if (kind == PartitionKind.RANGE) {
      expectWord("VALUES");
      if (acceptWords("LESS", "THAN")) {
        if (acceptWord("MAXVALUE")) {
          values = new PartitionClause.LessThan(List.of());
        } else {
          List<String> upper = partitionTuple(true);
          values = new PartitionClause.LessThan(upper);
        }
      } else if (acceptSymbol("[")) {
        List<String> lower = partitionTuple(false);
        expectSymbol(",");
        List<String> upper = partitionTuple(true);
        expectSymbol(")");
        values = new PartitionClause.FixedRange(lower, upper);
      } else {
        throw error("expected LESS THAN or '['");
      }
    } else {
      expectWord("VALUES");
      expectWord("IN");
      expectSymbol("(");
      List<List<String>> tuples = new ArrayList<>();
      do {
        if (peek().isSymbol("(")) {
          tuples.add(partitionTuple(false));
        } else {
          tuples.add(List.of(partitionValue(false)));
        }
      } while (acceptSymbol(","));
      expectSymbol(")");
      values = new PartitionClause.In(tuples);
    }
    if (atWord("PROPERTIES") || peek().isSymbol("(")) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "per-partition properties");
    }
    return new PartitionClause.PartitionDefinition(name, values);
  }

  /** {@code (v, ...)}; with {@code allowMaxValue}, {@code (MAXVALUE)} yields an empty list. */
  private List<String> partitionTuple(boolean allowMaxValue) {
    expectSymbol("(");
    List<String> values = new ArrayList<>();
    if (allowMaxValue && peek().isWord("MAXVALUE") && peek(1).isSymbol(")")) {
      next();
      next();
      return List.of();
    }
    do {
      values.add(partitionValue(allowMaxValue));
    } while (acceptSymbol(","));
    expectSymbol(")");
    return values;
  }

  private String partitionValue(boolean inLessThan) {
    Token token = peek();
    if (token.type() == TokenType.STRING) {
      return next().value();
    }
    if (acceptSymbol("-")) {
      if (peek().type() == TokenType.NUMBER) {
        return "-" + next().value();
      }
      throw error("expected a number");
    }
    if (token.type() == TokenType.NUMBER) {
      return next().value();
    }
    if (token.isWord("MAXVALUE") && inLessThan) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "MAXVALUE for only some partition columns");
    }
    if (token.isWord("NULL")) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "NULL partition values");
    }
    if (token.isWord("TRUE") || token.isWord("FALSE")) {
      return next().value().toLowerCase(Locale.ROOT);
    }
    throw error("expected a partition value");
  }

  private DistributionClause distributionClause() {
    expectWord("DISTRIBUTED");
    expectWord("BY");
    DistributionKind kind;
    List<String> columns = List.of();
    if (acceptWord("HASH")) {
      kind = DistributionKind.HASH;
      columns = identifierList();
    } else if (acceptWord("RANDOM")) {
      kind = DistributionKind.RANDOM;
    } else {
      throw error("expected HASH or RANDOM");
    }
    int buckets = 0;
    boolean auto = true;
    if (acceptWord("BUCKETS")) {
      if (!acceptWord("AUTO")) {
        Token token = peek();
        buckets = smallInteger();
        if (buckets < 1) {
          throw errorAt(token, "BUCKETS must be positive");
        }
        auto = false;
      }
    }
    return new DistributionClause(kind, columns, buckets, auto);
  }

  private Map<String, String> properties() {
    expectWord("PROPERTIES");
    return propertyList();
  }

  /** {@code ("name" = "value", ...)}, in the order given. */
  private Map<String, String> propertyList() {
    expectSymbol("(");
    Map<String, String> properties = new LinkedHashMap<>();
    if (!peek().isSymbol(")")) {
      do {
        String key = string();
        expectSymbol("=");
        String value = string();
        properties.put(key, value);
      } while (acceptSymbol(","));
    }
    expectSymbol(")");
    return properties;
  }

  private Statement drop() {
    expectWord("DROP");
    if (acceptWord("DATABASE") || acceptWord("SCHEMA")) {
      boolean ifExists = acceptWords("IF", "EXISTS");
      String name = identifier();
      boolean force = acceptWord("FORCE");
      return end(new Statement.DropDatabase(name, ifExists, force));
    }
    if (acceptWord("TABLE")) {
      boolean ifExists = acceptWords("IF", "EXISTS");
      TableName table = tableName();
      boolean force = acceptWord("FORCE");
      return end(new Statement.DropTable(table, ifExists, force));
    }
    if (acceptWord("STATS")) {
      return end(new Statement.DropStats(tableName()));
    }
    if (acceptWord("USER")) {
      boolean ifExists = acceptWords("IF", "EXISTS");
      return end(new Statement.DropUser(userIdentity(), ifExists));
    }
    if (acceptWord("ROLE")) {
      boolean ifExists = acceptWords("IF", "EXISTS");
      return end(new Statement.DropRole(name(), ifExists));
    }
    if (acceptWord("INDEX")) {
      acceptWords("IF", "EXISTS");
      String name = identifier();
      expectWord("ON");
      return end(new Statement.DropIndex(tableName(), name));
    }
    if (acceptWord("VIEW")) {
      boolean ifExists = acceptWords("IF", "EXISTS");
      List<TableName> views = new ArrayList<>();
      do {
        views.add(tableName());
      } while (acceptSymbol(","));
      acceptWord("RESTRICT");
      acceptWord("CASCADE");
      return end(new Statement.DropView(views, ifExists));
    }
    if (atWord("MATERIALIZED", "FUNCTION", "CATALOG")) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "DROP " + peek().upper());
    }
    throw error("expected DATABASE, TABLE, USER or ROLE");
  }

  private Statement use() {
    expectWord("USE");
    if (peek().type() == TokenType.USER_VARIABLE) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "USE @compute_group");
    }
    String first = identifier();
    if (acceptSymbol(".")) {
      return end(new Statement.UseDatabase(first, identifier()));
    }
    return end(new Statement.UseDatabase(null, first));
  }

  private Statement truncate() {
    expectWord("TRUNCATE");
    acceptWord("TABLE");
    TableName table = tableName();
    List<String> partitions = new ArrayList<>();
    if (acceptWord("PARTITION") || acceptWord("PARTITIONS")) {
      if (acceptSymbol("(")) {
        do {
          partitions.add(identifier());
        } while (acceptSymbol(","));
        expectSymbol(")");
      } else {
        partitions.add(identifier());
      }
    }
    return end(new Statement.TruncateTable(table, partitions));
  }

  /** What follows IDENTIFIED: {@code [WITH plugin] [BY [PASSWORD] 'pw' | AS 'hash']}. */
  private record PasswordClause(String password, boolean hashed, String plugin) {}

  private PasswordClause identifiedClause() {
    String plugin = null;
    if (acceptWord("WITH")) {
      plugin = name().toLowerCase(Locale.ROOT);
    }
    if (acceptWord("BY")) {
      boolean hashed = acceptWord("PASSWORD");
      return new PasswordClause(string(), hashed, plugin);
    }
    if (plugin != null && acceptWord("AS")) {
      return new PasswordClause(string(), true, plugin);
    }
    if (plugin == null) {
      throw error("expected BY or WITH after IDENTIFIED");
    }
    return new PasswordClause(null, false, plugin);
  }

  private Statement alter() {
    expectWord("ALTER");
    if (acceptWord("USER")) {
      boolean ifExists = acceptWords("IF", "EXISTS");
      UserIdentity user = userIdentity();
      expectWord("IDENTIFIED");
      PasswordClause identified = identifiedClause();
      return end(
          new Statement.AlterUser(
              user, ifExists, identified.password(), identified.hashed(), identified.plugin()));
    }
    if (atWord("VIEW", "ALGORITHM", "DEFINER") || atWord("SQL") && peek(1).isWord("SECURITY")) {
      return createView(true, true);
    }
    if (!acceptWord("TABLE")) {
      if (peek().type() == TokenType.WORD) {
        throw new BasaltException(ErrorCode.UNSUPPORTED, "ALTER " + peek().upper());
      }
      throw error("expected TABLE or USER");
    }
    TableName table = tableName();
    if (atWord("DISABLE", "ENABLE") && peek(1).isWord("KEYS")) {
      boolean enable = next().isWord("ENABLE");
      next();
      return end(new Statement.AlterTableKeys(table, enable));
    }
    List<AlterOperation> operations = new ArrayList<>();
    do {
      operations.add(alterOperation());
    } while (acceptSymbol(","));
    return end(new Statement.AlterTable(table, operations));
  }

  private AlterOperation alterOperation() {
    Token start = peek();
    if (atWord("SET") && peek(1).isSymbol("(")) {
      next();
      return new AlterOperation.SetProperties(propertyList());
    }
    if (acceptWord("ADD")) {
      if (atWord("PARTITION")) {
        return addPartition();
      }
      if (atWord("TEMPORARY") && peek(1).isWord("PARTITION")) {
        next();
        return addTemporaryPartition();
      }
      if (atWord("PARTITION", "TEMPORARY", "ROLLUP", "INDEX", "COLUMN")
          && !peek().isWord("COLUMN")) {
        throw new BasaltException(ErrorCode.UNSUPPORTED, "ALTER TABLE ADD " + peek().upper());
      }
      expectWord("COLUMN");
      if (acceptSymbol("(")) {
        List<ColumnDefinition> columns = new ArrayList<>();
        do {
          columns.add(columnDefinition());
        } while (acceptSymbol(","));
        expectSymbol(")");
        rejectRollupTarget();
        return new AlterOperation.AddColumns(columns, ColumnPosition.DEFAULT);
      }
      ColumnDefinition column = columnDefinition();
      ColumnPosition position = columnPosition();
      rejectRollupTarget();
      return new AlterOperation.AddColumns(List.of(column), position);
    }
    if (acceptWord("DROP")) {
      if (atWord("TEMPORARY") && peek(1).isWord("PARTITION")) {
        next();
        next();
        boolean ifExists = false;
        if (atWord("IF") && peek(1).isWord("EXISTS")) {
          next();
          next();
          ifExists = true;
        }
        String name = identifier();
        acceptWord("FORCE");
        return new AlterOperation.DropTemporaryPartition(name, ifExists);
      }
      if (acceptWord("PARTITION")) {
        boolean ifExists = false;
        if (atWord("IF") && peek(1).isWord("EXISTS")) {
          next();
          next();
          ifExists = true;
        }
        String name = identifier();
        acceptWord("FORCE");
        return new AlterOperation.DropPartition(name, ifExists);
      }
      if (!peek().isWord("COLUMN") && peek().type() == TokenType.WORD) {
        throw new BasaltException(ErrorCode.UNSUPPORTED, "ALTER TABLE DROP " + peek().upper());
      }
      expectWord("COLUMN");
      String name = identifier();
      rejectRollupTarget();
      return new AlterOperation.DropColumn(name);
    }
    if (acceptWord("MODIFY")) {
      if (!peek().isWord("COLUMN") && peek().type() == TokenType.WORD) {
        throw new BasaltException(ErrorCode.UNSUPPORTED, "ALTER TABLE MODIFY " + peek().upper());
      }
      expectWord("COLUMN");
      ColumnDefinition column = columnDefinition();
      ColumnPosition position = columnPosition();
      rejectRollupTarget();
      return new AlterOperation.ModifyColumn(column, position);
    }
    if (acceptWord("RENAME")) {
      if (acceptWord("COLUMN")) {
        String oldName = identifier();
        acceptWord("TO");
        return new AlterOperation.RenameColumn(oldName, identifier());
      }
      if (atWord("PARTITION", "ROLLUP")) {
        throw new BasaltException(ErrorCode.UNSUPPORTED, "ALTER TABLE RENAME " + peek().upper());
      }
      acceptWord("TO");
      return new AlterOperation.RenameTable(identifier());
    }
    if (acceptWord("SET")) {
      return new AlterOperation.SetProperties(propertyList());
    }
    if (atWord("ORDER") && peek(1).isWord("BY")) {
      next();
      next();
      List<String> columns = identifierList();
      rejectRollupTarget();
      return new AlterOperation.ReorderColumns(columns);
    }
    if (atWord("REPLACE") && (peek(1).isWord("PARTITION") || peek(1).isWord("PARTITIONS"))) {
      next();
      next();
      List<String> partitions = identifierList();
      expectWord("WITH");
      expectWord("TEMPORARY");
      if (!acceptWord("PARTITION")) {
        expectWord("PARTITIONS");
      }
      List<String> temporary = identifierList();
      Map<String, String> properties = Map.of();
      if (acceptWord("PROPERTIES")) {
        properties = propertyList();
      }
      return new AlterOperation.ReplacePartitions(partitions, temporary, properties);
    }
    if (start.type() == TokenType.WORD) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "ALTER TABLE " + start.upper());
    }
    throw error("expected ADD, DROP, MODIFY, RENAME or SET");
  }

  /** {@code PARTITION [IF NOT EXISTS] p VALUES ... [DISTRIBUTED BY HASH(c) BUCKETS n]}. */
  private AlterOperation addPartition() {
    boolean ifNotExists = peek(1).isWord("IF") && peek(2).isWord("NOT") && peek(3).isWord("EXISTS");
    int name = ifNotExists ? 4 : 1;
    boolean list = peek(name + 1).isWord("VALUES") && peek(name + 2).isWord("IN");
    PartitionClause.PartitionDefinition partition =
        partitionDefinition(list ? PartitionKind.LIST : PartitionKind.RANGE);
    int buckets = 0;
    if (atWord("DISTRIBUTED")) {
      buckets = distributionClause().buckets();
    }
    return new AlterOperation.AddPartition(partition, ifNotExists, buckets);
  }

  /** {@code PARTITION p VALUES ... [DISTRIBUTED BY HASH(c) BUCKETS n]} after ADD TEMPORARY. */
  private AlterOperation addTemporaryPartition() {
    boolean list = peek(2).isWord("VALUES") && peek(3).isWord("IN");
    PartitionClause.PartitionDefinition partition =
        partitionDefinition(list ? PartitionKind.LIST : PartitionKind.RANGE);
    int buckets = 0;
    if (atWord("DISTRIBUTED")) {
      buckets = distributionClause().buckets();
    }
    return new AlterOperation.AddTemporaryPartition(partition, buckets);
  }

  private ColumnPosition columnPosition() {
    if (acceptWord("FIRST")) {
      return ColumnPosition.atFirst();
    }
    if (acceptWord("AFTER")) {
      return ColumnPosition.after(identifier());
    }
    return ColumnPosition.DEFAULT;
  }

  private void rejectRollupTarget() {
    if (atWord("TO", "IN", "FROM")) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "column changes of a rollup");
    }
  }

  private Statement renameTable() {
    expectWord("RENAME");
    expectWord("TABLE");
    TableName table = tableName();
    expectWord("TO");
    TableName target = tableName();
    if (target.database() != null && !target.database().equals(table.database())) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "RENAME TABLE into another database");
    }
    return end(
        new Statement.AlterTable(table, List.of(new AlterOperation.RenameTable(target.name()))));
  }

  private Statement describe() {
    Token keyword = next();
    if (isQueryStart(peek()) || atWord("INSERT")) {
      return new Statement.Explain("", restFrom(peek()), peek().start());
    }
    if (peek().type() == TokenType.END) {
      throw errorAt(peek(), "expected a table name after " + keyword.upper());
    }
    TableName table = tableName();
    boolean all = acceptWord("ALL");
    return end(new Statement.Describe(table, all));
  }

  private Statement explain() {
    expectWord("EXPLAIN");
    StringBuilder level = new StringBuilder();
    while (peek().type() == TokenType.WORD
        && !isQueryStart(peek())
        && !atWord("INSERT", "DELETE", "UPDATE")) {
      if (!level.isEmpty()) {
        level.append(' ');
      }
      level.append(next().upper());
    }
    Token start = peek();
    if (start.type() == TokenType.END) {
      throw error("expected a statement to explain");
    }
    return new Statement.Explain(level.toString(), restFrom(start), start.start());
  }

  private Statement insert() {
    expectWord("INSERT");
    boolean overwrite;
    if (acceptWord("INTO")) {
      overwrite = false;
    } else if (acceptWord("OVERWRITE")) {
      overwrite = true;
      acceptWord("TABLE");
    } else {
      throw error("expected INTO or OVERWRITE");
    }
    TableName table = tableName();
    List<String> partitions = new ArrayList<>();
    boolean temporary =
        atWord("TEMPORARY")
            && (peek(1).isWord("PARTITION") || peek(1).isWord("PARTITIONS"))
            && next() != null;
    if (acceptWord("PARTITION") || acceptWord("PARTITIONS")) {
      expectSymbol("(");
      if (!temporary && acceptSymbol("*")) {
        partitions.add("*");
      } else {
        do {
          partitions.add(identifier());
        } while (acceptSymbol(","));
      }
      expectSymbol(")");
    }
    String label = null;
    if (acceptWords("WITH", "LABEL")) {
      label = name();
    }
    List<String> columns = List.of();
    if (peek().isSymbol("(") && !isQueryStart(peek(1))) {
      columns = identifierList();
    }
    Token source = peek();
    if (!isQueryStart(source) && !source.isWord("VALUE")) {
      throw error("expected VALUES or a query");
    }
    return new Statement.Insert(
        table, overwrite, partitions, temporary, label, columns, restFrom(source), source.start());
  }

  private Statement delete() {
    expectWord("DELETE");
    expectWord("FROM");
    TableName table = tableName();
    String alias = tableAlias("PARTITION", "PARTITIONS", "USING", "WHERE");
    List<String> partitions = new ArrayList<>();
    if (acceptWord("PARTITION") || acceptWord("PARTITIONS")) {
      if (acceptSymbol("(")) {
        do {
          partitions.add(identifier());
        } while (acceptSymbol(","));
        expectSymbol(")");
      } else {
        partitions.add(identifier());
      }
    }
    String using =
        acceptWord("USING")
            ? textUntil(token -> token.isWord("WHERE"), "the tables after USING")
            : null;
    String condition = null;
    if (peek().type() != TokenType.END && !peek().isSymbol(";")) {
      expectWord("WHERE");
      Token start = peek();
      if (start.type() == TokenType.END || start.isSymbol(";")) {
        throw error("expected a condition after WHERE");
      }
      condition = restFrom(start);
    } else {
      expectEnd();
    }
    return new Statement.Delete(table, alias, partitions, using, condition);
  }

  /**
   * An optional {@code [AS] alias} after a table name; null when the next word is one of {@code
   * clauses} (or not an identifier).
   */
  private String tableAlias(String... clauses) {
    if (acceptWord("AS")) {
      return identifier();
    }
    Token token = peek();
    if (token.type() == TokenType.QUOTED_IDENTIFIER) {
      return identifier();
    }
    if (token.type() != TokenType.WORD) {
      return null;
    }
    for (String clause : clauses) {
      if (token.isWord(clause)) {
        return null;
      }
    }
    return identifier();
  }

  /**
   * The text from the next token up to (not including) the first token outside parentheses that
   * {@code stop} accepts, or to the end of the statement; {@code what} names it in the error when
   * it is empty.
   */
  private String textUntil(java.util.function.Predicate<Token> stop, String what) {
    Token start = peek();
    Token last = null;
    int depth = 0;
    while (peek().type() != TokenType.END && !peek().isSymbol(";")) {
      Token token = peek();
      if (depth == 0 && stop.test(token)) {
        break;
      }
      if (token.isSymbol("(")) {
        depth++;
      } else if (token.isSymbol(")")) {
        depth--;
      }
      last = next();
    }
    if (last == null) {
      throw error("expected " + what);
    }
    return text.substring(start.start(), last.end());
  }

  private Statement update() {
    expectWord("UPDATE");
    TableName table = tableName();
    String alias = tableAlias("SET");
    expectWord("SET");
    List<Statement.Assignment> assignments = new ArrayList<>();
    while (true) {
      String qualifier = null;
      String column = identifier();
      if (acceptSymbol(".")) {
        qualifier = column;
        column = identifier();
      }
      expectSymbol("=");
      String expression =
          textUntil(
              token -> token.isSymbol(",") || token.isWord("WHERE") || token.isWord("FROM"),
              "an expression for column " + column);
      assignments.add(new Statement.Assignment(qualifier, column, expression));
      if (!acceptSymbol(",")) {
        break;
      }
    }
    String from =
        acceptWord("FROM")
            ? textUntil(token -> token.isWord("WHERE"), "the tables after FROM")
            : null;
    String condition = null;
    if (acceptWord("WHERE")) {
      Token start = peek();
      if (start.type() == TokenType.END || start.isSymbol(";")) {
        throw error("expected a condition after WHERE");
      }
      condition = restFrom(start);
    } else {
      expectEnd();
    }
    return new Statement.Update(table, alias, assignments, from, condition);
  }

  private Statement kill() {
    expectWord("KILL");
    boolean query = acceptWord("QUERY");
    if (!query) {
      acceptWord("CONNECTION");
    }
    if (peek().type() == TokenType.STRING) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "KILL QUERY by query id");
    }
    return end(new Statement.Kill(query, integer()));
  }

  /**
   * {@code LOCK TABLES t [AS a] READ|WRITE, ...} and {@code UNLOCK TABLES}, as mysqldump writes
   * them around its INSERTs: accepted and ignored, as Doris does (every load is atomic on its own).
   */
  private Statement lockTables() {
    boolean lock = next().isWord("LOCK");
    if (!acceptWord("TABLES") && !acceptWord("TABLE")) {
      throw error("expected TABLES");
    }
    if (lock) {
      do {
        tableName();
        if (acceptWord("AS") || (peek().type() == TokenType.WORD && !atWord("READ", "WRITE"))) {
          identifier();
        }
        if (!acceptWord("READ")) {
          acceptWord("LOW_PRIORITY");
          expectWord("WRITE");
        } else {
          acceptWord("LOCAL");
        }
      } while (acceptSymbol(","));
    }
    return end(new Statement.LockTables(lock));
  }

  /**
   * {@code ADMIN SHOW [FRONTEND] CONFIG [LIKE 'pattern']}, or {@code ADMIN COMPACT TABLE t [WHERE
   * type = 'BASE' | 'CUMULATIVE']}.
   */
  private Statement admin() {
    expectWord("ADMIN");
    if (acceptWord("COMPACT")) {
      expectWord("TABLE");
      TableName table = tableName();
      boolean base = true;
      if (acceptWord("WHERE")) {
        expectWord("TYPE");
        expectSymbol("=");
        String type = string();
        if (type.equalsIgnoreCase("CUMULATIVE")) {
          base = false;
        } else if (!type.equalsIgnoreCase("BASE")) {
          throw new BasaltException(
              ErrorCode.SYNTAX_ERROR,
              "compaction type must be 'BASE' or 'CUMULATIVE', got '" + type + "'");
        }
      }
      return end(new Statement.AdminCompact(table, base));
    }
    expectWord("SHOW");
    acceptWord("FRONTEND");
    expectWord("CONFIG");
    String like = acceptWord("LIKE") ? string() : null;
    return end(new Statement.AdminShowConfig(like));
  }

  private Statement transaction() {
    Token keyword = next();
    switch (keyword.upper()) {
      case "BEGIN" -> {
        acceptWord("WORK");
        String label = acceptWords("WITH", "LABEL") ? name() : null;
        return end(new Statement.TransactionControl(Statement.TransactionKind.BEGIN, label));
      }
      case "START" -> {
        expectWord("TRANSACTION");
        String label = acceptWords("WITH", "LABEL") ? name() : null;
        return end(new Statement.TransactionControl(Statement.TransactionKind.BEGIN, label));
      }
      case "COMMIT" -> {
        acceptWord("WORK");
        return end(new Statement.TransactionControl(Statement.TransactionKind.COMMIT, null));
      }
      default -> {
        acceptWord("WORK");
        return end(new Statement.TransactionControl(Statement.TransactionKind.ROLLBACK, null));
      }
    }
  }

  // ---------------------------------------------------------------- GRANT / REVOKE

  /**
   * {@code GRANT privilege, ... ON level TO [ROLE] grantee [WITH GRANT OPTION]}, {@code GRANT
   * 'role', ... TO user} and the REVOKE forms with FROM.
   */
  private Statement grant() {
    boolean revoke = next().isWord("REVOKE");
    String preposition = revoke ? "FROM" : "TO";
    if (peek().type() == TokenType.STRING) {
      List<String> roles = new ArrayList<>();
      do {
        roles.add(string());
      } while (acceptSymbol(","));
      expectWord(preposition);
      return end(new Statement.GrantRoles(revoke, roles, userIdentity()));
    }
    java.util.EnumSet<dev.basalt.meta.privilege.Privilege> privileges =
        java.util.EnumSet.noneOf(dev.basalt.meta.privilege.Privilege.class);
    List<String> selectColumns = new ArrayList<>();
    do {
      Token word = peek();
      if (word.type() != TokenType.WORD) {
        throw error("expected a privilege such as SELECT_PRIV or LOAD_PRIV");
      }
      next();
      java.util.Set<dev.basalt.meta.privilege.Privilege> named =
          dev.basalt.meta.privilege.Privilege.named(word.value());
      if (named == null) {
        throw errorAt(
            word,
            "unknown privilege "
                + word.value()
                + "; use SELECT_PRIV, LOAD_PRIV, ALTER_PRIV, CREATE_PRIV, DROP_PRIV, GRANT_PRIV,"
                + " ADMIN_PRIV or ALL");
      }
      if (word.isWord("ALL")) {
        acceptWord("PRIVILEGES");
      } else if (word.isWord("GRANT")) {
        acceptWord("OPTION");
      }
      if (acceptSymbol("(")) {
        // Column privileges: MySQL's SELECT (c1, c2) and Doris 2.1's SELECT_PRIV(c1, c2).
        if (!named.equals(java.util.Set.of(dev.basalt.meta.privilege.Privilege.SELECT))) {
          throw new BasaltException(
              ErrorCode.UNSUPPORTED,
              "column-level " + word.value() + " (only SELECT can be granted on columns)");
        }
        do {
          selectColumns.add(identifier());
        } while (acceptSymbol(","));
        expectSymbol(")");
        continue;
      }
      privileges.addAll(named);
    } while (acceptSymbol(","));
    expectWord("ON");
    Statement.PrivilegeTarget target = privilegeTarget();
    expectWord(preposition);
    boolean toRole = acceptWord("ROLE");
    UserIdentity grantee = toRole ? new UserIdentity(name(), "%") : userIdentity();
    if (!revoke && acceptWord("WITH")) {
      expectWord("GRANT");
      expectWord("OPTION");
      privileges.add(dev.basalt.meta.privilege.Privilege.GRANT);
    }
    return end(
        new Statement.GrantPrivileges(revoke, privileges, target, grantee, toRole, selectColumns));
  }

  /**
   * {@code *.*}, {@code *.*.*}, {@code [catalog.]db.*}, {@code [catalog.]db.tbl}, {@code *} (the
   * current database) or {@code tbl} (a table of the current database). The only catalog is {@code
   * internal}.
   */
  private Statement.PrivilegeTarget privilegeTarget() {
    List<String> parts = new ArrayList<>();
    do {
      parts.add(acceptSymbol("*") ? "*" : identifier());
    } while (acceptSymbol("."));
    if (parts.size() == 3) {
      String catalog = parts.remove(0);
      if (!catalog.equals("*") && !catalog.equalsIgnoreCase("internal")) {
        throw new BasaltException(ErrorCode.UNSUPPORTED, "privileges on catalog " + catalog);
      }
    }
    if (parts.size() > 2) {
      throw error("expected *.*, db.* or db.table");
    }
    String database = parts.size() == 2 ? parts.get(0) : null;
    String table = parts.get(parts.size() - 1);
    if ("*".equals(database)) {
      if (!table.equals("*")) {
        throw error("expected *.* for all databases");
      }
      return new Statement.PrivilegeTarget(true, null, null);
    }
    return new Statement.PrivilegeTarget(false, database, table.equals("*") ? null : table);
  }

  private UserIdentity userIdentity() {
    String user = name();
    String host = "%";
    if (peek().type() == TokenType.USER_VARIABLE) {
      host = next().value();
    }
    return new UserIdentity(user, host);
  }

  // ---------------------------------------------------------------- SET

  private Statement set() {
    expectWord("SET");
    if (acceptWord("PASSWORD")) {
      UserIdentity user = null;
      if (acceptWord("FOR")) {
        user = userIdentity();
      }
      if (!acceptSymbol("=")) {
        throw error("expected '='");
      }
      if (acceptWord("PASSWORD")) {
        expectSymbol("(");
        String password = string();
        expectSymbol(")");
        return end(new Statement.SetPassword(user, password, false));
      }
      return end(new Statement.SetPassword(user, string(), true));
    }
    List<SetAssignment> assignments = new ArrayList<>();
    do {
      assignments.add(setAssignment());
    } while (acceptSymbol(","));
    return end(new Statement.Set(assignments));
  }

  private SetAssignment setAssignment() {
    if (acceptWord("NAMES")) {
      String charset = acceptWord("DEFAULT") ? "DEFAULT" : name();
      String collation = acceptWord("COLLATE") ? name() : null;
      return new SetAssignment.Names(charset, collation);
    }
    if (acceptWords("CHARACTER", "SET") || acceptWord("CHARSET")) {
      String charset = acceptWord("DEFAULT") ? "DEFAULT" : name();
      return new SetAssignment.Names(charset, null);
    }
    VariableScope scope = VariableScope.DEFAULT;
    if (atWord("GLOBAL", "SESSION", "LOCAL") && !peek(1).isSymbol("=") && !peek(1).isSymbol(":=")) {
      scope = next().isWord("GLOBAL") ? VariableScope.GLOBAL : VariableScope.SESSION;
    }
    if (acceptWord("TRANSACTION")) {
      return transactionCharacteristics(scope);
    }
    Token token = peek();
    String name;
    boolean user = false;
    if (token.type() == TokenType.SYSTEM_VARIABLE) {
      next();
      String full = token.value();
      String lower = full.toLowerCase(Locale.ROOT);
      if (lower.startsWith("global.")) {
        scope = VariableScope.GLOBAL;
        name = full.substring(7);
      } else if (lower.startsWith("session.") || lower.startsWith("local.")) {
        scope = VariableScope.SESSION;
        name = full.substring(full.indexOf('.') + 1);
      } else {
        name = full;
      }
    } else if (token.type() == TokenType.USER_VARIABLE) {
      next();
      name = token.value();
      user = true;
    } else {
      name = identifier();
    }
    if (name.isEmpty()) {
      throw errorAt(token, "expected a variable name");
    }
    if (!acceptSymbol("=") && !acceptSymbol(":=")) {
      throw error("expected '='");
    }
    String value = expressionText();
    return user
        ? new SetAssignment.UserVariable(name, value)
        : new SetAssignment.SystemVariable(scope, name.toLowerCase(Locale.ROOT), value);
  }

  private SetAssignment transactionCharacteristics(VariableScope scope) {
    String isolation = null;
    Boolean readOnly = null;
    do {
      if (acceptWords("ISOLATION", "LEVEL")) {
        if (acceptWords("READ", "UNCOMMITTED")) {
          isolation = "READ-UNCOMMITTED";
        } else if (acceptWords("READ", "COMMITTED")) {
          isolation = "READ-COMMITTED";
        } else if (acceptWords("REPEATABLE", "READ")) {
          isolation = "REPEATABLE-READ";
        } else if (acceptWord("SERIALIZABLE")) {
          isolation = "SERIALIZABLE";
        } else {
          throw error("expected an isolation level");
        }
      } else if (acceptWords("READ", "ONLY")) {
        readOnly = Boolean.TRUE;
      } else if (acceptWords("READ", "WRITE")) {
        readOnly = Boolean.FALSE;
      } else {
        throw error("expected ISOLATION LEVEL, READ ONLY or READ WRITE");
      }
    } while (acceptSymbol(","));
    return new SetAssignment.Transaction(scope, isolation, readOnly);
  }

  /** The text of an expression up to a top-level comma or the end. */
  private String expressionText() {
    Token first = peek();
    if (first.type() == TokenType.END || first.isSymbol(",") || first.isSymbol(";")) {
      throw error("expected a value");
    }
    int depth = 0;
    Token last = first;
    while (true) {
      Token token = peek();
      if (token.type() == TokenType.END
          || (depth == 0 && (token.isSymbol(",") || token.isSymbol(";")))) {
        break;
      }
      if (token.isSymbol("(")) {
        depth++;
      } else if (token.isSymbol(")")) {
        if (depth == 0) {
          throw error("unbalanced ')'");
        }
        depth--;
      }
      last = next();
    }
    if (depth != 0) {
      throw error("expected ')'");
    }
    return text.substring(first.start(), last.end());
  }

  // ---------------------------------------------------------------- SHOW

  private Statement show() {
    expectWord("SHOW");
    boolean full = acceptWord("FULL");
    VariableScope scope = VariableScope.DEFAULT;
    if (acceptWord("GLOBAL")) {
      scope = VariableScope.GLOBAL;
    } else if (acceptWord("SESSION") || acceptWord("LOCAL")) {
      scope = VariableScope.SESSION;
    }
    Token keyword = peek();
    if (keyword.type() != TokenType.WORD) {
      throw error("expected what to show");
    }
    if (full && !atWord("TABLES", "COLUMNS", "FIELDS", "PROCESSLIST", "TRIGGERS")) {
      throw error("unexpected FULL");
    }
    if (scope != VariableScope.DEFAULT && !atWord("VARIABLES", "STATUS")) {
      throw error("expected VARIABLES");
    }
    String word = next().upper();
    showWhere = null;
    Statement shown = showBody(word, full, scope);
    return showWhere == null ? shown : new Statement.FilteredShow(shown, showWhere);
  }

  private Statement showBody(String word, boolean full, VariableScope scope) {
    return switch (word) {
      case "DATABASES", "SCHEMAS" -> end(new Statement.ShowDatabases(likeOnly()));
      case "TABLES" -> {
        String database = fromDatabase();
        yield end(new Statement.ShowTables(database, full, likeOnly()));
      }
      case "TABLE" -> {
        if (acceptWord("STATS")) {
          yield end(new Statement.ShowTableStats(tableName()));
        }
        expectWord("STATUS");
        String database = fromDatabase();
        yield end(new Statement.ShowTableStatus(database, likeOnly()));
      }
      case "BRIEF" -> {
        expectWord("CREATE");
        expectWord("TABLE");
        yield end(new Statement.ShowCreateTable(tableName()));
      }
      case "CREATE" -> {
        if (acceptWord("TABLE")) {
          yield end(new Statement.ShowCreateTable(tableName()));
        }
        if (acceptWord("DATABASE") || acceptWord("SCHEMA")) {
          yield end(new Statement.ShowCreateDatabase(identifier()));
        }
        if (acceptWord("VIEW")) {
          yield end(new Statement.ShowCreateView(tableName()));
        }
        if (peek().type() == TokenType.WORD) {
          throw new BasaltException(ErrorCode.UNSUPPORTED, "SHOW CREATE " + peek().upper());
        }
        throw error("expected TABLE or DATABASE");
      }
      case "COLUMN" -> {
        expectWord("STATS");
        TableName table = tableName();
        List<String> columns = peek().isSymbol("(") ? identifierList() : List.of();
        yield end(new Statement.ShowColumnStats(table, columns));
      }
      case "COLUMNS", "FIELDS" -> {
        TableName table = fromTable();
        yield end(new Statement.ShowColumns(table, full, likeOnly()));
      }
      case "PARTITIONS" -> {
        TableName table = fromTable();
        whereOnly();
        rejectShowFilters();
        yield end(new Statement.ShowPartitions(table));
      }
      case "TEMPORARY" -> {
        expectWord("PARTITIONS");
        TableName table = fromTable();
        whereOnly();
        rejectShowFilters();
        yield end(new Statement.ShowPartitions(table, true));
      }
      case "TABLETS" -> {
        TableName table = fromTable();
        boolean temporary = acceptWord("TEMPORARY");
        List<String> partitions = List.of();
        if (temporary || atWord("PARTITION", "PARTITIONS")) {
          if (!acceptWord("PARTITION")) {
            expectWord("PARTITIONS");
          }
          partitions = identifierList();
        }
        whereOnly();
        rejectShowFilters();
        yield end(new Statement.ShowTablets(table, partitions, temporary));
      }
      case "KEYS", "INDEX", "INDEXES" -> {
        TableName table = fromTable();
        whereOnly();
        yield end(new Statement.ShowIndex(table));
      }
      case "VARIABLES" -> end(new Statement.ShowVariables(scope, likeOnly()));
      case "STATUS" -> end(new Statement.ShowEmpty(word, likeOnly()));
      case "FUNCTION", "PROCEDURE" -> {
        expectWord("STATUS");
        yield end(new Statement.ShowRoutineStatus(word.equals("PROCEDURE"), likeOnly()));
      }
      case "FUNCTIONS" -> {
        fromDatabase();
        yield end(new Statement.ShowRoutineStatus(false, likeOnly()));
      }
      case "TRIGGERS", "EVENTS" -> {
        fromDatabase();
        yield end(new Statement.ShowEmpty(word, likeOnly()));
      }
      case "PLUGINS" -> end(new Statement.ShowEmpty(word, null));
      case "PRIVILEGES" -> end(new Statement.ShowPrivileges());
      case "DATA" -> {
        TableName target = null;
        if (acceptWord("FROM")) {
          target = tableName();
        }
        whereOnly();
        rejectShowFilters();
        yield end(new Statement.ShowData(target));
      }
      case "PROC" -> end(new Statement.ShowProc(string()));
      case "QUERY" -> {
        expectWord("PROFILE");
        String path = peek().type() == TokenType.STRING ? string() : "/";
        yield end(new Statement.ShowQueryProfile(path));
      }
      case "PROCESSLIST" -> whereThenEnd(new Statement.ShowProcessList(full));
      case "COUNT" -> {
        // SHOW COUNT(*) WARNINGS | ERRORS
        expectSymbol("(");
        expectSymbol("*");
        expectSymbol(")");
        boolean errors = acceptWord("ERRORS");
        if (!errors) {
          expectWord("WARNINGS");
        }
        yield end(new Statement.ShowWarningCount(errors));
      }
      case "WARNINGS", "ERRORS" -> {
        if (acceptWord("LIMIT")) {
          integer();
          if (acceptSymbol(",")) {
            integer();
          }
        }
        yield end(new Statement.ShowWarnings(word.equals("ERRORS")));
      }
      case "ENGINES" -> whereThenEnd(new Statement.ShowEngines());
      case "STORAGE" -> {
        expectWord("ENGINES");
        yield end(new Statement.ShowEngines());
      }
      case "CHARSET" -> end(new Statement.ShowCharset(likeOnly()));
      case "CHARACTER" -> {
        expectWord("SET");
        yield end(new Statement.ShowCharset(likeOnly()));
      }
      case "COLLATION" -> end(new Statement.ShowCollation(likeOnly()));
      case "GRANTS" -> {
        UserIdentity user = null;
        if (acceptWord("FOR")) {
          if (acceptWord("CURRENT_USER")) {
            // MySQL's SHOW GRANTS FOR CURRENT_USER[()] (Metabase sends it): the session's user.
            if (acceptSymbol("(")) {
              expectSymbol(")");
            }
          } else {
            user = userIdentity();
          }
        }
        yield end(new Statement.ShowGrants(user, false));
      }
      case "ALL" -> {
        expectWord("GRANTS");
        yield end(new Statement.ShowGrants(null, true));
      }
      case "ROLES" -> whereThenEnd(new Statement.ShowRoles());
      case "FRONTENDS" -> whereThenEnd(new Statement.ShowFrontends());
      case "BACKENDS" -> whereThenEnd(new Statement.ShowBackends());
      case "STREAM" -> {
        expectWord("LOAD");
        yield whereThenEnd(new Statement.ShowStreamLoad(fromDatabase()));
      }
      case "ALTER" -> {
        expectWord("TABLE");
        if (!acceptWord("COLUMN")) {
          throw new BasaltException(
              ErrorCode.UNSUPPORTED,
              "SHOW ALTER TABLE " + (peek().type() == TokenType.WORD ? peek().upper() : ""));
        }
        yield orderedShow(new Statement.ShowAlterTableColumn(fromDatabase()));
      }
      case "LOAD" -> {
        Statement.ShowLoad load = new Statement.ShowLoad(fromDatabase());
        if (atWord("ORDER", "LIMIT")) {
          // ORDER BY and LIMIT without WHERE: filtered as WHERE TRUE ORDER BY ... LIMIT n.
          showWhere = "TRUE " + restFrom(peek());
          while (peek().type() != TokenType.END) {
            next();
          }
          yield end(load);
        }
        yield whereThenEnd(load);
      }
      default -> throw new BasaltException(ErrorCode.UNSUPPORTED, "SHOW " + word);
    };
  }

  /**
   * {@code [WHERE condition] [ORDER BY ...] [LIMIT n]} after a SHOW whose rows are filtered like a
   * query's ({@link Statement.FilteredShow}); ORDER BY and LIMIT without WHERE are kept as {@code
   * WHERE TRUE ORDER BY ... LIMIT n}.
   */
  private Statement orderedShow(Statement show) {
    if (atWord("ORDER", "LIMIT")) {
      showWhere = "TRUE " + restFrom(peek());
      while (peek().type() != TokenType.END) {
        next();
      }
      return end(show);
    }
    return whereThenEnd(show);
  }

  private String fromDatabase() {
    if (acceptWord("FROM") || acceptWord("IN")) {
      return identifier();
    }
    return null;
  }

  /** {@code FROM|IN [db.]t [FROM|IN db]}. */
  private TableName fromTable() {
    if (!acceptWord("FROM") && !acceptWord("IN")) {
      throw error("expected FROM");
    }
    TableName table = tableName();
    if (acceptWord("FROM") || acceptWord("IN")) {
      return new TableName(identifier(), table.name());
    }
    return table;
  }

  /**
   * {@code [LIKE 'pattern' | WHERE condition]}: returns the pattern; a WHERE condition is kept in
   * {@link #showWhere}, and the SHOW statement becomes a {@link Statement.FilteredShow}.
   */
  private String likeOnly() {
    if (acceptWord("LIKE")) {
      return string();
    }
    if (atWord("WHERE")) {
      next();
      if (peek().type() == TokenType.END) {
        throw error("expected a condition after WHERE");
      }
      showWhere = restFrom(peek());
      while (peek().type() != TokenType.END) {
        next();
      }
      return null;
    }
    return null;
  }

  private <T extends Statement> T whereThenEnd(T statement) {
    whereOnly();
    return end(statement);
  }

  /** {@code [WHERE condition]} for SHOW statements that take no LIKE; see {@link #likeOnly}. */
  private void whereOnly() {
    if (atWord("WHERE")) {
      likeOnly();
    }
  }

  private void rejectShowFilters() {
    if (atWord("WHERE", "ORDER", "LIMIT", "PARTITION")) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, peek().upper() + " in this SHOW statement");
    }
  }

  /** Visible for tests: the {@link TypeKind} a type name maps to. */
  static TypeKind typeKindOf(String typeText) {
    return new DorisParser(typeText).dataType().kind();
  }
}
