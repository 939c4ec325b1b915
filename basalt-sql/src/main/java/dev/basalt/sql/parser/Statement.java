package dev.basalt.sql.parser;

import java.util.List;
import java.util.Map;

/**
 * A parsed Doris statement ({@link DorisParser#parse}). Records are immutable; names are unquoted
 * and keep their case; texts handed on to the query planner ({@code query}, {@code source}, {@code
 * statement}) are verbatim substrings of the parsed statement, with their offset in it so that
 * errors can point into the original text.
 */
public sealed interface Statement {

  // ---------------------------------------------------------------- queries and DML

  /** A SELECT / WITH / VALUES / parenthesised query, for the planner. @param text its text */
  record QueryStatement(String text) implements Statement {}

  /**
   * {@code INSERT INTO|OVERWRITE TABLE [db.]t [[TEMPORARY] PARTITION (p, ...)] [WITH LABEL l]
   * [(cols)] source}.
   *
   * @param table the target
   * @param overwrite whether INSERT OVERWRITE
   * @param partitions the named target partitions, empty when none
   * @param temporaryPartitions whether {@code partitions} names temporary partitions
   * @param label the label, or {@code null}
   * @param columns the column list, empty when none
   * @param source the VALUES list or query, verbatim
   * @param sourceOffset where {@code source} starts in the statement text
   */
  record Insert(
      TableName table,
      boolean overwrite,
      List<String> partitions,
      boolean temporaryPartitions,
      String label,
      List<String> columns,
      String source,
      int sourceOffset)
      implements Statement {}

  /**
   * {@code DELETE FROM table [[AS] alias] [PARTITION p | PARTITIONS (p, ...)] [USING tables] [WHERE
   * condition]}.
   *
   * @param table the target table
   * @param alias the target's alias, or null
   * @param partitions the partitions named by {@code PARTITION p} / {@code PARTITIONS (p, ...)},
   *     empty for all
   * @param using the text after USING (tables and joins the condition may read), verbatim, or null
   * @param condition the WHERE condition's text, verbatim, or {@code null} for none
   */
  record Delete(
      TableName table, String alias, List<String> partitions, String using, String condition)
      implements Statement {
    public Delete {
      partitions = List.copyOf(partitions);
    }
  }

  /**
   * {@code UPDATE table [[AS] alias] SET column = expression [, ...] [FROM tables] [WHERE
   * condition]}.
   *
   * @param table the target table
   * @param alias the target's alias, or null
   * @param assignments the SET list in order
   * @param from the text after FROM (tables and joins the SET expressions and the condition may
   *     read), verbatim, or null
   * @param condition the WHERE condition's text, verbatim, or {@code null} for none
   */
  record Update(
      TableName table, String alias, List<Assignment> assignments, String from, String condition)
      implements Statement {}

  /**
   * One {@code [qualifier.]column = expression} of an UPDATE.
   *
   * @param qualifier the target's name or alias written before the column, or null
   * @param column the column name as written
   * @param expression the expression's text, verbatim
   */
  record Assignment(String qualifier, String column, String expression) {}

  /**
   * {@code EXPLAIN [level] statement}.
   *
   * @param level the upper-case level words (e.g. {@code VERBOSE}, {@code SHAPE PLAN}), "" when
   *     none
   * @param statement the explained statement's text
   * @param statementOffset where it starts in the statement text
   */
  record Explain(String level, String statement, int statementOffset) implements Statement {}

  // ---------------------------------------------------------------- databases

  /**
   * {@code CREATE DATABASE|SCHEMA [IF NOT EXISTS] name [PROPERTIES (...)]}.
   *
   * @param name the database
   * @param ifNotExists whether IF NOT EXISTS was written
   * @param properties the properties (ignored by Basalt)
   */
  record CreateDatabase(String name, boolean ifNotExists, Map<String, String> properties)
      implements Statement {}

