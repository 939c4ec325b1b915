#!/usr/bin/env python3
"""CASTs between strings and numbers or dates, two builds side by side (issue 14, docs/benchmarks.md
"CAST between strings and numbers on bytes").

    /usr/bin/python3 scripts/cast-kernels.py BEFORE_HOME AFTER_HOME [ROWS] [RUNS] [MATCH]

BEFORE_HOME and AFTER_HOME are Basalt checkouts. Each gets a server (BASALT_HEAP=3g, free loopback
ports, a temporary data directory, no background compaction) and the same DUPLICATE KEY table of
ROWS rows (default 2,000,000; strings holding integers, dates, two-digit decimals, 26-digit
decimals and booleans, and INT, DATE, DATETIME and DOUBLE columns), loaded by one Stream Load.
MATCH, if given, keeps only the queries containing it. Then RUNS rounds (default 5, after one
warm-up round) run each query on one server, then on the other, and report per query the median
CPU time the server process used (/proc/PID/stat) and whether both answered alike (a DOUBLE sum
may differ in its last digits: the order of a parallel sum varies). Needs PyMySQL and curl.
"""
import os
import sys
import tempfile

from basalt_servers import Server, print_query_cpu

QUERIES = [
    "SELECT SUM(CAST(s AS BIGINT)) FROM cb.t",
    "SELECT SUM(CAST(s AS INT)) FROM cb.t",
    "SELECT MAX(CAST(sd AS DATE)) FROM cb.t",
    "SELECT SUM(CAST(sx AS DECIMAL(10,2))) FROM cb.t",
    "SELECT SUM(CAST(sx AS DOUBLE)) FROM cb.t",
    "SELECT MAX(CAST(i AS VARCHAR(10))) FROM cb.t",
    "SELECT MAX(CAST(d AS VARCHAR(20))) FROM cb.t",
    "SELECT MAX(CAST(dt AS VARCHAR(30))) FROM cb.t",
    "SELECT SUM(CAST(sw AS DECIMAL(38,2))) FROM cb.t",
    "SELECT SUM(CAST(sw AS LARGEINT)) FROM cb.t",
    "SELECT COUNT(*) FROM cb.t WHERE CAST(sb AS BOOLEAN)",
    "SELECT MAX(CAST(x AS VARCHAR(30))) FROM cb.t",
]
BOOLEANS = ["true", "false", "0", "1.5", " TRUE "]


def write_rows(path, rows):
    with open(path, "w") as out:
        for i in range(rows):
            day = i % 20000
            year, day_of_year = 1970 + day // 365, day % 365
            month, day_of_month = 1 + day_of_year // 31 % 12, 1 + day_of_year % 28
            date = f"{year:04d}-{month:02d}-{day_of_month:02d}"
            time_of_day = f"{i % 24:02d}:{i % 60:02d}:{i % 59:02d}"
            out.write(f"{i}\t{(i * 7919) % 1000003 - 500000}\t{date}\t{i % 100000}\t{date}"
                      f"\t{date} {time_of_day}\t{(i % 99999) / 100:.2f}"
                      f"\t{(i * 7919) % 1000003}{i % 1000:03d}1234567890123.{i % 97:02d}5"
                      f"\t{BOOLEANS[i % len(BOOLEANS)]}\t{(i % 99999) / 100 if i % 2 else i / 7}\n")


def main():
    homes = {"before": sys.argv[1], "after": sys.argv[2]}
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 2_000_000
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    queries = [query for query in QUERIES if len(sys.argv) <= 5 or sys.argv[5] in query]
    servers = {}
    try:
        for side, home in homes.items():
            servers[side] = Server(home)
        data = tempfile.mktemp(prefix="basalt-cast-kernels-", suffix=".tsv")
        write_rows(data, rows)
        for side, server in servers.items():
            server.run("CREATE DATABASE cb")
            server.run(
                "CREATE TABLE cb.t (k BIGINT, s VARCHAR(20), sd VARCHAR(20), i INT, d DATE,"
                " dt DATETIME, sx VARCHAR(20), sw VARCHAR(40), sb VARCHAR(10), x DOUBLE) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 4")
            server.stream_load("cb", "t", data)
        os.unlink(data)
        print_query_cpu(servers, queries, runs)
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
