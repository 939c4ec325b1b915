#!/usr/bin/env python3
"""What HTTP Basic authentication costs a small Stream Load, two builds side by side (issue 13,
docs/benchmarks.md "Stream Load: verified passwords remembered").

    /usr/bin/python3 scripts/http-auth-cost.py BEFORE_HOME AFTER_HOME [LOADS] [RUNS]

BEFORE_HOME and AFTER_HOME are Basalt checkouts. Each gets a server (scripts/basalt_servers.py)
with one table and three users: root without a password, a mysql_native_password user and a
caching_sha2_password user. Then RUNS rounds (default 5, after one warm-up round) send, as each
user in turn and on each server in turn, LOADS (default 300) 10-row group-commit Stream Loads one
after another over one kept-alive connection, and report per user the median server CPU time per
load (/proc/PID/stat; the client's own time is not counted). Needs PyMySQL.
"""
import base64
import http.client
import statistics
import sys

from basalt_servers import Server

USERS = {
    "root (no password)": ("root", ""),
    "mysql_native_password": ("native_loader", "native-Secret1"),
    "caching_sha2_password": ("sha2_loader", "sha2-Secret1"),
}
BODY = "".join(f"{k}\t{k * 7}\n" for k in range(10)).encode()


def prepare(server):
    server.run("CREATE DATABASE auth_cost")
    server.run("CREATE TABLE auth_cost.t (k INT, v BIGINT) DUPLICATE KEY(k)"
               " DISTRIBUTED BY HASH(k) BUCKETS 1")
    for plugin, (user, password) in USERS.items():
        if user != "root":
            server.run(f"CREATE USER {user} IDENTIFIED WITH {plugin} BY '{password}'")
            server.run(f"GRANT LOAD_PRIV ON auth_cost.* TO {user}")


def send_loads(server, user, password, loads):
    """Sends the loads and returns the server CPU milliseconds they took."""
    authorization = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    connection = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=60)
    before = server.cpu_millis()
    for _ in range(loads):
        connection.request("PUT", "/api/auth_cost/t/_stream_load", body=BODY, headers={
            "Authorization": authorization, "group_commit": "async_mode"})
        answer = connection.getresponse().read().decode()
        if '"Success"' not in answer:
            raise SystemExit(f"a load as {user} failed: {answer}")
    spent = server.cpu_millis() - before
    connection.close()
    return spent


def main():
    before_home, after_home = sys.argv[1], sys.argv[2]
    loads = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    servers = {"before": Server(before_home), "after": Server(after_home)}
    try:
        for server in servers.values():
            prepare(server)
        cpu = {(side, kind): [] for side in servers for kind in USERS}
        for run in range(runs + 1):
            for kind, (user, password) in USERS.items():
                for side, server in servers.items():
                    spent = send_loads(server, user, password, loads)
                    if run > 0:
                        cpu[(side, kind)].append(spent * 1000 / loads)
        for kind in USERS:
            print(f"{kind:24s} server CPU per load: before "
                  f"{statistics.median(cpu[('before', kind)]):7.0f} µs"
                  f"  after {statistics.median(cpu[('after', kind)]):7.0f} µs", flush=True)
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
