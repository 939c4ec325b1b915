package dev.basalt.sql.ddl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.ResultSet;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.Passwords;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.meta.store.MetaStore;
import dev.basalt.sql.parser.DorisParser;
import dev.basalt.sql.parser.Statement;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DDL and SHOW over a catalog in a temporary SQLite file. */
class DdlExecutorTest {
  @TempDir Path directory;
  private MetaStore store;
  private Catalog catalog;
  private DdlExecutor ddl;
  private ShowExecutor show;
  private final List<String> reclaimed = new ArrayList<>();

  @BeforeEach
  void open() {
    store = JdbcMetaStore.openSqlite(directory.resolve("meta.db"));
    catalog = Catalog.open(store);
    ddl = new DdlExecutor(catalog, reclaimed::addAll);
    show = new ShowExecutor(catalog, ZoneId.of("Asia/Shanghai"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void run(String sql) {
    run(sql, "db");
  }

  private void run(String sql, String database) {
    Statement statement = DorisParser.parse(sql);
    assertThat(DdlExecutor.handles(statement)).as(sql).isTrue();
    ddl.execute(statement, database);
  }

  private List<List<Object>> query(String sql) {
    Statement statement = DorisParser.parse(sql);
    assertThat(ShowExecutor.handles(statement)).as(sql).isTrue();
    ResultSet result = show.execute(statement, "db");
    List<List<Object>> rows = new ArrayList<>();
    for (Batch batch = result.rows().next(); batch != null; batch = result.rows().next()) {
      for (int row = 0; row < batch.rowCount(); row++) {
        List<Object> values = new ArrayList<>();
        for (int column = 0; column < batch.columnCount(); column++) {
          values.add(batch.column(column).getObject(row));
        }
        rows.add(values);
      }
    }
    result.rows().close();
    return rows;
  }

  private List<String> columnNames(String sql) {
    return show.execute(DorisParser.parse(sql), "db").columns().stream()
        .map(c -> c.name())
        .toList();
  }

  private static void assertCode(Runnable call, ErrorCode code, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).contains(message);
            });
  }

  private TableMeta table(String name) {
    return catalog.table("db", name).orElseThrow();
  }

  @Test
  void databaseErrors() {
    run("CREATE DATABASE db");
    assertCode(() -> run("CREATE DATABASE db"), ErrorCode.DATABASE_EXISTS, "database exists");
    run("CREATE DATABASE IF NOT EXISTS db");
    assertCode(
        () -> run("CREATE DATABASE information_schema"),
        ErrorCode.DATABASE_EXISTS,
        "information_schema");
    assertCode(
        () -> run("CREATE TABLE t (k INT)", null),
        ErrorCode.NO_DATABASE_SELECTED,
        "No database selected");
    assertCode(
        () -> run("CREATE TABLE nodb.t (k INT)"),
        ErrorCode.UNKNOWN_DATABASE,
        "Unknown database 'nodb'");
    assertCode(() -> run("DROP DATABASE nodb"), ErrorCode.UNKNOWN_DATABASE, "nodb");
    run("DROP DATABASE IF EXISTS nodb");
    assertThat(query("SHOW DATABASES"))
        .containsExactly(List.of("information_schema"), List.of("db"));
    assertThat(query("SHOW DATABASES LIKE 'D%'")).containsExactly(List.of("db"));
    assertThat(query("SHOW CREATE DATABASE db"))
        .containsExactly(List.of("db", "CREATE DATABASE `db`"));
  }

