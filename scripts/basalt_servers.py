"""Servers of two Basalt builds side by side, for the scripts that compare them (imported by
cast-kernels.py, scalar-kernels.py, string-key-join.py, runtime-filter-cutoff.py and
constant-operators.py; not a script itself)."""
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

import pymysql


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A server of the checkout at home on free loopback ports and a temporary data
    directory (BASALT_HEAP=3g, no background compaction), with one autocommit connection."""

    def __init__(self, home):
        self.query_port, self.http_port = free_port(), free_port()
        self.directory = tempfile.mkdtemp(prefix="basalt-compare-")
        log = open(os.path.join(self.directory, "server.log"), "w")
        self.process = subprocess.Popen(
            [os.path.join(home, "basalt"), "server",
             "--data-dir", os.path.join(self.directory, "data"),
             "--query-port", str(self.query_port), "--http-port", str(self.http_port),
             "--compaction-threads", "0"],
            stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, BASALT_HEAP="3g"))
        for _ in range(1200):
            try:
                self.connection = pymysql.connect(
                    host="127.0.0.1", port=self.query_port, user="root", autocommit=True)
                return
            except pymysql.err.OperationalError:
                time.sleep(0.2)
        raise SystemExit(f"the server of {home} did not start; see {self.directory}/server.log")

    def run(self, sql):
        cursor = self.connection.cursor()
        cursor.execute(sql)
        return cursor.fetchall()

    def stream_load(self, database, table, path):
        """Loads the tab-separated file at path into database.table with Stream Load (curl)."""
        answer = subprocess.run(
            ["curl", "-sS", "--location-trusted", "-u", "root:", "-H", "Expect: 100-continue",
             "-T", path, f"http://127.0.0.1:{self.http_port}/api/{database}/{table}/_stream_load"],
            capture_output=True, text=True).stdout
        if '"Success"' not in answer:
            raise SystemExit(f"the Stream Load into {database}.{table} failed: {answer}")

    def cpu_millis(self):
        """CPU time the server process has used (utime + stime of /proc/PID/stat)."""
        fields = open(f"/proc/{self.process.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def print_query_cpu(servers, queries, runs, repeat=1):
    """Runs each query on the "before" and "after" servers in turn, runs + 1 rounds (the first
    a warm-up), and prints each side's median server CPU per query and whether the answers agree.
    With repeat > 1 a round runs the query repeat times in a row and counts the mean, for queries
    that take a few ticks of the CPU clock (10 ms)."""
    cpu = {(side, query): [] for side in servers for query in queries}
    answers = {}
    for run in range(runs + 1):
        for query in queries:
            for side, server in servers.items():
                before = server.cpu_millis()
                for _ in range(repeat):
                    answers.setdefault(query, {})[side] = server.run(query)
                if run > 0:
                    cpu[(side, query)].append((server.cpu_millis() - before) / repeat)
    for query in queries:
        alike = answers[query]["before"] == answers[query]["after"]
        print(f"{query:55s} before {statistics.median(cpu[('before', query)]):6.0f} ms"
              f"  after {statistics.median(cpu[('after', query)]):6.0f} ms"
              f"  {'same answer' if alike else 'answers differ: ' + str(answers[query])}",
              flush=True)


def compare_on_one_table(argv, database, table, create_table, write_rows, queries):
    """The whole of a comparison script on one table: argv is BEFORE_HOME AFTER_HOME [ROWS]
    [RUNS] [REPEAT] (default 4,000,000 rows, 5 runs, each query once a run); starts a server of each checkout, writes ROWS rows
    with write_rows(path, rows) to a tab-separated file, creates database and the table with the
    statement create_table in both, loads the file into each by Stream Load, then runs
    print_query_cpu, and stops the servers."""
    homes = {"before": argv[1], "after": argv[2]}
    rows = int(argv[3]) if len(argv) > 3 else 4_000_000
    runs = int(argv[4]) if len(argv) > 4 else 5
    repeat = int(argv[5]) if len(argv) > 5 else 1
    servers = {}
    try:
        for side, home in homes.items():
            servers[side] = Server(home)
        data = tempfile.mktemp(prefix=f"basalt-{database}-", suffix=".tsv")
        write_rows(data, rows)
        for server in servers.values():
            server.run(f"CREATE DATABASE {database}")
            server.run(create_table)
            server.stream_load(database, table, data)
        os.unlink(data)
        print_query_cpu(servers, queries, runs, repeat)
    finally:
        for server in servers.values():
            server.stop()
