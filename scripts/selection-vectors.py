#!/usr/bin/env python3
"""Selection vectors in batches, two builds side by side (issue 14 item 1, docs/benchmarks.md
"Selection vectors (thirteenth session)").

    /usr/bin/python3 scripts/selection-vectors.py BEFORE_HOME AFTER_HOME [DATA_DIR] [RUNS]

BEFORE_HOME and AFTER_HOME are Basalt checkouts. Each gets a server (scripts/basalt_servers.py)
with TPC-H's lineitem, orders and part tables in database tpch, Stream Loaded from the '|'
separated files in DATA_DIR (default /work/bench-data/sf1/sf1, as `./basalt bench tpch --sf 1
--data-dir /work/bench-data/sf1` generates them) with the DDL the TPC-H bench uses. Then RUNS
rounds (default 5, after one warm-up round) run each query on one server, then on the other, and
report per query the median CPU time the server process used (/proc/PID/stat) and whether both
answered alike. The queries: TPC-H q01, q06, q12 and q14 (their filters on lineitem are pushed
into the segment scan, so no FilterOperator runs), then filters that stay operators: a HAVING-like
filter over an aggregation feeding another aggregation, at three selectivities; then an aggregation
of bare lineitem columns under a filter pushed into the scan, at four selectivities (the scan hands
a dense selection on to the aggregation, "Positions-based aggregation", fourteenth session). Needs
PyMySQL and curl.
"""
import os
import subprocess
import sys

from basalt_servers import Server, print_query_cpu

TABLES = {
    "part": (1, ["p_partkey INT", "p_name VARCHAR(55)", "p_mfgr CHAR(25)", "p_brand CHAR(10)",
                 "p_type VARCHAR(25)", "p_size INT", "p_container CHAR(10)",
                 "p_retailprice DECIMAL(15,2)", "p_comment VARCHAR(23)"]),
    "orders": (2, ["o_orderkey BIGINT", "o_custkey INT", "o_orderstatus CHAR(1)",
                   "o_totalprice DECIMAL(15,2)", "o_orderdate DATE", "o_orderpriority CHAR(15)",
                   "o_clerk CHAR(15)", "o_shippriority INT", "o_comment VARCHAR(79)"]),
    "lineitem": (6, ["l_orderkey BIGINT", "l_partkey INT", "l_suppkey INT", "l_linenumber INT",
                     "l_quantity DECIMAL(15,2)", "l_extendedprice DECIMAL(15,2)",
                     "l_discount DECIMAL(15,2)", "l_tax DECIMAL(15,2)", "l_returnflag CHAR(1)",
                     "l_linestatus CHAR(1)", "l_shipdate DATE", "l_commitdate DATE",
                     "l_receiptdate DATE", "l_shipinstruct CHAR(25)", "l_shipmode CHAR(10)",
                     "l_comment VARCHAR(44)"]),
}

TPCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "basalt-bench", "src",
                    "main", "resources", "dev", "basalt", "bench", "tpch")

FILTERED = [
    # Per order its quantity, then the orders over a threshold: Filter -> HashAggregate.
    "SELECT COUNT(*), SUM(q), MAX(n) FROM (SELECT l_orderkey, SUM(l_quantity) q, COUNT(*) n"
    " FROM tpch.lineitem GROUP BY l_orderkey) t WHERE q > {}",
    # The same, grouped again by the number of lines: keys read at the selected rows.
    "SELECT n, COUNT(*), SUM(q) FROM (SELECT l_orderkey, SUM(l_quantity) q, COUNT(*) n"
    " FROM tpch.lineitem GROUP BY l_orderkey) t WHERE q > {} GROUP BY n ORDER BY n",
]

# Bare columns aggregated under a pushed filter: the scan's selection read in place when dense.
SCANNED = ("SELECT l_returnflag, l_linestatus, SUM(l_quantity), SUM(l_extendedprice),"
           " MIN(l_discount), MAX(l_tax), COUNT(*) FROM tpch.lineitem WHERE l_shipdate <= '{}'"
           " GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus")


def load(server, directory):
    server.run("CREATE DATABASE tpch")
    for table, (buckets, columns) in TABLES.items():
        server.run(f"CREATE TABLE tpch.{table} ({', '.join(columns)}) DUPLICATE KEY"
                   f"({columns[0].split()[0]}) DISTRIBUTED BY HASH({columns[0].split()[0]})"
                   f" BUCKETS {buckets} PROPERTIES (\"replication_num\" = \"1\")")
        answer = subprocess.run(
            ["curl", "-sS", "--location-trusted", "-u", "root:", "-H", "Expect: 100-continue",
             "-H", "column_separator:|", "-T", os.path.join(directory, table + ".tbl"),
             f"http://127.0.0.1:{server.http_port}/api/tpch/{table}/_stream_load"],
            capture_output=True, text=True).stdout
        if '"Success"' not in answer:
            raise SystemExit(f"the Stream Load into tpch.{table} failed: {answer}")
        server.run(f"ANALYZE TABLE tpch.{table}")


def tpch_query(number):
    with open(os.path.join(TPCH, f"q{number:02d}.sql")) as text:
        return text.read().strip().rstrip(";")


def main():
    homes = {"before": sys.argv[1], "after": sys.argv[2]}
    directory = sys.argv[3] if len(sys.argv) > 3 else "/work/bench-data/sf1/sf1"
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    servers = {}
    try:
        for side, home in homes.items():
            servers[side] = Server(home)
            load(servers[side], directory)
            servers[side].run("USE tpch")
        queries = [tpch_query(number) for number in (1, 6, 12, 14)]
        # About 90 %, 50 % and 2 % of the orders pass (their quantities sum to 25 .. 350).
        queries += [query.format(limit) for query in FILTERED for limit in (50, 150, 300)]
        # About 98 %, 75 %, 50 % and 10 % of lineitem's rows pass.
        queries += [SCANNED.format(day) for day in
                    ("1998-09-02", "1997-03-15", "1995-06-17", "1992-09-10")]
        print_query_cpu(servers, queries, runs)
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