  /** {@code DROP DATABASE|SCHEMA [IF EXISTS] name [FORCE]}. */
  record DropDatabase(String name, boolean ifExists, boolean force) implements Statement {}

  /**
   * {@code USE [catalog.]database}.
   *
   * @param catalog the catalog, or {@code null}
   * @param database the database
   */
  record UseDatabase(String catalog, String database) implements Statement {}

  // ---------------------------------------------------------------- tables

  /**
   * {@code CREATE TABLE [IF NOT EXISTS] [db.]t (columns, indexes) [ENGINE=OLAP] [keys] [COMMENT]
   * [PARTITION BY ...] [DISTRIBUTED BY ...] [PROPERTIES (...)]}.
   *
   * @param table the table
   * @param ifNotExists whether IF NOT EXISTS was written
   * @param columns the column definitions
   * @param indexes index definitions (accepted, not built)
   * @param keys the KEY clause, or {@code null} when omitted
   * @param comment the table comment, or {@code null}
   * @param partitioning the PARTITION BY clause, or {@code null}
   * @param distribution the DISTRIBUTED BY clause, or {@code null}
   * @param properties PROPERTIES in written order
   */
  record CreateTable(
      TableName table,
      boolean ifNotExists,
      List<ColumnDefinition> columns,
      List<IndexDefinition> indexes,
      KeysClause keys,
      String comment,
      PartitionClause partitioning,
      DistributionClause distribution,
      Map<String, String> properties)
      implements Statement {}

  /**
   * {@code CREATE TABLE [IF NOT EXISTS] t [(names)] [options] AS query}.
   *
   * @param table the table
   * @param ifNotExists whether IF NOT EXISTS was written
   * @param columnNames the column names given, empty when none
   * @param keys the KEY clause or {@code null}
   * @param comment the comment or {@code null}
   * @param partitioning PARTITION BY or {@code null}
   * @param distribution DISTRIBUTED BY or {@code null}
   * @param properties PROPERTIES
   * @param query the query text, verbatim
   * @param queryOffset where the query starts in the statement text
   */
  record CreateTableAsSelect(
      TableName table,
      boolean ifNotExists,
      List<String> columnNames,
      KeysClause keys,
      String comment,
      PartitionClause partitioning,
      DistributionClause distribution,
      Map<String, String> properties,
      String query,
      int queryOffset)
      implements Statement {}

  /** {@code CREATE TABLE [IF NOT EXISTS] t LIKE [db.]source}. */
  record CreateTableLike(TableName table, boolean ifNotExists, TableName source)
      implements Statement {}

  /** {@code DROP TABLE [IF EXISTS] [db.]t [FORCE]}. */
  record DropTable(TableName table, boolean ifExists, boolean force) implements Statement {}

  /**
   * {@code CREATE [OR REPLACE] VIEW} or {@code ALTER VIEW} ({@code alter}: the view must exist and
   * is replaced).
   *
   * @param columns the column list after the name; empty when none was written
   * @param query the query text after AS, as written
   * @param queryOffset where {@code query} starts in the statement text
   */
  record CreateView(
      TableName view,
      boolean ifNotExists,
      boolean orReplace,
      boolean alter,
      List<String> columns,
      String comment,
      String query,
      int queryOffset)
      implements Statement {
    public CreateView {
      columns = List.copyOf(columns);
    }
  }

  /** {@code DROP VIEW [IF EXISTS] v [, v2 ...]}. */
  record DropView(List<TableName> views, boolean ifExists) implements Statement {
    public DropView {
      views = List.copyOf(views);
    }
  }

  /** {@code SHOW CREATE VIEW v}. */
  record ShowCreateView(TableName view) implements Statement {}

  /**
   * {@code TRUNCATE TABLE [db.]t [PARTITION (p, ...)]}.
   *
   * @param partitions the partitions to empty; empty for the whole table
   */
  record TruncateTable(TableName table, List<String> partitions) implements Statement {
    public TruncateTable {
      partitions = List.copyOf(partitions);
    }
  }

