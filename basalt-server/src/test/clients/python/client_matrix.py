"""Python clients against a running Basalt server: PyMySQL, mysqlclient (MySQLdb),
mysql-connector-python (its pure-Python and C-extension connections), and SQLAlchemy with pandas.
Run by ClientDriversTest as `python3 client_matrix.py HOST PORT DRIVER`, where DRIVER is pymysql,
mysqldb, connector_pure, connector_cext or sqlalchemy. Each check raises on a wrong answer; the
last line printed is "ok DRIVER <checks>" when every check passed."""

import sys

if sys.argv[3] == "connector_cext":
    # The wheel's C extension links the OpenSSL 3.2+ it ships (mysql/vendor); it must be loaded
    # before anything loads the system's older libssl.so.3 (Python's ssl module does), or the
    # connector silently falls back to pure Python.
    import _mysql_connector  # noqa: F401

import datetime
import decimal
import threading

HOST, PORT, DRIVER = sys.argv[1], int(sys.argv[2]), sys.argv[3]
DATABASE = "clients_" + DRIVER
checks = 0


def check(actual, expected, what):
    global checks
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")
    checks += 1


def expect_error(run, code, what):
    global checks
    try:
        run()
    except Exception as error:  # each driver has its own exception classes
        check(error.args[0], code, what + " error code")
        return
    raise AssertionError(f"{what}: expected error {code}, got none")


ROWS = [
    (1, "alpha", datetime.datetime(2024, 1, 2, 3, 4, 5, 123456), decimal.Decimal("1.50"), 2.5),
    (2, None, None, None, None),
    (3, "日本語 ✓", datetime.datetime(1999, 12, 31, 23, 59, 59, 999999), decimal.Decimal("-0.01"), -1e300),
]


def dbapi_script(module, connect):
    """The same script for every DB-API driver."""
    conn = connect()
    cur = conn.cursor(buffered=True) if module == "connector" else conn.cursor()
    cur.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
    cur.execute(f"CREATE DATABASE {DATABASE}")
    cur.execute(f"USE {DATABASE}")
    cur.execute(
        "CREATE TABLE t (id INT, name VARCHAR(40), ts DATETIME(6), amount DECIMAL(10, 2),"
        " ratio DOUBLE) UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 2"
        " PROPERTIES ('replication_num' = '1')"
    )
    cur.executemany("INSERT INTO t VALUES (%s, %s, %s, %s, %s)", ROWS)
    check(cur.rowcount, len(ROWS), "executemany row count")

    cur.execute("SELECT id, name, ts, amount, ratio FROM t ORDER BY id")
    check(list(cur.fetchall()), ROWS, "rows round trip (NULLs, microseconds, decimals, UTF-8)")
    check([d[0] for d in cur.description], ["id", "name", "ts", "amount", "ratio"], "column names")

    cur.execute("SELECT name FROM t WHERE id = %s AND ts > %s", (1, datetime.datetime(2024, 1, 1)))
    check(tuple(cur.fetchall()), (("alpha",),), "parameters")

    cur.execute("SELECT COUNT(*), SUM(amount), MAX(ts) FROM t")
    check(cur.fetchone(), (3, decimal.Decimal("1.49"), ROWS[0][2]), "aggregate")

    # Upsert by key (UNIQUE KEY merge-on-write): the newer row replaces the older one.
    cur.execute("INSERT INTO t VALUES (2, 'beta', NULL, 7.00, NULL)")
    cur.execute("SELECT name, amount FROM t WHERE id = 2")
    check(cur.fetchone(), ("beta", decimal.Decimal("7.00")), "upsert")

    # Streaming a larger result without buffering it (server-side cursor).
    cur.executemany(
        "INSERT INTO t (id, name, ratio) VALUES (%s, %s, %s)",
        [(i, "gen", i / 3) for i in range(10, 5010)],
    )
    stream = conn.cursor(buffered=False) if module == "connector" else conn.cursor(module_cursor_class(module))
    stream.execute("SELECT id FROM t WHERE id >= 10 ORDER BY id")
    total = 0
    for (value,) in stream:
        total += value
    stream.close()
    check(total, sum(range(10, 5010)), "streamed rows")

    expect_error(lambda: cur.execute("SELECT * FROM no_such_table"), 1146, "unknown table")
    expect_error(lambda: cur.execute("SELEC 1"), 1064, "syntax error")
    cur.execute("SELECT 1")
    check(cur.fetchone(), (1,), "connection usable after errors")

    # Explicit transactions: visible together at COMMIT, gone at ROLLBACK.
    begin = conn.start_transaction if module == "connector" else conn.begin
    begin()
    cur.execute("INSERT INTO t VALUES (100, 'txn', NULL, NULL, NULL), (101, 'txn', NULL, NULL, NULL)")
    conn.rollback()
    cur.execute("SELECT COUNT(*) FROM t WHERE name = 'txn'")
    check(cur.fetchone(), (0,), "rolled back rows are gone")
    begin()
    cur.execute("INSERT INTO t VALUES (100, 'txn', NULL, NULL, NULL)")
    cur.execute("INSERT INTO t VALUES (101, 'txn', NULL, NULL, NULL)")
    conn.commit()
    cur.execute("SELECT COUNT(*) FROM t WHERE name = 'txn'")
    check(cur.fetchone(), (2,), "committed rows are visible")

    # AUTO_INCREMENT: the driver's lastrowid is the OK packet's last-insert-id.
    cur.execute(
        "CREATE TABLE auto (id BIGINT NOT NULL AUTO_INCREMENT, v INT)"
        " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1"
    )
    cur.execute("INSERT INTO auto (v) VALUES (%s), (%s)", (10, 20))
    generated = cur.lastrowid
    cur.execute("SELECT LAST_INSERT_ID()")
    check(cur.fetchone(), (generated,), "lastrowid is LAST_INSERT_ID()")
    cur.execute("SELECT id, v FROM auto ORDER BY id")
    check(list(cur.fetchall()), [(generated, 10), (generated + 1, 20)], "generated ids")

    if module == "connector":
        connector_extras(conn)
    cancel_check(module, conn, connect)
    process_kill_check(module, connect)
    conn.ping()
    conn.close()


