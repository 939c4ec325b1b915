#!/usr/bin/env python3
"""Arithmetic and comparison operators with a literal operand, and calls on literals only, two
builds side by side (issue 14 item 1, docs/benchmarks.md "Literals as one-row constant vectors for
arithmetic and comparison operators" and "Calls on literals once per batch; loops for a column and
a constant").

    /usr/bin/python3 scripts/constant-operators.py BEFORE_HOME AFTER_HOME [ROWS] [RUNS] [REPEAT]

BEFORE_HOME and AFTER_HOME are Basalt checkouts. Each gets a server (scripts/basalt_servers.py)
and the same DUPLICATE KEY table of ROWS rows (default 4,000,000) shaped like TPC-H's lineitem
where the queries need it: an INT, a DOUBLE, DECIMAL(15,2) price, discount and tax, a DATE and
a one-letter flag. Then RUNS rounds (default 5, after one warm-up round) run each query REPEAT
times (default 1) on one server, then on the other, and report per query the median CPU time per
execution the server process used (/proc/PID/stat, 10 ms ticks) and whether both answered alike. Needs PyMySQL and curl.
"""
import random
import sys

from basalt_servers import compare_on_one_table

QUERIES = [
    "SELECT SUM(k) FROM co.t",
    # Two columns: the loops shared with constants must not slow these down.
    "SELECT SUM(a * a), SUM(f * f) FROM co.t",
    "SELECT SUM(p * dc), SUM(IF(a > k, 1, 0)) FROM co.t",
    "SELECT SUM(a * 2) FROM co.t",
    "SELECT SUM(a + 1), SUM(a - 3) FROM co.t",
    "SELECT SUM(a DIV 7), SUM(a % 7) FROM co.t",
    "SELECT SUM(f * 1.5) FROM co.t",
    "SELECT SUM(p * 0.9) FROM co.t",
    "SELECT SUM(p / 3) FROM co.t",
    "SELECT SUM(p * (1 - dc)) FROM co.t",
    "SELECT SUM(p + 1), SUM(p - 0.5), SUM(1 - dc) FROM co.t",
    "SELECT SUM(f / 3) FROM co.t",
    # Calls on literals only (not folded by the planner): computed once per batch.
    "SELECT SUM(a + LENGTH(CONCAT('ab', 'cd'))) FROM co.t",
    "SELECT MAX(CONCAT('a', UPPER('b'))), MIN(DATE_FORMAT('2024-01-01', '%Y')) FROM co.t",
    "SELECT SUM(LENGTH(CONCAT(flag, DATE_FORMAT('2024-01-01', '%Y')))) FROM co.t",
    "SELECT SUM(CASE WHEN a > 100 THEN 1 ELSE 0 END) FROM co.t",
    "SELECT SUM(IF(a > 100 OR f < 0, 1, 0)) FROM co.t",
    "SELECT SUM(IF(p >= 500.5, 1, 0)) FROM co.t",
    "SELECT flag, SUM(a), SUM(p), SUM(p * (1 - dc)), SUM(p * (1 - dc) * (1 + tx)), AVG(a),"
    " AVG(p), AVG(dc), COUNT(*) FROM co.t WHERE sd <= DATE '1998-12-01' - INTERVAL 90 DAY"
    " GROUP BY flag ORDER BY flag",
]


def write_rows(path, rows):
    generator = random.Random(11)
    with open(path, "w") as out:
        for i in range(rows):
            a = generator.randrange(-1000, 1000)
            f = generator.randrange(-1000000, 1000000) / 64
            price = f"{generator.randrange(90000, 10500000) / 100:.2f}"
            discount = f"{generator.randrange(0, 11) / 100:.2f}"
            tax = f"{generator.randrange(0, 9) / 100:.2f}"
            day = generator.randrange(2526)
            year, day_of_year = 1992 + day // 365, day % 365
            date = f"{year:04d}-{1 + day_of_year // 31 % 12:02d}-{1 + day_of_year % 28:02d}"
            flag = "ANR"[generator.randrange(3)]
            out.write(f"{i}\t{a}\t{f}\t{price}\t{discount}\t{tax}\t{date}\t{flag}\n")


def main():
    compare_on_one_table(
        sys.argv, "co", "t",
        "CREATE TABLE co.t (k BIGINT, a INT, f DOUBLE, p DECIMAL(15, 2), dc DECIMAL(15, 2),"
        " tx DECIMAL(15, 2), sd DATE, flag CHAR(1)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k)"
        " BUCKETS 4",
        write_rows, QUERIES)


if __name__ == "__main__":
    main()