  @Test
  void tableModelRules() {
    run("CREATE DATABASE db");
    run("CREATE TABLE dup (k1 INT, k2 DATE, name VARCHAR(20), v DOUBLE, w INT)");
    TableMeta dup = table("dup");
    assertThat(dup.keysType()).isEqualTo(KeysType.DUP_KEYS);
    assertThat(dup.keyColumns()).containsExactly("k1", "k2", "name");
    assertThat(dup.distribution().kind()).isEqualTo(DistributionKind.RANDOM);
    assertThat(dup.distribution().autoBuckets()).isTrue();

    run(
        "CREATE TABLE agg (k INT, s BIGINT SUM, m VARCHAR(5) MAX) DISTRIBUTED BY HASH(k) BUCKETS 2");
    TableMeta agg = table("agg");
    assertThat(agg.keysType()).isEqualTo(KeysType.AGG_KEYS);
    assertThat(agg.keyColumns()).containsExactly("k");
    assertThat(agg.columns())
        .extracting(ColumnMeta::aggregation)
        .containsExactly(AggregationType.NONE, AggregationType.SUM, AggregationType.MAX);

    run(
        "CREATE TABLE u (id BIGINT NOT NULL AUTO_INCREMENT, k INT, v STRING) UNIQUE KEY(id, k) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ('replication_num' = '1')");
    TableMeta unique = table("u");
    assertThat(unique.properties())
        .containsEntry("enable_unique_key_merge_on_write", "true")
        .containsEntry("replication_allocation", "tag.location.default: 1");
    assertThat(unique.column("id").orElseThrow().nullable()).isFalse();

    assertCode(
        () -> run("CREATE TABLE e1 (k INT, v INT) AGGREGATE KEY(k) DISTRIBUTED BY HASH(k)"),
        ErrorCode.INVALID_DDL,
        "must be key column or have an aggregation type");
    assertCode(
        () -> run("CREATE TABLE e2 (k INT, v INT SUM) DUPLICATE KEY(k)"),
        ErrorCode.INVALID_DDL,
        "can not have aggregation type");
    assertCode(
        () -> run("CREATE TABLE e3 (k INT, v INT) UNIQUE KEY(v)"),
        ErrorCode.INVALID_DDL,
        "Key columns should be a ordered prefix of the schema");
    assertCode(
        () -> run("CREATE TABLE e4 (k DOUBLE, v INT) DUPLICATE KEY(k)"),
        ErrorCode.INVALID_DDL,
        "Float or double should not be used in key column[k]");
    assertCode(
        () -> run("CREATE TABLE e5 (k STRING, v INT) UNIQUE KEY(k)"),
        ErrorCode.INVALID_DDL,
        "String Type should not be used in key column[k]");
    assertCode(
        () -> run("CREATE TABLE e6 (k INT, v INT) UNIQUE KEY(k) DISTRIBUTED BY RANDOM"),
        ErrorCode.INVALID_DDL,
        "Random distribution for unique key table");
    assertCode(
        () ->
            run(
                "CREATE TABLE e7 (k INT, v INT REPLACE) AGGREGATE KEY(k) DISTRIBUTED BY RANDOM BUCKETS 1"),
        ErrorCode.INVALID_DDL,
        "random distribution");
    assertCode(
        () ->
            run(
                "CREATE TABLE e8 (k INT, v INT) UNIQUE KEY(k) PARTITION BY RANGE(v) (PARTITION p VALUES LESS THAN ('1'))"),
        ErrorCode.INVALID_DDL,
        "partition column");
    assertCode(
        () -> run("CREATE TABLE e9 (k INT) PROPERTIES ('replication_nmu' = '1')"),
        ErrorCode.UNKNOWN_PROPERTY,
        "Unknown table property 'replication_nmu'");
    assertCode(
        () -> run("CREATE TABLE e10 (k INT, K INT)"),
        ErrorCode.DUPLICATE_COLUMN,
        "Duplicate column name 'K'");
    assertCode(
        () -> run("CREATE TABLE e11 (k INT) DUPLICATE KEY(x)"),
        ErrorCode.UNKNOWN_COLUMN,
        "Unknown column 'x'");
    assertCode(
        () -> run("CREATE TABLE e12 (v DOUBLE, k INT)"),
        ErrorCode.INVALID_DDL,
        "first column could not be float");
    assertCode(
        () -> run("CREATE TABLE e13 (k INT, v INT) DISTRIBUTED BY HASH(nope)"),
        ErrorCode.UNKNOWN_COLUMN,
        "nope");
    assertCode(
        () ->
            run(
                "CREATE TABLE e14 (k INT, v INT) UNIQUE KEY(k) PROPERTIES ('function_column.sequence_col' = 'missing')"),
        ErrorCode.UNKNOWN_COLUMN,
        "missing");
    assertCode(
        () -> run("CREATE TABLE e15 (k INT, id DOUBLE AUTO_INCREMENT)"),
        ErrorCode.INVALID_DDL,
        "BIGINT");
    assertCode(
        () -> run("CREATE TABLE dup (k INT)"),
        ErrorCode.TABLE_EXISTS,
        "Table 'dup' already exists");
    run("CREATE TABLE IF NOT EXISTS dup (k INT)");
    assertThat(catalog.tables("db")).extracting(TableMeta::name).containsExactly("agg", "dup", "u");
  }

