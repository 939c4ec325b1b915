package dev.basalt.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.ColumnPosition;
import dev.basalt.meta.catalog.DefaultValue;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.privilege.Privilege;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class DorisParserTest {

  private static <T extends Statement> T parse(String sql, Class<T> type) {
    Statement statement = DorisParser.parse(sql);
    assertThat(statement).isInstanceOf(type);
    return type.cast(statement);
  }

  private static void assertError(ThrowingCallable call, ErrorCode code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void queriesAreHandedBackAsText() {
    assertThat(
            parse(
                    "/* mysql-connector-j-9.4.0 */SELECT @@version_comment LIMIT 1;",
                    Statement.QueryStatement.class)
                .text())
        .isEqualTo("SELECT @@version_comment LIMIT 1");
    assertThat(parse("with x as (select 1) select * from x", Statement.QueryStatement.class).text())
        .startsWith("with x");
    assertThat(parse("(select 1) union (select 2) ;;", Statement.QueryStatement.class).text())
        .isEqualTo("(select 1) union (select 2)");
    assertThat(parse("VALUES (1, 'a;b')", Statement.QueryStatement.class).text())
        .isEqualTo("VALUES (1, 'a;b')");
  }

  @Test
  void databases() {
    assertThat(
            DorisParser.parse(
                "CREATE DATABASE IF NOT EXISTS `my db` PROPERTIES (\"replication_num\" = \"1\")"))
        .isEqualTo(new Statement.CreateDatabase("my db", true, Map.of("replication_num", "1")));
    assertThat(DorisParser.parse("create schema d"))
        .isEqualTo(new Statement.CreateDatabase("d", false, Map.of()));
    assertThat(DorisParser.parse("DROP SCHEMA IF EXISTS d FORCE"))
        .isEqualTo(new Statement.DropDatabase("d", true, true));
    assertThat(DorisParser.parse("drop database d"))
        .isEqualTo(new Statement.DropDatabase("d", false, false));
    assertThat(DorisParser.parse("USE `Db1`")).isEqualTo(new Statement.UseDatabase(null, "Db1"));
    assertThat(DorisParser.parse("use internal.db1"))
        .isEqualTo(new Statement.UseDatabase("internal", "db1"));
  }

  @Test
  void createTableWithEverything() {
    String sql =
        """
        CREATE TABLE IF NOT EXISTS test.example_tbl
        (
            `user_id` LARGEINT NOT NULL COMMENT "user id",
            `date` DATEV2 NOT NULL,
            `city` VARCHAR(20),
            `age` SMALLINT(6) NULL,
            `last_visit_date` DATETIME(3) REPLACE DEFAULT "1970-01-01 00:00:00",
            `cost` BIGINT SUM DEFAULT "0",
            `price` DECIMALV3(10, 2) MAX DEFAULT -1.5,
            `ts` DATETIME MIN DEFAULT CURRENT_TIMESTAMP(3),
            `note` STRING REPLACE_IF_NOT_NULL DEFAULT NULL,
            INDEX idx_city (`city`) USING INVERTED PROPERTIES("parser" = "english") COMMENT 'city index'
        ) ENGINE=OLAP
        AGGREGATE KEY(`user_id`, `date`, `city`, `age`)
        COMMENT 'users'
        PARTITION BY RANGE(`date`)
        (
            PARTITION p1 VALUES LESS THAN ("2024-01-01"),
            PARTITION p2 VALUES [("2024-01-01"), ("2024-02-01")),
            PARTITION p3 VALUES LESS THAN MAXVALUE
        )
        DISTRIBUTED BY HASH(`user_id`) BUCKETS 8
        PROPERTIES ("replication_allocation" = "tag.location.default: 1", 'light_schema_change' = 'true');
        """;
    Statement.CreateTable create = parse(sql, Statement.CreateTable.class);
    assertThat(create.table()).isEqualTo(new TableName("test", "example_tbl"));
    assertThat(create.ifNotExists()).isTrue();
    assertThat(create.columns()).hasSize(9);
    assertThat(create.columns().get(0))
        .isEqualTo(
            new ColumnDefinition(
                "user_id",
                DataType.LARGEINT,
                false,
                AggregationType.NONE,
                false,
                false,
                DefaultValue.NONE,
                "user id"));
    assertThat(create.columns().get(1).type()).isEqualTo(DataType.DATE);
    assertThat(create.columns().get(2).type()).isEqualTo(DataType.varchar(20));
    assertThat(create.columns().get(2).nullable()).isNull();
    assertThat(create.columns().get(3).type()).isEqualTo(DataType.SMALLINT);
    assertThat(create.columns().get(4).type()).isEqualTo(DataType.datetime(3));
    assertThat(create.columns().get(4).aggregation()).isEqualTo(AggregationType.REPLACE);
    assertThat(create.columns().get(4).defaultValue())
        .isEqualTo(DefaultValue.literal("1970-01-01 00:00:00"));
    assertThat(create.columns().get(6).type()).isEqualTo(DataType.decimal(10, 2));
    assertThat(create.columns().get(6).defaultValue()).isEqualTo(DefaultValue.literal("-1.5"));
    assertThat(create.columns().get(7).defaultValue()).isEqualTo(DefaultValue.currentTimestamp(3));
    assertThat(create.columns().get(8).type()).isEqualTo(DataType.STRING);
    assertThat(create.columns().get(8).defaultValue()).isEqualTo(DefaultValue.NULL);
    assertThat(create.indexes())
        .singleElement()
        .satisfies(
            index -> {
              assertThat(index.name()).isEqualTo("idx_city");
              assertThat(index.using()).isEqualTo("INVERTED");
              assertThat(index.properties()).containsEntry("parser", "english");
            });
    assertThat(create.keys())
        .isEqualTo(new KeysClause(KeysType.AGG_KEYS, List.of("user_id", "date", "city", "age")));
    assertThat(create.comment()).isEqualTo("users");
    assertThat(create.partitioning().kind()).isEqualTo(PartitionKind.RANGE);
    assertThat(create.partitioning().partitions())
        .extracting(PartitionClause.PartitionDefinition::values)
        .containsExactly(
            new PartitionClause.LessThan(List.of("2024-01-01")),
            new PartitionClause.FixedRange(List.of("2024-01-01"), List.of("2024-02-01")),
            new PartitionClause.LessThan(List.of()));
    assertThat(create.distribution())
        .isEqualTo(new DistributionClause(DistributionKind.HASH, List.of("user_id"), 8, false));
    assertThat(create.properties())
        .containsExactly(
            Map.entry("replication_allocation", "tag.location.default: 1"),
            Map.entry("light_schema_change", "true"));
  }

  @Test
  void createTableVariants() {
    Statement.CreateTable list =
        parse(
            "create table t (k int, id bigint not null auto_increment(1), v varchar) unique key(k) partition by list(k) (partition p1 values in (1, 2), partition p2 values in ((3), (4))) distributed by random buckets auto",
            Statement.CreateTable.class);
    assertThat(list.columns().get(1).autoIncrement()).isTrue();
    assertThat(list.columns().get(2).type()).isEqualTo(DataType.varchar(65533));
    assertThat(list.partitioning().partitions().get(0).values())
        .isEqualTo(new PartitionClause.In(List.of(List.of("1"), List.of("2"))));
    assertThat(list.partitioning().partitions().get(1).values())
        .isEqualTo(new PartitionClause.In(List.of(List.of("3"), List.of("4"))));
    assertThat(list.distribution())
        .isEqualTo(new DistributionClause(DistributionKind.RANDOM, List.of(), 0, true));
    Statement.CreateTable bare =
        parse("CREATE TABLE t (k INT(11) KEY, c CHAR, d DECIMAL)", Statement.CreateTable.class);
    assertThat(bare.keys()).isNull();
    assertThat(bare.distribution()).isNull();
    assertThat(bare.columns().get(0).key()).isTrue();
    assertThat(bare.columns().get(1).type()).isEqualTo(DataType.character(1));
    assertThat(bare.columns().get(2).type()).isEqualTo(DataType.decimal(9, 0));

    Statement.CreateTableAsSelect ctas =
        parse(
            "CREATE TABLE t2 DUPLICATE KEY(a) DISTRIBUTED BY HASH(a) BUCKETS 2 AS SELECT a, b FROM t1 WHERE a > 1;",
            Statement.CreateTableAsSelect.class);
    assertThat(ctas.query()).isEqualTo("SELECT a, b FROM t1 WHERE a > 1");
    assertThat(ctas.queryOffset())
        .isEqualTo(
            "CREATE TABLE t2 DUPLICATE KEY(a) DISTRIBUTED BY HASH(a) BUCKETS 2 AS ".length());
    assertThat(ctas.keys().columns()).containsExactly("a");
    Statement.CreateTableAsSelect named =
        parse("create table t2 (x, y) as (select 1, 2)", Statement.CreateTableAsSelect.class);
    assertThat(named.columnNames()).containsExactly("x", "y");
    assertThat(named.query()).isEqualTo("(select 1, 2)");
    assertThat(DorisParser.parse("CREATE TABLE IF NOT EXISTS a.t LIKE b.src"))
        .isEqualTo(
            new Statement.CreateTableLike(
                new TableName("a", "t"), true, new TableName("b", "src")));
  }

  @Test
  void typeValidation() {
    assertError(
        () -> DorisParser.parse("create table t (d decimal(39, 2))"),
        ErrorCode.INVALID_DDL,
        "DECIMAL precision should between 1 and 38, but got 39");
    assertError(
        () -> DorisParser.parse("create table t (d decimal(5, 6))"),
        ErrorCode.INVALID_DDL,
        "scale 6");
    assertError(
        () -> DorisParser.parse("create table t (c char(256))"),
        ErrorCode.INVALID_DDL,
        "CHAR length");
    assertError(
        () -> DorisParser.parse("create table t (c varchar(65534))"),
        ErrorCode.INVALID_DDL,
        "VARCHAR length");
    assertError(
        () -> DorisParser.parse("create table t (c datetime(7))"),
        ErrorCode.INVALID_DDL,
        "DATETIME precision");
    assertError(
        () -> DorisParser.parse("create table t (c json)"),
        ErrorCode.UNSUPPORTED,
        "data type JSON");
    assertError(
        () -> DorisParser.parse("create table t (c array<int>)"),
        ErrorCode.UNSUPPORTED,
        "data type ARRAY");
    assertError(
        () -> DorisParser.parse("create table t (c agg_state<max_by(int, int)>)"),
        ErrorCode.UNSUPPORTED,
        "data type AGG_STATE");
    assertError(
        () -> DorisParser.parse("create table t (c blob)"),
        ErrorCode.SYNTAX_ERROR,
        "unknown data type blob near 'blob' at line 1, column 19");
    assertThat(DorisParser.typeKindOf("DATETIMEV2(6)"))
        .isEqualTo(dev.basalt.common.type.TypeKind.DATETIME);
  }

  @Test
  void syntaxErrorsCarryPosition() {
    assertError(
        () -> DorisParser.parse("SELEC 1"),
        ErrorCode.SYNTAX_ERROR,
        "unknown statement near 'SELEC' at line 1, column 1");
    assertError(
        () -> DorisParser.parse("create table t (\n  k int,\n  v int DEFALT 1)"),
        ErrorCode.SYNTAX_ERROR,
        "near 'DEFALT' at line 3, column 9");
    assertError(
        () -> DorisParser.parse("drop table"),
        ErrorCode.SYNTAX_ERROR,
        "expected an identifier near '' at line 1, column 11");
    assertError(
        () -> DorisParser.parse("create table t (k int) distributed by hash(k) buckets x"),
        ErrorCode.SYNTAX_ERROR,
        "expected a number near 'x' at line 1, column 55");
    assertError(
        () -> DorisParser.parse("select 'abc"),
        ErrorCode.SYNTAX_ERROR,
        "unterminated quoted string");
    assertError(
        () -> DorisParser.parse("drop table t extra"),
        ErrorCode.SYNTAX_ERROR,
        "unexpected input near 'extra'");
    assertError(() -> DorisParser.parse("   "), ErrorCode.SYNTAX_ERROR, "empty statement");
    assertThatThrownBy(() -> DorisParser.parse("SELEC 1"))
        .hasMessageStartingWith("You have an error in your SQL syntax; ");
  }

  @Test
  void tableStatements() {
    assertThat(DorisParser.parse("DROP TABLE IF EXISTS db.t FORCE"))
        .isEqualTo(new Statement.DropTable(new TableName("db", "t"), true, true));
    assertThat(DorisParser.parse("truncate table t"))
        .isEqualTo(new Statement.TruncateTable(new TableName(null, "t"), List.of()));
    assertThat(DorisParser.parse("TRUNCATE t"))
        .isEqualTo(new Statement.TruncateTable(new TableName(null, "t"), List.of()));
    assertThat(DorisParser.parse("TRUNCATE TABLE db.t PARTITION (p1, `p2`)"))
        .isEqualTo(new Statement.TruncateTable(new TableName("db", "t"), List.of("p1", "p2")));
    assertThat(DorisParser.parse("TRUNCATE TABLE t PARTITION p1"))
        .isEqualTo(new Statement.TruncateTable(new TableName(null, "t"), List.of("p1")));
    Statement.AlterTable alter =
        parse(
            "ALTER TABLE t ADD COLUMN c INT DEFAULT '1' AFTER b, DROP COLUMN d, MODIFY COLUMN v VARCHAR(30) COMMENT 'x' FIRST, RENAME COLUMN a b, RENAME t2",
            Statement.AlterTable.class);
    assertThat(alter.operations()).hasSize(5);
    assertThat(alter.operations().get(0))
        .isInstanceOfSatisfying(
            AlterOperation.AddColumns.class,
            add -> {
              assertThat(add.columns()).extracting(ColumnDefinition::name).containsExactly("c");
              assertThat(add.position()).isEqualTo(ColumnPosition.after("b"));
            });
    assertThat(alter.operations().get(1)).isEqualTo(new AlterOperation.DropColumn("d"));
    assertThat(alter.operations().get(2))
        .isInstanceOfSatisfying(
            AlterOperation.ModifyColumn.class,
            modify -> assertThat(modify.position().first()).isTrue());
    assertThat(alter.operations().get(3)).isEqualTo(new AlterOperation.RenameColumn("a", "b"));
    assertThat(alter.operations().get(4)).isEqualTo(new AlterOperation.RenameTable("t2"));
    Statement.AlterTable addMany =
        parse("alter table t add column (x int, y bigint sum)", Statement.AlterTable.class);
    assertThat(((AlterOperation.AddColumns) addMany.operations().get(0)).columns()).hasSize(2);
    assertThat(DorisParser.parse("RENAME TABLE a TO b"))
        .isEqualTo(
            new Statement.AlterTable(
                new TableName(null, "a"), List.of(new AlterOperation.RenameTable("b"))));
    Statement.AlterTable addPartition =
        parse(
            "alter table t add partition if not exists p1 values less than ('1')"
                + " distributed by hash(k) buckets 3",
            Statement.AlterTable.class);
    assertThat(addPartition.operations())
        .containsExactly(
            new AlterOperation.AddPartition(
                new PartitionClause.PartitionDefinition(
                    "p1", new PartitionClause.LessThan(List.of("1"))),
                true,
                3));
    assertThat(
            parse("alter table t drop partition if exists p1", Statement.AlterTable.class)
                .operations())
        .containsExactly(new AlterOperation.DropPartition("p1", true));
    assertThat(
            parse(
                    "ALTER TABLE t SET (\"dynamic_partition.enable\" = \"false\","
                        + " 'group_commit_data_bytes' = '1024')",
                    Statement.AlterTable.class)
                .operations())
        .containsExactly(
            new AlterOperation.SetProperties(
                java.util.Map.of(
                    "dynamic_partition.enable", "false", "group_commit_data_bytes", "1024")));
    assertThat(
            parse("alter table t add partition l values in ('a', 'b')", Statement.AlterTable.class)
                .operations())
        .containsExactly(
            new AlterOperation.AddPartition(
                new PartitionClause.PartitionDefinition(
                    "l", new PartitionClause.In(List.of(List.of("a"), List.of("b")))),
                false,
                0));
  }

  @Test
  void showAndDescribe() {
    assertThat(DorisParser.parse("SHOW DATABASES LIKE 'd%'"))
        .isEqualTo(new Statement.ShowDatabases("d%"));
    assertThat(DorisParser.parse("show full tables from db like 't%'"))
        .isEqualTo(new Statement.ShowTables("db", true, "t%"));
    assertThat(DorisParser.parse("SHOW TABLES"))
        .isEqualTo(new Statement.ShowTables(null, false, null));
    assertThat(DorisParser.parse("SHOW CREATE TABLE db.t"))
        .isEqualTo(new Statement.ShowCreateTable(new TableName("db", "t")));
    assertThat(DorisParser.parse("SHOW CREATE DATABASE db"))
        .isEqualTo(new Statement.ShowCreateDatabase("db"));
    assertThat(DorisParser.parse("SHOW FULL COLUMNS FROM t FROM db LIKE 'k%'"))
        .isEqualTo(new Statement.ShowColumns(new TableName("db", "t"), true, "k%"));
    assertThat(DorisParser.parse("SHOW COLUMNS IN t"))
        .isEqualTo(new Statement.ShowColumns(new TableName(null, "t"), false, null));
    assertThat(DorisParser.parse("DESC db.t"))
        .isEqualTo(new Statement.Describe(new TableName("db", "t"), false));
    assertThat(DorisParser.parse("DESCRIBE t ALL"))
        .isEqualTo(new Statement.Describe(new TableName(null, "t"), true));
    assertThat(DorisParser.parse("SHOW PARTITIONS FROM t"))
        .isEqualTo(new Statement.ShowPartitions(new TableName(null, "t")));
    assertThat(DorisParser.parse("SHOW TABLETS FROM db.t"))
        .isEqualTo(new Statement.ShowTablets(new TableName("db", "t")));
    assertThat(DorisParser.parse("SHOW TABLETS FROM t PARTITION (p1, p2)"))
        .isEqualTo(new Statement.ShowTablets(new TableName(null, "t"), List.of("p1", "p2"), false));
    assertThat(DorisParser.parse("SHOW TABLETS FROM t TEMPORARY PARTITIONS (tp)"))
        .isEqualTo(new Statement.ShowTablets(new TableName(null, "t"), List.of("tp"), true));
    assertThat(DorisParser.parse("SHOW TABLE STATUS FROM db LIKE 't'"))
        .isEqualTo(new Statement.ShowTableStatus("db", "t"));
    assertThat(DorisParser.parse("SHOW GLOBAL VARIABLES LIKE 'version%'"))
        .isEqualTo(new Statement.ShowVariables(VariableScope.GLOBAL, "version%"));
    assertThat(DorisParser.parse("SHOW SESSION VARIABLES WHERE Variable_name IN ('a', 'b')"))
        .isEqualTo(
            new Statement.FilteredShow(
                new Statement.ShowVariables(VariableScope.SESSION, null),
                "Variable_name IN ('a', 'b')"));
    assertThat(DorisParser.parse("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE';"))
        .isEqualTo(
            new Statement.FilteredShow(
                new Statement.ShowTables(null, true, null), "Table_type = 'BASE TABLE'"));
    assertThat(DorisParser.parse("SHOW DATA FROM db.t"))
        .isEqualTo(new Statement.ShowData(new TableName("db", "t")));
    assertThat(DorisParser.parse("SHOW PROC '/dbs'")).isEqualTo(new Statement.ShowProc("/dbs"));
    assertThat(DorisParser.parse("SHOW QUERY PROFILE \"/\""))
        .isEqualTo(new Statement.ShowQueryProfile("/"));
    assertThat(DorisParser.parse("SHOW QUERY PROFILE '/abc-1'"))
        .isEqualTo(new Statement.ShowQueryProfile("/abc-1"));
    assertThat(DorisParser.parse("SHOW QUERY PROFILE"))
        .isEqualTo(new Statement.ShowQueryProfile("/"));
    assertThat(DorisParser.parse("ADMIN SHOW FRONTEND CONFIG LIKE 'x%'"))
        .isEqualTo(new Statement.AdminShowConfig("x%"));
    assertThat(DorisParser.parse("sync")).isEqualTo(new Statement.Sync());
    assertThat(DorisParser.parse("SHOW VARIABLES"))
        .isEqualTo(new Statement.ShowVariables(VariableScope.DEFAULT, null));
    assertThat(DorisParser.parse("SHOW FULL PROCESSLIST"))
        .isEqualTo(new Statement.ShowProcessList(true));
    assertThat(DorisParser.parse("SHOW WARNINGS LIMIT 10"))
        .isEqualTo(new Statement.ShowWarnings(false));
    assertThat(DorisParser.parse("SHOW ERRORS")).isEqualTo(new Statement.ShowWarnings(true));
    assertThat(DorisParser.parse("SHOW ENGINES")).isEqualTo(new Statement.ShowEngines());
    assertThat(DorisParser.parse("SHOW CHARACTER SET LIKE 'utf8%'"))
        .isEqualTo(new Statement.ShowCharset("utf8%"));
    assertThat(DorisParser.parse("SHOW CHARSET")).isEqualTo(new Statement.ShowCharset(null));
    assertThat(DorisParser.parse("SHOW COLLATION")).isEqualTo(new Statement.ShowCollation(null));
    assertThat(DorisParser.parse("SHOW KEYS FROM t"))
        .isEqualTo(new Statement.ShowIndex(new TableName(null, "t")));
    assertThat(DorisParser.parse("SHOW INDEX FROM t FROM db"))
        .isEqualTo(new Statement.ShowIndex(new TableName("db", "t")));
    assertThat(DorisParser.parse("SHOW GRANTS FOR 'u'@'%'"))
        .isEqualTo(new Statement.ShowGrants(new UserIdentity("u", "%"), false));
    assertThat(DorisParser.parse("SHOW FRONTENDS")).isEqualTo(new Statement.ShowFrontends());
    assertThat(DorisParser.parse("SHOW BACKENDS")).isEqualTo(new Statement.ShowBackends());
    assertError(() -> DorisParser.parse("SHOW MAGIC"), ErrorCode.UNSUPPORTED, "SHOW MAGIC");
  }

  @Test
  void setStatements() {
    assertThat(DorisParser.parse("SET autocommit=1"))
        .isEqualTo(
            new Statement.Set(
                List.of(
                    new SetAssignment.SystemVariable(VariableScope.DEFAULT, "autocommit", "1"))));
    assertThat(DorisParser.parse("SET NAMES utf8mb4 COLLATE utf8mb4_general_ci"))
        .isEqualTo(
            new Statement.Set(List.of(new SetAssignment.Names("utf8mb4", "utf8mb4_general_ci"))));
    assertThat(DorisParser.parse("SET CHARACTER SET utf8"))
        .isEqualTo(new Statement.Set(List.of(new SetAssignment.Names("utf8", null))));
    Statement.Set many =
        parse(
            "SET @@session.sql_mode = concat(@@sql_mode, ',STRICT'), GLOBAL query_timeout = 600, @x := 'a,b', @@Exec_Mem_Limit=1",
            Statement.Set.class);
    assertThat(many.assignments())
        .containsExactly(
            new SetAssignment.SystemVariable(
                VariableScope.SESSION, "sql_mode", "concat(@@sql_mode, ',STRICT')"),
            new SetAssignment.SystemVariable(VariableScope.GLOBAL, "query_timeout", "600"),
            new SetAssignment.UserVariable("x", "'a,b'"),
            new SetAssignment.SystemVariable(VariableScope.DEFAULT, "exec_mem_limit", "1"));
    assertThat(DorisParser.parse("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"))
        .isEqualTo(
            new Statement.Set(
                List.of(
                    new SetAssignment.Transaction(VariableScope.SESSION, "READ-COMMITTED", null))));
    assertThat(DorisParser.parse("SET PASSWORD = PASSWORD('secret')"))
        .isEqualTo(new Statement.SetPassword(null, "secret", false));
    assertThat(
            DorisParser.parse(
                "SET PASSWORD FOR 'bob'@'%' = '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9'"))
        .isEqualTo(
            new Statement.SetPassword(
                new UserIdentity("bob", "%"), "*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9", true));
    assertError(() -> DorisParser.parse("SET x ="), ErrorCode.SYNTAX_ERROR, "expected a value");
  }

  @Test
  void usersAndGrants() {
    assertThat(
            DorisParser.parse(
                "CREATE USER u IDENTIFIED WITH caching_sha2_password BY 'p' DEFAULT ROLE r"))
        .isEqualTo(
            new Statement.CreateUser(
                new UserIdentity("u", "%"), false, "p", false, "caching_sha2_password"));
    assertThat(DorisParser.parse("ALTER USER u IDENTIFIED WITH 'mysql_native_password'"))
        .isEqualTo(
            new Statement.AlterUser(
                new UserIdentity("u", "%"), false, null, false, "mysql_native_password"));
    assertThat(DorisParser.parse("CREATE USER u IDENTIFIED WITH mysql_native_password AS '*AB'"))
        .isEqualTo(
            new Statement.CreateUser(
                new UserIdentity("u", "%"), false, "*AB", true, "mysql_native_password"));
    assertThat(DorisParser.parse("CREATE USER IF NOT EXISTS 'jack'@'%' IDENTIFIED BY '123456'"))
        .isEqualTo(new Statement.CreateUser(new UserIdentity("jack", "%"), true, "123456", false));
    assertThat(DorisParser.parse("create user jack"))
        .isEqualTo(new Statement.CreateUser(new UserIdentity("jack", "%"), false, null, false));
    assertThat(DorisParser.parse("ALTER USER jack@'192.%' IDENTIFIED BY 'x'"))
        .isEqualTo(new Statement.AlterUser(new UserIdentity("jack", "192.%"), false, "x", false));
    assertThat(DorisParser.parse("DROP USER IF EXISTS 'jack'@'%'"))
        .isEqualTo(new Statement.DropUser(new UserIdentity("jack", "%"), true));
    UserIdentity jack = new UserIdentity("jack", "%");
    assertThat(DorisParser.parse("GRANT SELECT_PRIV ON db.* TO 'jack'@'%'"))
        .isEqualTo(
            new Statement.GrantPrivileges(
                false,
                EnumSet.of(Privilege.SELECT),
                new Statement.PrivilegeTarget(false, "db", null),
                jack,
                false));
    assertThat(DorisParser.parse("revoke all on *.* from jack"))
        .isEqualTo(
            new Statement.GrantPrivileges(
                true, Privilege.ALL, new Statement.PrivilegeTarget(true, null, null), jack, false));
    assertThat(
            DorisParser.parse(
                "GRANT SELECT, INSERT, ALTER ON internal.db.t TO jack WITH GRANT OPTION"))
        .isEqualTo(
            new Statement.GrantPrivileges(
                false,
                EnumSet.of(Privilege.SELECT, Privilege.LOAD, Privilege.ALTER, Privilege.GRANT),
                new Statement.PrivilegeTarget(false, "db", "t"),
                jack,
                false));
    assertThat(DorisParser.parse("GRANT LOAD_PRIV ON *.*.* TO ROLE 'loader'"))
        .isEqualTo(
            new Statement.GrantPrivileges(
                false,
                EnumSet.of(Privilege.LOAD),
                new Statement.PrivilegeTarget(true, null, null),
                new UserIdentity("loader", "%"),
                true));
    assertThat(DorisParser.parse("GRANT ALL PRIVILEGES ON * TO jack"))
        .isEqualTo(
            new Statement.GrantPrivileges(
                false,
                Privilege.ALL,
                new Statement.PrivilegeTarget(false, null, null),
                jack,
                false));
    assertThat(DorisParser.parse("GRANT 'admin', 'loader' TO jack"))
        .isEqualTo(new Statement.GrantRoles(false, List.of("admin", "loader"), jack));
    assertThat(DorisParser.parse("REVOKE 'loader' FROM 'jack'@'%'"))
        .isEqualTo(new Statement.GrantRoles(true, List.of("loader"), jack));
    assertThat(DorisParser.parse("CREATE ROLE IF NOT EXISTS analyst"))
        .isEqualTo(new Statement.CreateRole("analyst", true));
    assertThat(DorisParser.parse("DROP ROLE 'analyst'"))
        .isEqualTo(new Statement.DropRole("analyst", false));
    assertThat(DorisParser.parse("SHOW ROLES")).isEqualTo(new Statement.ShowRoles());
    assertThat(DorisParser.parse("SHOW ALL GRANTS"))
        .isEqualTo(new Statement.ShowGrants(null, true));
    assertThatThrownBy(() -> DorisParser.parse("GRANT FLY_PRIV ON *.* TO jack"))
        .hasMessageContaining("unknown privilege FLY_PRIV");
  }

  @Test
  void insertExplainKillAndTransactions() {
    String sql =
        "INSERT INTO db.t PARTITION (p1, p2) WITH LABEL `load_1` (a, b) VALUES (1, 'x'), (2, 'y');";
    Statement.Insert insert = parse(sql, Statement.Insert.class);
    assertThat(insert.table()).isEqualTo(new TableName("db", "t"));
    assertThat(insert.partitions()).containsExactly("p1", "p2");
    assertThat(insert.label()).isEqualTo("load_1");
    assertThat(insert.columns()).containsExactly("a", "b");
    assertThat(insert.source()).isEqualTo("VALUES (1, 'x'), (2, 'y')");
    assertThat(sql.substring(insert.sourceOffset())).startsWith("VALUES (1");
    // The VALUES list is left to the INSERT: not lexed here, so not refused here either.
    assertThat(parse("INSERT INTO t VALUES (1, 'open ;  ;", Statement.Insert.class).source())
        .isEqualTo("VALUES (1, 'open");
    assertThat(
            parse("insert into t select * from (values (1)) v ;", Statement.Insert.class).source())
        .isEqualTo("select * from (values (1)) v");
    Statement.Insert select = parse("insert into t (select * from s)", Statement.Insert.class);
    assertThat(select.columns()).isEmpty();
    assertThat(select.source()).isEqualTo("(select * from s)");
    Statement.Insert overwrite = parse("INSERT OVERWRITE TABLE t SELECT 1", Statement.Insert.class);
    assertThat(overwrite.overwrite()).isTrue();
    assertError(
        () -> DorisParser.parse("insert into t set a = 1"),
        ErrorCode.SYNTAX_ERROR,
        "expected VALUES or a query near 'set'");

    assertThat(DorisParser.parse("EXPLAIN VERBOSE SELECT 1"))
        .isEqualTo(new Statement.Explain("VERBOSE", "SELECT 1", 16));
    assertThat(DorisParser.parse("explain shape plan select 1"))
        .isEqualTo(new Statement.Explain("SHAPE PLAN", "select 1", 19));
    assertThat(DorisParser.parse("EXPLAIN INSERT INTO t VALUES (1)"))
        .isEqualTo(new Statement.Explain("", "INSERT INTO t VALUES (1)", 8));
    assertThat(DorisParser.parse("KILL 12")).isEqualTo(new Statement.Kill(false, 12));
    assertThat(DorisParser.parse("KILL QUERY 12")).isEqualTo(new Statement.Kill(true, 12));
    assertThat(DorisParser.parse("BEGIN"))
        .isEqualTo(new Statement.TransactionControl(Statement.TransactionKind.BEGIN, null));
    assertThat(DorisParser.parse("begin with label l1"))
        .isEqualTo(new Statement.TransactionControl(Statement.TransactionKind.BEGIN, "l1"));
    assertThat(DorisParser.parse("START TRANSACTION"))
        .isEqualTo(new Statement.TransactionControl(Statement.TransactionKind.BEGIN, null));
    assertThat(DorisParser.parse("COMMIT"))
        .isEqualTo(new Statement.TransactionControl(Statement.TransactionKind.COMMIT, null));
    assertThat(DorisParser.parse("rollback work"))
        .isEqualTo(new Statement.TransactionControl(Statement.TransactionKind.ROLLBACK, null));
  }

  @Test
  void commentsAreSkipped() {
    assertThat(
            DorisParser.parse(
                "-- leading\n# hash\n/* block */ DROP /* inner */ TABLE t -- trailing"))
        .isEqualTo(new Statement.DropTable(new TableName(null, "t"), false, false));
  }
}