  /** {@code ALTER TABLE t op, ...} and {@code RENAME TABLE a TO b}. */
  record AlterTable(TableName table, List<AlterOperation> operations) implements Statement {}

  // ---------------------------------------------------------------- SHOW and DESC

  /** {@code SHOW DATABASES [LIKE 'p']}. @param like the pattern or {@code null} */
  record ShowDatabases(String like) implements Statement {}

  /** {@code SHOW [FULL] TABLES [FROM db] [LIKE 'p']}; {@code database} null = current. */
  record ShowTables(String database, boolean full, String like) implements Statement {}

  /** {@code SHOW TABLE STATUS [FROM db] [LIKE 'p']}. */
  record ShowTableStatus(String database, String like) implements Statement {}

  /** {@code SHOW [BRIEF] CREATE TABLE t}. */
  record ShowCreateTable(TableName table) implements Statement {}

  /** {@code SHOW CREATE DATABASE db}. */
  record ShowCreateDatabase(String database) implements Statement {}

  /** {@code SHOW [FULL] COLUMNS FROM t [FROM db] [LIKE 'p']}. */
  record ShowColumns(TableName table, boolean full, String like) implements Statement {}

  /** {@code DESC|DESCRIBE t [ALL]}. */
  record Describe(TableName table, boolean all) implements Statement {}

  /**
   * {@code SHOW [TEMPORARY] PARTITIONS FROM t}.
   *
   * @param table the table
   * @param temporary whether its temporary partitions are listed instead of its partitions
   */
  record ShowPartitions(TableName table, boolean temporary) implements Statement {
    /** {@code SHOW PARTITIONS FROM t}: the formal partitions. */
    public ShowPartitions(TableName table) {
      this(table, false);
    }
  }

  /**
   * {@code SHOW TABLETS FROM t [[TEMPORARY] PARTITION[S] (p, ...)]}.
   *
   * @param partitions the partitions whose tablets to list; empty for every formal partition
   * @param temporary whether {@code partitions} names temporary partitions
   */
  record ShowTablets(TableName table, List<String> partitions, boolean temporary)
      implements Statement {
    public ShowTablets {
      partitions = List.copyOf(partitions);
    }

    /** {@code SHOW TABLETS FROM t}: every formal partition. */
    public ShowTablets(TableName table) {
      this(table, List.of(), false);
    }
  }

  /** {@code SHOW KEYS|INDEX|INDEXES FROM t}. */
  record ShowIndex(TableName table) implements Statement {}

  /**
   * {@code SHOW [GLOBAL|SESSION] VARIABLES [LIKE 'p']} (with WHERE it is wrapped in a {@link
   * FilteredShow}).
   *
   * @param scope the scope written
   * @param like the LIKE pattern or {@code null}
   */
  record ShowVariables(VariableScope scope, String like) implements Statement {}

  /** {@code SHOW [FULL] PROCESSLIST}. */
  record ShowProcessList(boolean full) implements Statement {}

  /** {@code SHOW WARNINGS} ({@code errors} false) or {@code SHOW ERRORS}. */
  record ShowWarnings(boolean errors) implements Statement {}

  /** {@code SHOW COUNT(*) WARNINGS} or {@code SHOW COUNT(*) ERRORS}. */
  record ShowWarningCount(boolean errors) implements Statement {}

  /** {@code SHOW ENGINES}. */
  record ShowEngines() implements Statement {}

  /** {@code SHOW CHARSET | CHARACTER SET [LIKE 'p']}. */
  record ShowCharset(String like) implements Statement {}

  /** {@code SHOW COLLATION [LIKE 'p']}. */
  record ShowCollation(String like) implements Statement {}

  /**
   * {@code SHOW GRANTS [FOR user]} ({@code user} null = current user) or {@code SHOW ALL GRANTS}.
   */
  record ShowGrants(UserIdentity user, boolean all) implements Statement {}