def connector_extras(conn):
    """mysql-connector-python only: its prepared cursor (COM_STMT_PREPARE / EXECUTE, the binary
    protocol)."""
    prepared = conn.cursor(prepared=True)
    prepared.execute("SELECT id, name, ts, amount, ratio FROM t WHERE id IN (?, ?, ?) ORDER BY id", (1, 2, 3))
    check(
        [tuple(row) for row in prepared.fetchall()],
        [ROWS[0], (2, "beta", None, decimal.Decimal("7.00"), None), ROWS[2]],
        "prepared rows (binary protocol: NULLs, microseconds, decimals, UTF-8)",
    )
    prepared.execute(
        "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
        (200, None, datetime.datetime(2000, 2, 29, 12, 0, 0, 1), None, None),
    )
    prepared.execute("SELECT name, ts, amount FROM t WHERE id = ?", (200,))
    check(
        tuple(prepared.fetchone()),
        (None, datetime.datetime(2000, 2, 29, 12, 0, 0, 1), None),
        "prepared NULL parameters and a microsecond",
    )
    prepared.execute("SELECT COUNT(*) FROM t WHERE name = ? OR ts = ?", (None, None))
    check(tuple(prepared.fetchone()), (0,), "all parameters NULL")
    prepared.close()


def cancel_check(module, conn, connect):
    """Cancelling a running query the way these drivers can: KILL QUERY from a second connection
    (none of them has a cancel call of its own), until the statement fails with 1317."""
    cur = conn.cursor(buffered=True) if module == "connector" else conn.cursor()
    cur.execute("SELECT CONNECTION_ID()")
    (connection_id,) = cur.fetchone()
    done = threading.Event()

    def killer():
        other = connect()
        other_cursor = other.cursor()
        while not done.wait(0.2):
            other_cursor.execute(f"KILL QUERY {connection_id}")
        other.close()

    thread = threading.Thread(target=killer)
    thread.start()
    slow = conn.cursor()
    try:
        expect_error(
            lambda: slow.execute("SELECT COUNT(*) FROM t a, t b, t c"), 1317, "cancelled query"
        )
    finally:
        done.set()
        thread.join()
    cur = conn.cursor(buffered=True) if module == "connector" else conn.cursor()
    cur.execute("SELECT COUNT(*) FROM t WHERE id = 1")
    check(cur.fetchone(), (1,), "connection usable after the cancel")


