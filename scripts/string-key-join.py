#!/usr/bin/env python3
"""Joins on a string key whose build side is filtered, two builds side by side (issue 14, runtime
filters; docs/benchmarks.md "Runtime filters for every key type").

    /usr/bin/python3 scripts/string-key-join.py BEFORE_HOME AFTER_HOME [RUNS]

BEFORE_HOME and AFTER_HOME are Basalt checkouts; each gets a server (basalt_servers.Server) and
the same tables, filled by INSERT ... SELECT: dim, 100,000 rows (k, name 'Customer#000000042',
category k % 100), and fact, 3,000,000 rows whose names are dim's names (each about 30 times).
Then RUNS rounds (default 9, after one warm-up round) run each join on one server, then on the
other, with one pipeline (parallel_pipeline_task_num = 1), and report per join the median wall
time and server CPU time, and whether both answered alike. The build sides hold 10 names (an
exact IN list), 5,000 (a Bloom filter; 5 % of the fact rows match) and 50,000 (50 % match).
Needs PyMySQL.
"""
import statistics
import sys
import time

from basalt_servers import Server

JOINS = {
    "10 names": "SELECT COUNT(*), SUM(f.amount) FROM sj.fact f JOIN sj.dim d ON f.name = d.name"
                " WHERE d.category = 7 AND d.k < 1000",
    "5,000 names": "SELECT COUNT(*), SUM(f.amount) FROM sj.fact f JOIN sj.dim d"
                   " ON f.name = d.name WHERE d.category < 5",
    "50,000 names": "SELECT COUNT(*), SUM(f.amount) FROM sj.fact f JOIN sj.dim d"
                    " ON f.name = d.name WHERE d.category < 50",
}


def load(server):
    server.run("CREATE DATABASE sj")
    server.run("CREATE TABLE sj.digits (d INT) DUPLICATE KEY(d) DISTRIBUTED BY HASH(d) BUCKETS 1")
    server.run("INSERT INTO sj.digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)")
    server.run("CREATE TABLE sj.n (k BIGINT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1")
    server.run("INSERT INTO sj.n SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d"
               " + 100000 * g.d FROM sj.digits a, sj.digits b, sj.digits c, sj.digits e,"
               " sj.digits f, sj.digits g")
    server.run("CREATE TABLE sj.dim (k BIGINT, name VARCHAR(32), category INT) DUPLICATE KEY(k)"
               " DISTRIBUTED BY HASH(k) BUCKETS 1")
    server.run("INSERT INTO sj.dim SELECT k, CONCAT('Customer#', LPAD(CAST(k AS VARCHAR), 9, '0')),"
               " k % 100 FROM sj.n WHERE k < 100000")
    server.run("CREATE TABLE sj.fact (id BIGINT, name VARCHAR(32), amount DECIMAL(12, 2))"
               " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 3")
    for part in range(3):
        server.run(f"INSERT INTO sj.fact SELECT k + {part} * 1000000, CONCAT('Customer#',"
                   f" LPAD(CAST((k * 7 + {part}) % 100000 AS VARCHAR), 9, '0')),"
                   f" (k % 10000) / 100 FROM sj.n")
    server.run("ANALYZE TABLE sj.dim")
    server.run("ANALYZE TABLE sj.fact")
    server.run("SET parallel_pipeline_task_num = 1")


def main():
    homes = {"before": sys.argv[1], "after": sys.argv[2]}
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    servers = {}
    try:
        for side, home in homes.items():
            servers[side] = Server(home)
            load(servers[side])
        wall = {(side, name): [] for side in servers for name in JOINS}
        cpu = {(side, name): [] for side in servers for name in JOINS}
        answers = {}
        for run in range(runs + 1):
            for name, sql in JOINS.items():
                for side, server in servers.items():
                    cpu_before = server.cpu_millis()
                    start = time.perf_counter()
                    answers.setdefault(name, {})[side] = server.run(sql)
                    if run > 0:
                        wall[(side, name)].append((time.perf_counter() - start) * 1000)
                        cpu[(side, name)].append(server.cpu_millis() - cpu_before)
        for name in JOINS:
            alike = answers[name]["before"] == answers[name]["after"]
            print(f"{name:14s} wall before {statistics.median(wall[('before', name)]):5.0f} ms"
                  f" after {statistics.median(wall[('after', name)]):5.0f} ms;"
                  f" server CPU before {statistics.median(cpu[('before', name)]):5.0f} ms"
                  f" after {statistics.median(cpu[('after', name)]):5.0f} ms"
                  f"  {'same answer' if alike else 'answers differ: ' + str(answers[name])}")
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