  /** {@code SHOW FRONTENDS}. */
  record ShowFrontends() implements Statement {}

  /**
   * {@code LOAD DATA LOCAL INFILE 'file' [REPLACE | IGNORE] INTO TABLE t [CHARACTER SET cs]
   * [FIELDS|COLUMNS [TERMINATED BY 's'] [[OPTIONALLY] ENCLOSED BY 'c'] [ESCAPED BY 'c']] [LINES
   * [STARTING BY 's'] [TERMINATED BY 's']] [IGNORE n LINES|ROWS] [(field, @variable, ...)] [SET
   * column = expression, ...]}: MySQL's load of a file from the client. Null clauses were not
   * given.
   *
   * @param fields the source fields in file order (a {@code @variable} by its name), or null
   * @param setExpressions column to expression text ({@code @variable} written as its name)
   */
  record LoadData(
      String fileName,
      TableName table,
      String fieldsTerminatedBy,
      String enclosedBy,
      String escapedBy,
      String linesStartingBy,
      String linesTerminatedBy,
      long ignoreLines,
      List<String> fields,
      Map<String, String> setExpressions)
      implements Statement {}

  /** {@code SHOW BACKENDS}. */
  record ShowBackends() implements Statement {}

  /**
   * {@code SHOW STREAM LOAD [FROM db]}.
   *
   * @param database the database, or null for the current one
   */
  record ShowStreamLoad(String database) implements Statement {}

  /**
   * {@code SHOW LOAD [FROM db] [WHERE c] [ORDER BY ...] [LIMIT n]}: the loads whose labels the
   * catalog keeps; the WHERE, ORDER BY and LIMIT apply to its rows as a {@link FilteredShow}.
   *
   * @param database the database, or null for the current one
   */
  record ShowLoad(String database) implements Statement {}

  /**
   * {@code SHOW ALTER TABLE COLUMN [FROM db] [WHERE ...] [ORDER BY ...] [LIMIT n]}: the schema
   * change jobs the catalog keeps (Doris's columns); the WHERE, ORDER BY and LIMIT apply to its
   * rows as a {@link FilteredShow}.
   *
   * @param database the database, or null for the current one
   */
  record ShowAlterTableColumn(String database) implements Statement {}

  // ---------------------------------------------------------------- session

  /** {@code SET assignment, ...}. */
  record Set(List<SetAssignment> assignments) implements Statement {
    public Set {
      assignments = List.copyOf(assignments);
    }
  }

  /**
   * {@code SET PASSWORD [FOR user] = PASSWORD('plain') | 'hash'}.
   *
   * @param user the user, or {@code null} for the current user
   * @param password the plaintext, or the {@code *HEX} hash text when {@code hashed}
   * @param hashed whether {@code password} is already a hash
   */
  record SetPassword(UserIdentity user, String password, boolean hashed) implements Statement {}

  /** {@code KILL [QUERY|CONNECTION] id}; {@code query} true kills only the running statement. */
  record Kill(boolean query, long connectionId) implements Statement {}

  /** The kinds of transaction control statement. */
  enum TransactionKind {
    BEGIN,
    COMMIT,
    ROLLBACK
  }

  /**
   * {@code BEGIN [WITH LABEL l] | START TRANSACTION | COMMIT | ROLLBACK}; {@code label} may be
   * null.
   */
  record TransactionControl(TransactionKind kind, String label) implements Statement {}

  // ---------------------------------------------------------------- users

