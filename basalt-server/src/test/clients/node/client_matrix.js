// Node.js mysql2 against a running Basalt server. Run by ClientDriversTest as
// `node client_matrix.js HOST PORT`. Each check throws on a wrong answer; the last line printed is
// "ok mysql2 <checks>" when every check passed.
'use strict';
const assert = require('node:assert/strict');
const mysql = require('mysql2/promise');

const [host, port] = [process.argv[2], Number(process.argv[3])];
let checks = 0;

function check(actual, expected, what) {
  assert.deepStrictEqual(actual, expected, what);
  checks++;
}

async function expectError(run, code, what) {
  try {
    await run();
  } catch (error) {
    check(error.errno, code, what + ' error code');
    return;
  }
  throw new Error(what + ': expected error ' + code + ', got none');
}

async function main() {
  const conn = await mysql.createConnection({
    host, port, user: 'root', password: '', dateStrings: true, supportBigNumbers: true,
    bigNumberStrings: true,
  });
  await conn.query('DROP DATABASE IF EXISTS clients_node');
  await conn.query('CREATE DATABASE clients_node');
  await conn.query('USE clients_node');
  await conn.query(
    'CREATE TABLE t (id INT, name VARCHAR(40), ts DATETIME(6), amount DECIMAL(10, 2), big BIGINT)' +
    ' UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 2');

  // Client-side bulk insert (query with nested arrays) and server-side prepared inserts (execute).
  const [bulk] = await conn.query('INSERT INTO t VALUES ?', [[
    [1, 'alpha', '2024-01-02 03:04:05.123456', '1.50', '9007199254740993'],
    [2, null, null, null, null],
  ]]);
  check(bulk.affectedRows, 2, 'bulk insert affected rows');
  for (const row of [[3, '日本語 ✓', '1999-12-31 23:59:59.999999', '-0.01', '-5'], [4, 'd', null, '0.00', '0']]) {
    const [result] = await conn.execute('INSERT INTO t VALUES (?, ?, ?, ?, ?)', row);
    check(result.affectedRows, 1, 'prepared insert affected rows');
  }

  const [rows] = await conn.query('SELECT id, name, ts, amount, big FROM t ORDER BY id');
  check(rows.map((r) => [r.id, r.name, r.ts, r.amount, r.big]), [
    [1, 'alpha', '2024-01-02 03:04:05.123456', '1.50', '9007199254740993'],
    [2, null, null, null, null],
    [3, '日本語 ✓', '1999-12-31 23:59:59.999999', '-0.01', '-5'],
    [4, 'd', null, '0.00', '0'],
  ], 'text protocol rows (NULLs, microseconds, decimals, 64-bit integers, UTF-8)');

  // The binary protocol: a prepared query, executed twice with different parameters.
  const [first] = await conn.execute('SELECT name, amount FROM t WHERE id = ?', [3]);
  check(first, [{ name: '日本語 ✓', amount: '-0.01' }], 'prepared query');
  const [second] = await conn.execute('SELECT name, amount FROM t WHERE id = ?', [2]);
  check(second, [{ name: null, amount: null }], 'prepared query, NULL values');
  const [nullParam] = await conn.execute('SELECT COUNT(*) AS n FROM t WHERE name = ?', [null]);
  check(nullParam[0].n, '0', 'NULL parameter compares unknown (COUNT is a BIGINT: a string here)');

  const [agg] = await conn.query('SELECT COUNT(*) AS n, SUM(amount) AS s FROM t');
  check([agg[0].n, agg[0].s], ['4', '1.49'], 'aggregate');

  await expectError(() => conn.query('SELECT * FROM no_such_table'), 1146, 'unknown table');
  await expectError(() => conn.query('SELEC 1'), 1064, 'syntax error');
  await expectError(() => conn.execute('SELECT * FROM no_such_table WHERE id = ?', [1]), 1146,
    'prepared unknown table');

  // Explicit transaction.
  await conn.beginTransaction();
  await conn.query('INSERT INTO t VALUES (10, \'txn\', NULL, NULL, NULL)');
  await conn.rollback();
  const [afterRollback] = await conn.query('SELECT COUNT(*) AS n FROM t WHERE id = 10');
  check(afterRollback[0].n, '0', 'rolled back insert is gone');
  await conn.beginTransaction();
  await conn.query('INSERT INTO t VALUES (10, \'txn\', NULL, NULL, NULL)');
  await conn.commit();
  const [afterCommit] = await conn.query('SELECT COUNT(*) AS n FROM t WHERE id = 10');
  check(afterCommit[0].n, '1', 'committed insert is visible');

  // A pool: several connections at once, each with its own session state.
  const pool = mysql.createPool({ host, port, user: 'root', password: '', database: 'clients_node',
    connectionLimit: 4 });
  const counts = await Promise.all(Array.from({ length: 16 }, (_, i) =>
    pool.query('SELECT COUNT(*) AS n FROM t WHERE id <= ?', [i]).then(([r]) => r[0].n)));
  check(counts, Array.from({ length: 16 }, (_, i) => Math.min(i, 4) + (i >= 10 ? 1 : 0)),
    'pooled queries');
  await pool.end();

  // Cancel: KILL QUERY from a second connection (mysql2 has no cancel call of its own) until the
  // running statement fails with 1317.
  await conn.query('CREATE TABLE big (id INT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1');
  await conn.query('INSERT INTO big VALUES ?', [Array.from({ length: 2000 }, (_, i) => [i])]);
  const [[{ id: connectionId }]] = await conn.query('SELECT CONNECTION_ID() AS id');
  const killer = await mysql.createConnection({ host, port, user: 'root', password: '' });
  let cancelled = false;
  const kills = (async () => {
    while (!cancelled) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (!cancelled) {
        await killer.query('KILL QUERY ' + connectionId);
      }
    }
  })();
  try {
    await expectError(() => conn.query('SELECT COUNT(*) FROM big a, big b, big c'), 1317,
      'cancelled query');
  } finally {
    cancelled = true;
    await kills;
    await killer.end();
  }
  const [afterCancel] = await conn.query('SELECT COUNT(*) AS n FROM t WHERE id = 1');
  check(afterCancel[0].n, '1', 'connection usable after the cancel');

  await conn.ping();
  await conn.end();
  console.log('ok mysql2 ' + checks);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
