#!/usr/bin/env python3
"""Scalar functions with typed kernels, two builds side by side (issue 14, docs/benchmarks.md
"Typed kernels for date fields, string and math functions" and "Typed kernels for the remaining
frequent scalar functions, constant vectors").

    /usr/bin/python3 scripts/scalar-kernels.py BEFORE_HOME AFTER_HOME [ROWS] [RUNS] [PATTERN]

BEFORE_HOME and AFTER_HOME are Basalt checkouts. Each gets a server (scripts/basalt_servers.py)
and the same DUPLICATE KEY table of ROWS rows (default 4,000,000: a DATE, a DATETIME, a
VARCHAR of one to four words, a DECIMAL(12,2), a DOUBLE and a DECIMAL(38,4) beyond 64 bits), loaded
by one Stream Load (PATTERN, a regular expression, keeps only the queries it finds). Then
RUNS rounds (default 5, after one warm-up round) run each query on one server, then on the other, and report per query the median
CPU time the server process used (/proc/PID/stat) and whether both answered alike (a DOUBLE sum
may differ in its last digits: the order of a parallel sum varies). Needs PyMySQL and curl.
"""
import os
import random
import re
import sys
import tempfile

from basalt_servers import Server, print_query_cpu

QUERIES = [
    "SELECT SUM(k) FROM sk.t",
    "SELECT SUM(YEAR(d)) FROM sk.t",
    "SELECT SUM(MONTH(d)), SUM(DAYOFWEEK(d)) FROM sk.t",
    "SELECT SUM(HOUR(dt)), SUM(YEAR(dt)) FROM sk.t",
    "SELECT SUM(LENGTH(UPPER(s))) FROM sk.t",
    "SELECT SUM(CHAR_LENGTH(LOWER(s))) FROM sk.t",
    "SELECT SUM(YEAR(d)), SUM(LENGTH(UPPER(s))) FROM sk.t",
    "SELECT MAX(DATE_ADD(d, INTERVAL 30 DAY)) FROM sk.t",
    "SELECT MAX(DATE_SUB(dt, INTERVAL 2 HOUR)) FROM sk.t",
    "SELECT SUM(DATEDIFF(d, d)) FROM sk.t",
    "SELECT SUM(SQRT(k)) FROM sk.t",
    "SELECT SUM(LN(k + 1)) FROM sk.t",
    # Thirteenth session: functions of several arguments, literals as constant vectors.
    "SELECT SUM(LENGTH(SUBSTRING(s, 2, 5))) FROM sk.t",
    "SELECT SUM(LENGTH(LEFT(s, 3))), SUM(LENGTH(RIGHT(s, 4))) FROM sk.t",
    "SELECT SUM(LENGTH(CONCAT(s, '-', s))) FROM sk.t",
    "SELECT SUM(LENGTH(CONCAT_WS(',', s, s))) FROM sk.t",
    "SELECT SUM(LENGTH(REPLACE(s, 'a', 'xy'))) FROM sk.t",
    "SELECT SUM(LOCATE('o', s)) FROM sk.t",
    "SELECT SUM(LENGTH(LPAD(s, 30, '*'))) FROM sk.t",
    "SELECT SUM(IF(k % 2 = 0, k, 0)), SUM(IFNULL(NULLIF(k % 7, 0), 1)) FROM sk.t",
    "SELECT SUM(COALESCE(x, 0)) FROM sk.t",
    "SELECT SUM(ROUND(x, 1)), SUM(FLOOR(x)) FROM sk.t",
    "SELECT SUM(ABS(x - 500)) FROM sk.t",
    "SELECT SUM(ROUND(f)), SUM(POWER(f, 2)) FROM sk.t",
    "SELECT MAX(DATE_ADD(d, INTERVAL 1 MONTH)), MAX(DATE_SUB(dt, INTERVAL 1 YEAR)) FROM sk.t",
    "SELECT MAX(DATE_TRUNC(dt, 'month')) FROM sk.t",
    "SELECT MAX(DATE_FORMAT(d, '%Y-%m-%d')) FROM sk.t",
    # Fourteenth session (datefuncs): 128-bit DECIMAL rounding, date differences and fields,
    # math and conditional functions of two or three arguments.
    "SELECT SUM(ROUND(w, 2)), SUM(FLOOR(w)) FROM sk.t",
    "SELECT SUM(TRUNCATE(w, -3)), SUM(CEIL(w)) FROM sk.t",
    "SELECT SUM(MONTHS_DIFF(dt, d)), SUM(DAYS_DIFF(dt, d)) FROM sk.t",
    "SELECT SUM(TIMESTAMPDIFF(HOUR, d, dt)), SUM(TIMESTAMPDIFF(YEAR, d, dt)) FROM sk.t",
    "SELECT SUM(EXTRACT(MONTH FROM dt)), SUM(WEEK(d)), SUM(YEARWEEK(d, 1)) FROM sk.t",
    "SELECT MAX(MONTHNAME(d)), MAX(DAYNAME(dt)), MAX(LAST_DAY(d)) FROM sk.t",
    "SELECT SUM(SIGN(f)), SUM(PMOD(k, 7)), SUM(FMOD(f, 3)) FROM sk.t",
    "SELECT SUM(LOG(2, k + 1)), SUM(GCD(k, 360)) FROM sk.t",
    "SELECT SUM(NVL2(x, k, 0)), SUM(IF(k XOR (k % 3), 1, 0)) FROM sk.t",
    # Fourteenth session (strfuncs): the remaining string functions.
    "SELECT SUM(LENGTH(SPLIT_PART(s, ' ', 2))) FROM sk.t",
    "SELECT SUM(LENGTH(SUBSTRING_INDEX(s, ' ', -2))) FROM sk.t",
    "SELECT SUM(LENGTH(REPEAT(s, 3))), SUM(LENGTH(SPACE(k % 10))) FROM sk.t",
    "SELECT SUM(STRCMP(s, 'echo')), SUM(ASCII(s)) FROM sk.t",
    "SELECT MAX(MD5(s)), MAX(SHA2(s, 256)) FROM sk.t",
    "SELECT SUM(LENGTH(FROM_BASE64(TO_BASE64(s)))) FROM sk.t",
    "SELECT SUM(LENGTH(UNHEX(HEX(s)))) FROM sk.t",
    "SELECT SUM(FIND_IN_SET('echo', REPLACE(s, ' ', ','))) FROM sk.t",
    "SELECT SUM(FIELD(s, 'echo', 'golf')), MAX(ELT(k % 3 + 1, 'a', s, 'c')) FROM sk.t",
    "SELECT MAX(INITCAP(s)), MAX(QUOTE(s)) FROM sk.t",
    "SELECT MAX(FORMAT(x, 2)), MAX(FORMAT(k, 0)) FROM sk.t",
    "SELECT SUM(LENGTH(CONCAT(s, k))), SUM(LENGTH(CONCAT_WS('-', k, x))) FROM sk.t",
    "SELECT SUM(LENGTH(LTRIM(s, 'a'))), SUM(LENGTH(APPEND_TRAILING_CHAR_IF_ABSENT(s, 'o'))) FROM sk.t",
    # Fifteenth session (rowtail): regular expressions, DOUBLE rounding to digits, number text,
    # day numbers.
    "SELECT SUM(IF(s REGEXP 'o$', 1, 0)), SUM(IF(s RLIKE '^[a-d]', 1, 0)) FROM sk.t",
    "SELECT SUM(LENGTH(REGEXP_REPLACE(s, '[aeiou]', '*'))) FROM sk.t",
    "SELECT SUM(LENGTH(REGEXP_EXTRACT(s, '([a-z]+) ([a-z]+)', 2))) FROM sk.t",
    "SELECT SUM(ROUND(f, 2)), SUM(TRUNCATE(f, 1)) FROM sk.t",
    "SELECT SUM(FACTORIAL(k % 15)), MAX(BIN(k)) FROM sk.t",
    "SELECT MAX(CONV(s, 36, 10)), MAX(CONV(s, 36, -2)) FROM sk.t",
    "SELECT MAX(FROM_DAYS(k % 1000000 + 700000)), MAX(MAKEDATE(2000 + k % 20, k % 365 + 1)) FROM sk.t",
    "SELECT MAX(STR_TO_DATE(DATE_FORMAT(dt, '%d/%m/%Y %H:%i:%s'), '%d/%m/%Y %H:%i:%s')) FROM sk.t",
    "SELECT SUM(TIME_TO_SEC(DATE_FORMAT(dt, '%H:%i:%s'))), MAX(TIME(DATE_FORMAT(dt, '%Y-%m-%d %H:%i:%s'))) FROM sk.t",
    "SELECT SUM(BITAND(k, 255)), SUM(BIT_COUNT(k)), SUM(BITXOR(k, 7)) FROM sk.t",
    "SELECT MAX(FROM_SECOND(k * 1000)), MAX(FROM_MILLISECOND(k * 1000)) FROM sk.t",
    "SELECT MAX(ADDTIME(dt, '01:30:00')), MAX(SUBTIME(d, '1 02:00:00')) FROM sk.t",
    # Fifteenth session (rowtail2): STR_TO_DATE with a format column, RAND, UUID, date functions
    # of a text.
    "SELECT MAX(STR_TO_DATE(DATE_FORMAT(d, '%d/%m/%Y'), IF(k % 1000 = 0, '%d/%m/%Y ', '%d/%m/%Y'))) FROM sk.t",
    "SELECT SUM(IF(RAND(k) < 0.5, 1, 0)), SUM(IF(RAND() < 0.5, 1, 0)), SUM(LENGTH(UUID())) FROM sk.t",
    "SELECT SUM(HOUR(DATE_FORMAT(dt, '%Y-%m-%d %H:%i:%s'))), MAX(TIMESTAMP(DATE_FORMAT(dt, '%Y-%m-%d %H:%i:%s'))) FROM sk.t",
]