def process_kill_check(module, connect):
    """The drivers' own kill call (PyMySQL sends COM_PROCESS_KILL, mysqlclient calls libmariadb's
    mysql_kill) ends another connection; mysqlclient's stat() sends COM_STATISTICS."""
    if module not in ("pymysql", "mysqldb"):
        return
    victim = connect()
    killer = connect()
    victim_cursor = victim.cursor()
    victim_cursor.execute("SELECT CONNECTION_ID()")
    (victim_id,) = victim_cursor.fetchone()
    killer.kill(victim_id)
    try:
        victim_cursor.execute("SELECT 1")
        victim_cursor.fetchall()
        closed = False
    except Exception:  # each driver has its own exception classes
        closed = True
    check(closed, True, "connection ended by the driver's kill()")
    killer_cursor = killer.cursor()
    killer_cursor.execute("SELECT 1")
    check(killer_cursor.fetchone(), (1,), "killing connection still usable")
    if module == "mysqldb":
        check(killer.stat().startswith("Uptime: "), True, "stat() (COM_STATISTICS)")
    killer.close()


def module_cursor_class(module):
    if module == "pymysql":
        import pymysql.cursors

        return pymysql.cursors.SSCursor
    import MySQLdb.cursors

    return MySQLdb.cursors.SSCursor


def sqlalchemy_script():
    import pandas
    import sqlalchemy

    admin = sqlalchemy.create_engine(f"mysql+pymysql://root@{HOST}:{PORT}/")
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text(f"DROP DATABASE IF EXISTS {DATABASE}"))
        conn.execute(sqlalchemy.text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()

    engine = sqlalchemy.create_engine(f"mysql+pymysql://root@{HOST}:{PORT}/{DATABASE}")
    frame = pandas.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["a", None, "c"],
            "price": [1.25, 2.5, None],
            "seen": pandas.to_datetime(["2024-01-01 10:00:00.250", "2024-02-03", None]),
        }
    )
    # pandas emits MySQL DDL (CREATE TABLE with TEXT, DOUBLE, DATETIME, BIGINT) and a batched INSERT.
    written = frame.to_sql("frame", engine, index=False, if_exists="replace")
    check(written, 3, "to_sql rows")
    back = pandas.read_sql("SELECT id, name, price, seen FROM frame ORDER BY id", engine)
    check(back["id"].tolist(), [1, 2, 3], "read_sql ids")
    check(back["name"].tolist(), ["a", None, "c"], "read_sql strings with NULL")
    check(back["price"].tolist()[:2], [1.25, 2.5], "read_sql doubles")
    check(bool(pandas.isna(back["price"][2])), True, "read_sql NULL double")
    # pandas creates DATETIME without fractional digits, so (as in MySQL) the value is rounded.
    check(back["seen"][0], pandas.Timestamp("2024-01-01 10:00:00"), "read_sql datetime")

    # Appending to the existing table (pandas checks it exists through the inspector).
    frame.iloc[:1].assign(id=[4]).to_sql("frame", engine, index=False, if_exists="append")
    inspector = sqlalchemy.inspect(engine)
    check("frame" in inspector.get_table_names(), True, "inspector lists the table")
    check(
        [column["name"] for column in inspector.get_columns("frame")],
        ["id", "name", "price", "seen"],
        "inspector columns",
    )
    with engine.connect() as conn:
        count = conn.execute(sqlalchemy.text("SELECT COUNT(*) FROM frame")).scalar()
        check(count, 4, "appended row")
        rows = conn.execute(
            sqlalchemy.text("SELECT name FROM frame WHERE id = :id"), {"id": 3}
        ).fetchall()
        check([tuple(row) for row in rows], [("c",)], "bound parameter")
    engine.dispose()


if DRIVER == "pymysql":
    import pymysql

    dbapi_script("pymysql", lambda: pymysql.connect(host=HOST, port=PORT, user="root", password=""))
elif DRIVER == "mysqldb":
    import MySQLdb

    dbapi_script("mysqldb", lambda: MySQLdb.connect(host=HOST, port=PORT, user="root", passwd=""))
elif DRIVER in ("connector_pure", "connector_cext"):
    import mysql.connector

    pure = DRIVER == "connector_pure"
    if not pure and not mysql.connector.HAVE_CEXT:
        raise SystemExit("mysql-connector-python's C extension did not load")

    def connect_connector():
        conn = mysql.connector.connect(host=HOST, port=PORT, user="root", password="", use_pure=pure)
        check(type(conn).__name__, "MySQLConnection" if pure else "CMySQLConnection", "connection class")
        return conn

    dbapi_script("connector", connect_connector)
elif DRIVER == "sqlalchemy":
    sqlalchemy_script()
else:
    raise SystemExit("unknown driver " + DRIVER)
print(f"ok {DRIVER} {checks}")