  @Test
  void partitionsAndShowCreateTable() {
    run("CREATE DATABASE db");
    run(
        """
        CREATE TABLE events (
          `d` DATE NOT NULL COMMENT 'day',
          `id` BIGINT,
          `amount` DECIMAL(10, 2) DEFAULT "0",
          `ts` DATETIME DEFAULT CURRENT_TIMESTAMP
        ) DUPLICATE KEY(`d`, `id`)
        COMMENT 'the events'
        PARTITION BY RANGE(`d`) (
          PARTITION p2023 VALUES LESS THAN ("2024-01-01"),
          PARTITION p2024 VALUES LESS THAN ("2025-01-01"),
          PARTITION pmax VALUES LESS THAN MAXVALUE
        )
        DISTRIBUTED BY HASH(`id`) BUCKETS 2
        PROPERTIES ("replication_allocation" = "tag.location.default: 1", "compression" = "ZSTD")""");
    TableMeta events = table("events");
    assertThat(events.partitions()).hasSize(3);
    assertThat(events.partitions().get(1).lowerBound()).containsExactly("2024-01-01");
    String create = (String) query("SHOW CREATE TABLE events").get(0).get(1);
    assertThat(create)
        .isEqualTo(
            """
        CREATE TABLE `events` (
          `d` date NOT NULL COMMENT 'day',
          `id` bigint NULL,
          `amount` decimal(10,2) NULL DEFAULT "0",
          `ts` datetime NULL DEFAULT CURRENT_TIMESTAMP
        ) ENGINE=OLAP
        DUPLICATE KEY(`d`, `id`)
        COMMENT 'the events'
        PARTITION BY RANGE(`d`)
        (PARTITION p2023 VALUES [("0000-01-01"), ("2024-01-01")),
        PARTITION p2024 VALUES [("2024-01-01"), ("2025-01-01")),
        PARTITION pmax VALUES [("2025-01-01"), (MAXVALUE)))
        DISTRIBUTED BY HASH(`id`) BUCKETS 2
        PROPERTIES (
        "replication_allocation" = "tag.location.default: 1",
        "min_load_replica_num" = "-1",
        "is_being_synced" = "false",
        "storage_medium" = "hdd",
        "storage_format" = "V2",
        "inverted_index_storage_format" = "V2",
        "light_schema_change" = "true",
        "disable_auto_compaction" = "false",
        "enable_single_replica_compaction" = "false",
        "group_commit_interval_ms" = "1000",
        "group_commit_data_bytes" = "67108864",
        "compression" = "ZSTD"
        );""");
    // The printed statement parses and creates an equal table.
    run(create.replace("`events`", "`events_copy`"));
    TableMeta copy = table("events_copy");
    assertThat(copy.columns()).isEqualTo(events.columns());
    assertThat(copy.partitions())
        .extracting(p -> p.lowerBound() + ".." + p.upperBound())
        .containsExactlyElementsOf(
            events.partitions().stream().map(p -> p.lowerBound() + ".." + p.upperBound()).toList());

    List<List<Object>> partitions = query("SHOW PARTITIONS FROM events");
    assertThat(columnNames("SHOW PARTITIONS FROM events"))
        .startsWith(
            "PartitionId",
            "PartitionName",
            "VisibleVersion",
            "VisibleVersionTime",
            "State",
            "PartitionKey",
            "Range");
    assertThat(partitions).extracting(row -> row.get(1)).containsExactly("p2023", "p2024", "pmax");
    assertThat(partitions.get(0).get(2)).isEqualTo("1");
    assertThat(partitions.get(0).get(6))
        .isEqualTo(
            "[types: [DATEV2]; keys: [0000-01-01]; ..types: [DATEV2]; keys: [2024-01-01]; )");
    assertThat(partitions.get(0).get(8)).isEqualTo("2");

    assertCode(
        () ->
            run(
                "CREATE TABLE bad (d DATE) PARTITION BY RANGE(d) (PARTITION a VALUES LESS THAN ('2024-02-01'), PARTITION b VALUES LESS THAN ('2024-01-01'))"),
        ErrorCode.INVALID_DDL,
        "must be larger");
    assertCode(
        () ->
            run(
                "CREATE TABLE bad (d DATE) PARTITION BY RANGE(d) (PARTITION a VALUES LESS THAN MAXVALUE, PARTITION b VALUES LESS THAN ('2024-01-01'))"),
        ErrorCode.INVALID_DDL,
        "after a MAXVALUE partition");
    assertCode(
        () ->
            run(
                "CREATE TABLE bad (d DATE) PARTITION BY RANGE(d) (PARTITION a VALUES LESS THAN ('tomorrow'))"),
        ErrorCode.INVALID_DDL,
        "Invalid partition value 'tomorrow'");
    run(
        "CREATE TABLE lists (city VARCHAR(10), v INT) PARTITION BY LIST(city) (PARTITION north VALUES IN ('Beijing', 'Harbin'), PARTITION south VALUES IN ('Guangzhou')) DISTRIBUTED BY HASH(city) BUCKETS 1");
    assertThat((String) query("SHOW CREATE TABLE lists").get(0).get(1))
        .contains(
            "PARTITION BY LIST(`city`)\n(PARTITION north VALUES IN (\"Beijing\",\"Harbin\"),\nPARTITION south VALUES IN (\"Guangzhou\"))");
    assertThat(query("SHOW PARTITIONS FROM lists").get(0).get(6))
        .isEqualTo(
            "[types: [VARCHAR(10)]; keys: [Beijing]; , types: [VARCHAR(10)]; keys: [Harbin]; ]");
  }