WORDS = ["alpha", "Bravo", "charlie", "DELTA", "echo", "Foxtrot", "golf", "hotel", "India",
         "juliet", "kilo", "Lima"]


def write_rows(path, rows):
    generator = random.Random(7)
    with open(path, "w") as out:
        for i in range(rows):
            day = generator.randrange(15000)
            year, day_of_year = 1990 + day // 365, day % 365
            month, day_of_month = 1 + day_of_year // 31 % 12, 1 + day_of_year % 28
            date = f"{year:04d}-{month:02d}-{day_of_month:02d}"
            words = " ".join(generator.choice(WORDS) for _ in range(generator.randrange(1, 5)))
            decimal = f"{generator.randrange(-100000, 100000) / 100:.2f}"
            double = generator.randrange(-1000000, 1000000) / 64
            wide = f"{generator.randrange(-10**30, 10**30)}.{generator.randrange(10000):04d}"
            out.write(f"{i}\t{date}\t{date} {i % 24:02d}:{i % 60:02d}:{i % 59:02d}\t{words}"
                      f"\t{decimal}\t{double}\t{wide}\n")


def main():
    homes = {"before": sys.argv[1], "after": sys.argv[2]}
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 4_000_000
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    servers = {}
    try:
        for side, home in homes.items():
            servers[side] = Server(home)
        data = tempfile.mktemp(prefix="basalt-scalar-kernels-", suffix=".tsv")
        write_rows(data, rows)
        for side, server in servers.items():
            server.run("CREATE DATABASE sk")
            server.run(
                "CREATE TABLE sk.t (k BIGINT, d DATE, dt DATETIME, s VARCHAR(40), x DECIMAL(12, 2),"
                " f DOUBLE, w DECIMAL(38, 4))"
                " DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 4")
            server.stream_load("sk", "t", data)
        os.unlink(data)
        pattern = re.compile(sys.argv[5]) if len(sys.argv) > 5 else None
        queries = [query for query in QUERIES if pattern is None or pattern.search(query)]
        print_query_cpu(servers, queries, runs)
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