  /**
   * {@code CREATE USER [IF NOT EXISTS] u[@h] [IDENTIFIED [WITH plugin] [BY [PASSWORD] 'pw' | AS
   * 'hash']]}.
   *
   * @param user the user
   * @param ifNotExists whether IF NOT EXISTS was written
   * @param password the plaintext (or hash text when {@code hashed}), {@code null} for none
   * @param hashed whether {@code IDENTIFIED BY PASSWORD '*HEX'} (or {@code AS '*HEX'}) was used
   * @param plugin the authentication plugin named by {@code WITH}, lower case, or {@code null}
   */
  record CreateUser(
      UserIdentity user, boolean ifNotExists, String password, boolean hashed, String plugin)
      implements Statement {
    public CreateUser(UserIdentity user, boolean ifNotExists, String password, boolean hashed) {
      this(user, ifNotExists, password, hashed, null);
    }
  }

  /**
   * {@code ALTER USER [IF EXISTS] u@h IDENTIFIED [WITH plugin] [BY [PASSWORD] 'pw' | AS 'hash']};
   * {@code plugin} is null when WITH is absent (the user keeps its plugin).
   */
  record AlterUser(
      UserIdentity user, boolean ifExists, String password, boolean hashed, String plugin)
      implements Statement {
    public AlterUser(UserIdentity user, boolean ifExists, String password, boolean hashed) {
      this(user, ifExists, password, hashed, null);
    }
  }

  /** {@code DROP USER [IF EXISTS] u@h}. */
  record DropUser(UserIdentity user, boolean ifExists) implements Statement {}

  /**
   * {@code GRANT privileges ON level TO grantee [WITH GRANT OPTION]} or {@code REVOKE privileges ON
   * level FROM grantee}.
   *
   * @param privileges what is granted or revoked (WITH GRANT OPTION adds GRANT)
   * @param target the level; its database is null for the current database
   * @param grantee the user, or the role when {@code toRole}
   */
  record GrantPrivileges(
      boolean revoke,
      java.util.Set<dev.basalt.meta.privilege.Privilege> privileges,
      PrivilegeTarget target,
      UserIdentity grantee,
      boolean toRole,
      List<String> selectColumns)
      implements Statement {
    /**
     * @param selectColumns the columns of {@code SELECT (c1, c2)} / {@code SELECT_PRIV(c1, c2)},
     *     granted or revoked at the column level (SELECT is then not in {@code privileges}); empty
     *     when there is no column list
     */
    public GrantPrivileges {
      selectColumns = selectColumns == null ? List.of() : List.copyOf(selectColumns);
    }

    public GrantPrivileges(
        boolean revoke,
        java.util.Set<dev.basalt.meta.privilege.Privilege> privileges,
        PrivilegeTarget target,
        UserIdentity grantee,
        boolean toRole) {
      this(revoke, privileges, target, grantee, toRole, List.of());
    }
  }

  /**
   * The level of a GRANT as written: {@code *.*} (global), {@code db.*} or {@code db.tbl}; {@code
   * database} null means the current database ({@code *} or a bare table name).
   */
  record PrivilegeTarget(boolean global, String database, String table) {
    /**
     * The level with the current database filled in.
     *
     * @throws BasaltException NO_DATABASE_SELECTED when the target needs one and there is none
     */
    public dev.basalt.meta.privilege.PrivilegeLevel level(String currentDatabase) {
      if (global) {
        return dev.basalt.meta.privilege.PrivilegeLevel.GLOBAL;
      }
      String name = database != null ? database : currentDatabase;
      if (name == null) {
        throw new dev.basalt.common.error.BasaltException(
            dev.basalt.common.error.ErrorCode.NO_DATABASE_SELECTED);
      }
      return new dev.basalt.meta.privilege.PrivilegeLevel(name, table);
    }
  }

  /** {@code GRANT 'role', ... TO user} or {@code REVOKE 'role', ... FROM user}. */
  record GrantRoles(boolean revoke, List<String> roles, UserIdentity user) implements Statement {}

  /** {@code CREATE ROLE [IF NOT EXISTS] name}. */
  record CreateRole(String name, boolean ifNotExists) implements Statement {}

  /** {@code DROP ROLE [IF EXISTS] name}. */
  record DropRole(String name, boolean ifExists) implements Statement {}

