#!/usr/bin/env python3
"""Server CPU of point lookups on a merged AGGREGATE table and of an integer window AVG.

Usage: scripts/merged-point-lookup.py PORT SERVER_PID [load]
  load: first create wb.b (1,000,000 rows: 1,000 groups of 1,000) and wb.a (AGGREGATE KEY(k),
        the same 1,000,000 keys in three loads, so three segments per tablet).
Prints, for two rounds: the server process's CPU (utime + stime from /proc/PID/stat) and the
wall time of 200 lookups `SELECT k, s FROM wb.a WHERE k = ...` and of one
`AVG(v) OVER (PARTITION BY g ORDER BY id)` query. Needs pymysql. docs/benchmarks.md,
"Point lookups on merged tables".
"""
import sys
import time

import pymysql

port, pid = int(sys.argv[1]), int(sys.argv[2])
load = len(sys.argv) > 3 and sys.argv[3] == "load"


def server_cpu():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100.0


connection = pymysql.connect(host="127.0.0.1", port=port, user="root", autocommit=True)
cursor = connection.cursor()
if load:
    cursor.execute("CREATE DATABASE wb")
    cursor.execute("CREATE TABLE wb.t (i INT) DUPLICATE KEY(i) DISTRIBUTED BY HASH(i) BUCKETS 1")
    cursor.execute("INSERT INTO wb.t VALUES " + ",".join(f"({i})" for i in range(1000)))
    cursor.execute(
        "CREATE TABLE wb.b (id BIGINT, g INT, v INT, d DOUBLE) DUPLICATE KEY(id)"
        " DISTRIBUTED BY HASH(id) BUCKETS 4")
    cursor.execute(
        "INSERT INTO wb.b SELECT x.i * 1000 + y.i, x.i, (x.i * 7 + y.i * 13) % 1000, y.i / 7.0"
        " FROM wb.t x, wb.t y")
    cursor.execute(
        "CREATE TABLE wb.a (k BIGINT, s BIGINT SUM) AGGREGATE KEY(k)"
        " DISTRIBUTED BY HASH(k) BUCKETS 1")
    for load_number in range(3):
        cursor.execute(f"INSERT INTO wb.a SELECT id, {load_number} FROM wb.b")

WINDOW_AVG = (
    "SELECT SUM(a) FROM (SELECT AVG(v) OVER (PARTITION BY g ORDER BY id) a FROM wb.b) x")
for round_number in (1, 2):
    for name in ("point lookups x200", "window AVG(INT)"):
        cpu_before, wall_before = server_cpu(), time.time()
        if name == "window AVG(INT)":
            cursor.execute(WINDOW_AVG)
            result = cursor.fetchall()
        else:
            for lookup in range(200):
                cursor.execute(f"SELECT k, s FROM wb.a WHERE k = {(lookup * 4999) % 1000000}")
                result = cursor.fetchall()
        print(f"{name}, round {round_number}: server CPU {server_cpu() - cpu_before:.2f} s,"
              f" wall {time.time() - wall_before:.2f} s, last result {result[:1]}")
