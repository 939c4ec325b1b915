#!/usr/bin/env python3
"""Server CPU of subqueries planned as mark joins and null-aware anti joins (thirteenth session)
against a checkout without them, on TPC-H sf 1's part, partsupp and supplier tables.

Usage: scripts/mark-joins.py BEFORE_CHECKOUT AFTER_CHECKOUT TPCH_DIRECTORY [RUNS]
TPCH_DIRECTORY holds part.tbl, partsupp.tbl and supplier.tbl (e.g. /work/bench-data/sf1/sf1, made
by ./basalt bench tpch --sf 1 --data-dir /work/bench-data/sf1). Prints each query's median server
CPU (utime + stime) on both servers, measured in interleaved runs."""
import os
import subprocess
import sys

from basalt_servers import Server, print_query_cpu

TABLES = {
    "part": "p_partkey INT, p_name VARCHAR(55), p_mfgr CHAR(25), p_brand CHAR(10),"
            " p_type VARCHAR(25), p_size INT, p_container CHAR(10),"
            " p_retailprice DECIMAL(15,2), p_comment VARCHAR(23)",
    "partsupp": "ps_partkey INT, ps_suppkey INT, ps_availqty INT,"
                " ps_supplycost DECIMAL(15,2), ps_comment VARCHAR(199)",
    "supplier": "s_suppkey INT, s_name CHAR(25), s_address VARCHAR(40), s_nationkey INT,"
                " s_phone CHAR(15), s_acctbal DECIMAL(15,2), s_comment VARCHAR(101)",
}

QUERIES = [
    # TPC-H q16's NOT IN, alone and in the query.
    "SELECT COUNT(*) FROM partsupp WHERE ps_suppkey NOT IN"
    " (SELECT s_suppkey FROM supplier WHERE s_comment LIKE '%Customer%Complaints%')",
    "SELECT p_brand, p_type, p_size, COUNT(DISTINCT ps_suppkey) AS supplier_cnt"
    " FROM partsupp, part WHERE p_partkey = ps_partkey AND p_brand <> 'Brand#45'"
    " AND p_type NOT LIKE 'MEDIUM POLISHED%' AND p_size IN (49, 14, 23, 45, 19, 3, 36, 9)"
    " AND ps_suppkey NOT IN (SELECT s_suppkey FROM supplier"
    " WHERE s_comment LIKE '%Customer%Complaints%')"
    " GROUP BY p_brand, p_type, p_size ORDER BY supplier_cnt DESC, p_brand, p_type, p_size LIMIT 5",
    # IN in a select list (a mark per row).
    "SELECT SUM(CASE WHEN ps_partkey IN (SELECT p_partkey FROM part WHERE p_size = 5)"
    " THEN 1 ELSE 0 END) FROM partsupp",
    # EXISTS under OR, correlated by an equality.
    "SELECT COUNT(*) FROM part WHERE EXISTS (SELECT 1 FROM partsupp"
    " WHERE ps_partkey = p_partkey AND ps_availqty < 20) OR p_size = 1",
    # A correlated NOT IN.
    "SELECT COUNT(*) FROM part WHERE p_size NOT IN"
    " (SELECT ps_availqty FROM partsupp WHERE ps_partkey = p_partkey)",
]


def load(server, directory):
    server.run("CREATE DATABASE marks")
    server.run("USE marks")
    for table, columns in TABLES.items():
        key = columns.split()[0]
        server.run(f"CREATE TABLE {table} ({columns}) DUPLICATE KEY({key})"
                   f" DISTRIBUTED BY HASH({key}) BUCKETS 1")
        answer = subprocess.run(
            ["curl", "-sS", "--location-trusted", "-u", "root:", "-H", "Expect: 100-continue",
             "-H", "column_separator:|", "-T", os.path.join(directory, table + ".tbl"),
             f"http://127.0.0.1:{server.http_port}/api/marks/{table}/_stream_load"],
            capture_output=True, text=True).stdout
        if '"Success"' not in answer:
            raise SystemExit(f"the Stream Load into {table} failed: {answer}")


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    before, after, directory = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    servers = {"before": Server(before), "after": Server(after)}
    try:
        for server in servers.values():
            load(server, directory)
        print_query_cpu(servers, QUERIES, runs)
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