  /** {@code SHOW ROLES}. */
  record ShowRoles() implements Statement {}

  /**
   * {@code SHOW ... WHERE condition}: the inner SHOW's rows filtered by the condition, which names
   * the result's columns ({@code SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'}).
   */
  record FilteredShow(Statement show, String where) implements Statement {}

  /** {@code SHOW FUNCTION STATUS} / {@code SHOW PROCEDURE STATUS}: Basalt has no routines. */
  record ShowRoutineStatus(boolean procedures, String like) implements Statement {}

  /**
   * A SHOW of things Basalt never has ({@code SHOW TRIGGERS}, {@code SHOW EVENTS}, {@code SHOW
   * STATUS}, {@code SHOW PLUGINS}): MySQL's (for PLUGINS, Doris's) columns, no rows.
   */
  record ShowEmpty(String what, String like) implements Statement {}

  /** {@code SHOW PRIVILEGES}: the privileges Basalt knows, in Doris's columns. */
  record ShowPrivileges() implements Statement {}

  /** {@code SHOW DATA [FROM db | FROM db.t]}; {@code target} is null for the current database. */
  record ShowData(TableName target) implements Statement {}

  /**
   * {@code SHOW QUERY PROFILE ['/' | '/query_id']}: the kept query profiles, or one of them.
   *
   * @param path {@code /} for the list, {@code /<query id>} for one profile
   */
  record ShowQueryProfile(String path) implements Statement {}

  /** {@code SHOW PROC '/path'}. */
  record ShowProc(String path) implements Statement {}

  /** {@code ADMIN SHOW [FRONTEND] CONFIG [LIKE 'pattern']}. */
  record AdminShowConfig(String like) implements Statement {}

  /**
   * {@code ADMIN COMPACT TABLE t [WHERE type = 'BASE' | 'CUMULATIVE']}: compacts every tablet of
   * the table now; BASE (the default) merges all of a tablet's rowsets, CUMULATIVE only what the
   * background policy would.
   */
  record AdminCompact(TableName table, boolean base) implements Statement {}

  // ---------------------------------------------------------------- statistics

  /**
   * {@code ANALYZE TABLE t [(columns)]}: collects the table's statistics (docs/statistics.md).
   *
   * @param table the table
   * @param columns the columns to analyze, empty for all
   */
  record Analyze(TableName table, List<String> columns) implements Statement {}

  /** {@code DROP STATS t}: forgets the table's statistics (its joins run in FROM order again). */
  record DropStats(TableName table) implements Statement {}

  /** {@code SHOW TABLE STATS t}. */
  record ShowTableStats(TableName table) implements Statement {}

  /**
   * {@code SHOW COLUMN STATS t [(columns)]}.
   *
   * @param columns the columns to show, empty for all
   */
  record ShowColumnStats(TableName table, List<String> columns) implements Statement {}

  /** Doris's {@code SYNC}: waits for metadata replay; a no-op on a single frontend. */
  record Sync() implements Statement {}

  /** {@code LOCK TABLES ...} ({@code lock}) or {@code UNLOCK TABLES}: accepted, no effect. */
  record LockTables(boolean lock) implements Statement {}

  /**
   * {@code CREATE INDEX name ON t (columns) [USING type]} (as SQLAlchemy and pandas emit it, or
   * Doris's inverted index form).
   */
  record CreateIndex(TableName table, String name, List<String> columns, String using)
      implements Statement {}

  /** {@code DROP INDEX [IF EXISTS] name ON t}. */
  record DropIndex(TableName table, String name) implements Statement {}

  /**
   * MySQL's {@code ALTER TABLE t DISABLE KEYS} / {@code ENABLE KEYS} (mysqldump writes them around
   * its INSERTs): Basalt keeps no secondary indexes to pause, so only the table is checked.
   */
  record AlterTableKeys(TableName table, boolean enable) implements Statement {}
}
