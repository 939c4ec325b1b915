#!/usr/bin/env python3
"""Runtime filters that keep most probe rows, and join keys reached through a widening cast
(issue 14 item 4; docs/benchmarks.md "Runtime filters: adaptive cut-off, keys through casts").

    /usr/bin/python3 scripts/runtime-filter-cutoff.py measure HOME [RUNS]
    /usr/bin/python3 scripts/runtime-filter-cutoff.py compare BEFORE_HOME AFTER_HOME [RUNS]

`measure` starts one server of the checkout at HOME and runs each join with runtime filters on
and with `SET runtime_filter_mode = 'OFF'`, alternately: where the two meet is the share of probe
rows a filter may keep and still pay (the cut-off in RuntimeFilter). `compare` runs each join on
a server of each checkout, alternately. Both load the same tables by INSERT ... SELECT: dim,
100,000 rows (k INT, bk BIGINT = k, name 'Customer#000000042', category k % 100), and fact,
3,000,000 rows (id, k INT, name, amount) whose keys are dim's keys, each about 30 times. The
joins keep 5 % to 99 % of fact's rows by the build side's category; the cast join compares
fact's INT k with dim's BIGINT bk (CAST(k AS BIGINT) on the probe side). One pipeline
(parallel_pipeline_task_num = 1). Reports per join the median wall time and server CPU time over
RUNS rounds (default 7, after one warm-up round) and whether the answers agree. Needs PyMySQL.
"""
import statistics
import sys
import time

from basalt_servers import Server

KEEP = [5, 50, 80, 90, 95, 99]
JOINS = {}
for keep in KEEP:
    JOINS[f"int key, {keep}% kept"] = (
        "SELECT COUNT(*), SUM(f.amount) FROM rf.fact f JOIN rf.dim d ON f.k = d.k"
        f" WHERE d.category < {keep}")
for keep in KEEP:
    JOINS[f"string key, {keep}% kept"] = (
        "SELECT COUNT(*), SUM(f.amount) FROM rf.fact f JOIN rf.dim d ON f.name = d.name"
        f" WHERE d.category < {keep}")
for keep in [1, 5, 50]:
    JOINS[f"cast key, {keep}% kept"] = (
        "SELECT COUNT(*), SUM(f.amount) FROM rf.fact f JOIN rf.dim d ON f.k = d.bk"
        f" WHERE d.category < {keep}")


def load(server):
    server.run("CREATE DATABASE rf")
    server.run("CREATE TABLE rf.digits (d INT) DUPLICATE KEY(d) DISTRIBUTED BY HASH(d) BUCKETS 1")
    server.run("INSERT INTO rf.digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)")
    server.run("CREATE TABLE rf.n (k BIGINT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1")
    server.run("INSERT INTO rf.n SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d"
               " + 100000 * g.d FROM rf.digits a, rf.digits b, rf.digits c, rf.digits e,"
               " rf.digits f, rf.digits g")
    server.run("CREATE TABLE rf.dim (k INT, bk BIGINT, name VARCHAR(32), category INT)"
               " DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1")
    server.run("INSERT INTO rf.dim SELECT k, k, CONCAT('Customer#', LPAD(CAST(k AS VARCHAR), 9,"
               " '0')), (k * 37) % 100 FROM rf.n WHERE k < 100000")
    server.run("CREATE TABLE rf.fact (id BIGINT, k INT, name VARCHAR(32), amount DECIMAL(12, 2))"
               " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 3")
    for part in range(3):
        server.run(f"INSERT INTO rf.fact SELECT k + {part} * 1000000, (k * 7 + {part}) % 100000,"
                   f" CONCAT('Customer#', LPAD(CAST((k * 7 + {part}) % 100000 AS VARCHAR), 9,"
                   f" '0')), (k % 10000) / 100 FROM rf.n")
    server.run("ANALYZE TABLE rf.dim")
    server.run("ANALYZE TABLE rf.fact")
    server.run("SET parallel_pipeline_task_num = 1")


def main():
    mode = sys.argv[1]
    if mode == "measure":
        server = Server(sys.argv[2])
        variants = {"filter on": (server, "SET runtime_filter_mode = 'GLOBAL'"),
                    "filter off": (server, "SET runtime_filter_mode = 'OFF'")}
        servers = [server]
        runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    else:
        before, after = Server(sys.argv[2]), Server(sys.argv[3])
        variants = {"before": (before, None), "after": (after, None)}
        servers = [before, after]
        runs = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    try:
        for server in servers:
            load(server)
        wall = {(variant, name): [] for variant in variants for name in JOINS}
        cpu = {(variant, name): [] for variant in variants for name in JOINS}
        answers = {}
        for run in range(runs + 1):
            for name, sql in JOINS.items():
                for variant, (server, setting) in variants.items():
                    if setting:
                        server.run(setting)
                    cpu_before = server.cpu_millis()
                    start = time.perf_counter()
                    answers.setdefault(name, {})[variant] = server.run(sql)
                    if run > 0:
                        wall[(variant, name)].append((time.perf_counter() - start) * 1000)
                        cpu[(variant, name)].append(server.cpu_millis() - cpu_before)
        first, second = list(variants)
        for name in JOINS:
            alike = answers[name][first] == answers[name][second]
            print(f"{name:22s} wall {first} {statistics.median(wall[(first, name)]):5.0f} ms,"
                  f" {second} {statistics.median(wall[(second, name)]):5.0f} ms;"
                  f" server CPU {first} {statistics.median(cpu[(first, name)]):5.0f} ms,"
                  f" {second} {statistics.median(cpu[(second, name)]):5.0f} ms"
                  f"  {'same answer' if alike else 'answers differ: ' + str(answers[name])}",
                  flush=True)
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