  @Test
  void showTablesColumnsTabletsAndStatus() {
    run("CREATE DATABASE db");
    run(
        "CREATE TABLE t (k INT COMMENT 'key', v BIGINT SUM DEFAULT '0', s VARCHAR(8) REPLACE) AGGREGATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
    assertThat(query("SHOW TABLES")).containsExactly(List.of("t"));
    assertThat(columnNames("SHOW FULL TABLES")).containsExactly("Tables_in_db", "Table_type");
    assertThat(query("SHOW FULL TABLES LIKE 'x%'")).isEmpty();
    assertThat(query("DESC t"))
        .containsExactly(
            java.util.Arrays.asList("k", "int", "Yes", "true", null, ""),
            java.util.Arrays.asList("v", "bigint", "Yes", "false", "0", "SUM"),
            java.util.Arrays.asList("s", "varchar(8)", "Yes", "false", null, "REPLACE"));
    assertThat(columnNames("SHOW FULL COLUMNS FROM t"))
        .containsExactly(
            "Field",
            "Type",
            "Collation",
            "Null",
            "Key",
            "Default",
            "Extra",
            "Privileges",
            "Comment");
    assertThat(query("SHOW FULL COLUMNS FROM t LIKE 'k'"))
        .singleElement()
        .satisfies(row -> assertThat(row.get(8)).isEqualTo("key"));
    assertThat(query("SHOW COLUMNS FROM t").get(2).get(1)).isEqualTo("varchar(8)");
    assertThat(query("DESC t ALL").get(0).subList(0, 4))
        .containsExactly("t", "AGG_KEYS", "k", "int");

    TableMeta table = table("t");
    long tablet = table.partitions().get(0).tabletIds().get(0);
    catalog.commitLoad(
        table.id(), "l1", Map.of(tablet, List.of(new SegmentFile("seg1", 10, 2048))), 10);
    List<List<Object>> tablets = query("SHOW TABLETS FROM t");
    assertThat(tablets).hasSize(2);
    List<Object> loaded =
        tablets.stream()
            .filter(row -> row.get(0).equals(String.valueOf(tablet)))
            .findFirst()
            .orElseThrow();
    assertThat(loaded.get(4)).isEqualTo("2");
    assertThat(loaded.get(10)).isEqualTo("10");
    assertThat(loaded.get(15)).isEqualTo("1");
    assertThat(query("SHOW PARTITIONS FROM t").get(0).get(14)).isEqualTo("2.000 KB");

    List<List<Object>> status = query("SHOW TABLE STATUS");
    assertThat(status)
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.get(0)).isEqualTo("t");
              assertThat(row.get(4)).isEqualTo(10L);
              assertThat(row.get(6)).isEqualTo(2048L);
            });
    assertThat(query("SHOW KEYS FROM t")).isEmpty();
    assertThat(query("SHOW ENGINES")).hasSize(1);
    assertThat(query("SHOW CHARSET"))
        .containsExactly(List.of("utf8mb4", "UTF-8 Unicode", "utf8mb4_0900_bin", 4L));
    assertThat(query("SHOW COLLATION LIKE 'latin%'")).isEmpty();
    assertCode(
        () -> query("DESC missing"), ErrorCode.UNKNOWN_TABLE, "Table 'db.missing' doesn't exist");
  }

  @Test
  void alterDropTruncateAndLike() {
    run("CREATE DATABASE db");
    run("CREATE TABLE t (k INT, v VARCHAR(10)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
    run("ALTER TABLE t ADD COLUMN c BIGINT DEFAULT '7' AFTER k");
    run("ALTER TABLE t ADD COLUMN (x INT, y DATE)");
    assertThat(table("t").columns())
        .extracting(ColumnMeta::name)
        .containsExactly("k", "c", "v", "x", "y");
    assertThat(table("t").columns())
        .extracting(ColumnMeta::uniqueId)
        .containsExactly(0, 2, 1, 3, 4);
    run(
        "ALTER TABLE t DROP COLUMN x, MODIFY COLUMN v VARCHAR(40) COMMENT 'wider', RENAME COLUMN y day");
    assertThat(table("t").columns())
        .extracting(ColumnMeta::name)
        .containsExactly("k", "c", "v", "day");
    assertThat(table("t").column("v").orElseThrow().type()).isEqualTo(DataType.varchar(40));
    assertCode(
        () -> run("ALTER TABLE t ADD COLUMN c INT"),
        ErrorCode.DUPLICATE_COLUMN,
        "Duplicate column name 'c'");
    assertCode(
        () -> run("ALTER TABLE t DROP COLUMN nope"),
        ErrorCode.UNKNOWN_COLUMN,
        "Unknown column 'nope'");
    assertCode(
        () -> run("ALTER TABLE t MODIFY COLUMN v INT"),
        ErrorCode.UNSUPPORTED,
        "MODIFY COLUMN v from varchar(40) to int");
    assertCode(
        () -> run("ALTER TABLE t ADD COLUMN z INT NOT NULL"),
        ErrorCode.INVALID_DDL,
        "not nullable and has no default value");
    assertCode(
        () -> run("ALTER TABLE missing ADD COLUMN z INT"), ErrorCode.UNKNOWN_TABLE, "missing");
    run("CREATE TABLE a (k INT, v INT SUM) AGGREGATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
    assertCode(
        () -> run("ALTER TABLE a ADD COLUMN w INT AFTER v"),
        ErrorCode.INVALID_DDL,
        "Key column w must come before all value columns");
    run("ALTER TABLE a ADD COLUMN k2 INT KEY");
    run("ALTER TABLE a ADD COLUMN w INT MAX");
    assertThat(table("a").keyColumns()).containsExactly("k", "k2");
    assertThat(table("a").columns())
        .extracting(ColumnMeta::name)
        .containsExactly("k", "k2", "v", "w");

    run("ALTER TABLE t RENAME t2");
    assertThat(catalog.table("db", "t")).isEmpty();
    run("RENAME TABLE t2 TO t");
    run("CREATE TABLE t_like LIKE t");
    assertThat(table("t_like").columns())
        .extracting(c -> c.name() + " " + c.type())
        .containsExactlyElementsOf(
            table("t").columns().stream().map(c -> c.name() + " " + c.type()).toList());
    assertThat(table("t_like").columns())
        .extracting(ColumnMeta::uniqueId)
        .containsExactly(0, 1, 2, 3);
    assertThat(table("t_like").id()).isNotEqualTo(table("t").id());

    TableMeta t = table("t");
    catalog.commitLoad(
        t.id(),
        null,
        Map.of(t.partitions().get(0).tabletIds().get(0), List.of(new SegmentFile("s1", 1, 1))),
        1);
    run("TRUNCATE TABLE t");
    assertThat(reclaimed).containsExactly("s1");
    assertThat(catalog.snapshot(t.id()).rowCount()).isZero();
    catalog.commitLoad(
        t.id(),
        null,
        Map.of(
            table("t").partitions().get(0).tabletIds().get(0),
            List.of(new SegmentFile("s2", 1, 1))),
        1);
    run("DROP TABLE t");
    assertThat(reclaimed).containsExactly("s1", "s2");
    assertCode(() -> run("DROP TABLE t"), ErrorCode.UNKNOWN_TABLE, "Table 'db.t' doesn't exist");
    run("DROP TABLE IF EXISTS t");
    run("DROP DATABASE db");
    assertThat(catalog.databases()).isEmpty();
  }

  @Test
  void users() {
    run("CREATE USER 'jack' IDENTIFIED BY '123456'", null);
    assertThat(catalog.passwordHash("jack"))
        .hasValueSatisfying(hash -> assertThat(hash).isEqualTo(Passwords.doubleSha1("123456")));
    assertCode(
        () -> run("CREATE USER jack", null),
        ErrorCode.UNKNOWN_USER,
        "Operation CREATE USER failed for 'jack'@'%'");
    run(
        "ALTER USER jack@'%' IDENTIFIED BY PASSWORD '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9'",
        null);
    assertThat(catalog.passwordHash("jack"))
        .hasValueSatisfying(hash -> assertThat(hash).isEqualTo(Passwords.doubleSha1("123456")));
    run("SET PASSWORD FOR jack = PASSWORD('new')", null);
    assertThat(catalog.passwordHash("jack"))
        .hasValueSatisfying(hash -> assertThat(hash).isEqualTo(Passwords.doubleSha1("new")));
    ddl.setPassword(
        (Statement.SetPassword) DorisParser.parse("SET PASSWORD = PASSWORD('')"), "jack");
    assertThat(catalog.passwordHash("jack")).hasValueSatisfying(hash -> assertThat(hash).isEmpty());
    assertCode(() -> run("CREATE USER 'x'@'localhost'", null), ErrorCode.UNSUPPORTED, "localhost");
    run("DROP USER jack", null);
    run("DROP USER IF EXISTS jack", null);
    assertCode(() -> run("DROP USER root", null), ErrorCode.INVALID_DDL, "root");
  }
}
