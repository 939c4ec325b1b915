package dev.basalt.bench.tpch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The eight TPC-H tables (TPC-H specification, clause 1.4) with the DDL of each engine: Doris's
 * DUPLICATE KEY tables for Basalt, plain tables for DuckDB.
 */
public final class TpchSchema {

  /**
   * One table.
   *
   * @param name the table name, which is also the data file's base name
   * @param columns the columns in file order
   * @param rowsAtScaleFactorOne the row count at scale factor 1 (to size buckets)
   */
  public record Table(String name, List<TpchColumn> columns, long rowsAtScaleFactorOne) {

    /** The first column: the sort key and the distribution column. */
    public String keyColumn() {
      return columns.getFirst().name();
    }
  }

  /** All tables, smallest first (the order they are loaded in). */
  public static final List<Table> TABLES =
      List.of(
          table("region", 5, "r_regionkey INT", "r_name CHAR(25)", "r_comment VARCHAR(152)"),
          table(
              "nation",
              25,
              "n_nationkey INT",
              "n_name CHAR(25)",
              "n_regionkey INT",
              "n_comment VARCHAR(152)"),
          table(
              "supplier",
              10_000,
              "s_suppkey INT",
              "s_name CHAR(25)",
              "s_address VARCHAR(40)",
              "s_nationkey INT",
              "s_phone CHAR(15)",
              "s_acctbal DECIMAL(15,2)",
              "s_comment VARCHAR(101)"),
          table(
              "customer",
              150_000,
              "c_custkey INT",
              "c_name VARCHAR(25)",
              "c_address VARCHAR(40)",
              "c_nationkey INT",
              "c_phone CHAR(15)",
              "c_acctbal DECIMAL(15,2)",
              "c_mktsegment CHAR(10)",
              "c_comment VARCHAR(117)"),
          table(
              "part",
              200_000,
              "p_partkey INT",
              "p_name VARCHAR(55)",
              "p_mfgr CHAR(25)",
              "p_brand CHAR(10)",
              "p_type VARCHAR(25)",
              "p_size INT",
              "p_container CHAR(10)",
              "p_retailprice DECIMAL(15,2)",
              "p_comment VARCHAR(23)"),
          table(
              "partsupp",
              800_000,
              "ps_partkey INT",
              "ps_suppkey INT",
              "ps_availqty INT",
              "ps_supplycost DECIMAL(15,2)",
              "ps_comment VARCHAR(199)"),
          table(
              "orders",
              1_500_000,
              "o_orderkey BIGINT",
              "o_custkey INT",
              "o_orderstatus CHAR(1)",
              "o_totalprice DECIMAL(15,2)",
              "o_orderdate DATE",
              "o_orderpriority CHAR(15)",
              "o_clerk CHAR(15)",
              "o_shippriority INT",
              "o_comment VARCHAR(79)"),
          table(
              "lineitem",
              6_001_215,
              "l_orderkey BIGINT",
              "l_partkey INT",
              "l_suppkey INT",
              "l_linenumber INT",
              "l_quantity DECIMAL(15,2)",
              "l_extendedprice DECIMAL(15,2)",
              "l_discount DECIMAL(15,2)",
              "l_tax DECIMAL(15,2)",
              "l_returnflag CHAR(1)",
              "l_linestatus CHAR(1)",
              "l_shipdate DATE",
              "l_commitdate DATE",
              "l_receiptdate DATE",
              "l_shipinstruct CHAR(25)",
              "l_shipmode CHAR(10)",
              "l_comment VARCHAR(44)"));

  private TpchSchema() {}

  /** The table named {@code name}; fails for a name that is not a TPC-H table. */
  public static Table table(String name) {
    return TABLES.stream()
        .filter(table -> table.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a TPC-H table: " + name));
  }

  private static Table table(String name, long rowsAtScaleFactorOne, String... columns) {
    List<TpchColumn> parsed =
        java.util.Arrays.stream(columns)
            .map(
                column -> {
                  int space = column.indexOf(' ');
                  return new TpchColumn(column.substring(0, space), column.substring(space + 1));
                })
            .toList();
    return new Table(name, parsed, rowsAtScaleFactorOne);
  }

  /**
   * Basalt's DDL: a DUPLICATE KEY table sorted and distributed by its first column, with about one
   * bucket per million rows (at least one, at most {@code maximumBuckets}).
   */
  public static String basaltCreateTable(Table table, double scaleFactor, int maximumBuckets) {
    long rows = Math.round(table.rowsAtScaleFactorOne() * scaleFactor);
    int buckets = (int) Math.max(1, Math.min(maximumBuckets, (rows + 999_999) / 1_000_000));
    return "CREATE TABLE "
        + table.name()
        + " ("
        + columnList(table)
        + ") DUPLICATE KEY("
        + table.keyColumn()
        + ") DISTRIBUTED BY HASH("
        + table.keyColumn()
        + ") BUCKETS "
        + buckets
        + " PROPERTIES (\"replication_num\" = \"1\")";
  }

  /** DuckDB's DDL: the same columns in a plain table. */
  public static String duckdbCreateTable(Table table) {
    return "CREATE TABLE " + table.name() + " (" + columnList(table) + ")";
  }

  private static String columnList(Table table) {
    return table.columns().stream()
        .map(column -> column.name() + " " + column.sqlType())
        .collect(Collectors.joining(", "));
  }
}
