package dev.basalt.server.it;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The crash harness's reference model of a merge-on-write UNIQUE KEY table {@code (k, balance,
 * ops)} written by one thread with upserts, UPDATEs and DELETEs over key ranges. At most one
 * statement is in doubt (sent, not acknowledged) at a time: after a crash the table must equal the
 * model, or the model with that one statement applied, whole. Not thread safe (one writer).
 */
final class CrashAccounts {
  static final String TABLE = "crash.accounts";
  static final String DDL =
      "CREATE TABLE "
          + TABLE
          + " (k INT NOT NULL, balance BIGINT, ops BIGINT) UNIQUE KEY(k)"
          + " DISTRIBUTED BY HASH(k) BUCKETS 2";
  private static final int KEYS = 40;

  /** A statement and its effect on the model. */
  record Operation(String sql, Consumer<TreeMap<Integer, String>> effect) {}

  private TreeMap<Integer, String> rows = new TreeMap<>();
  private Operation inDoubt;

  Operation next(Random random) {
    int low = random.nextInt(KEYS);
    int high = Math.min(KEYS - 1, low + random.nextInt(6));
    int choice = random.nextInt(10);
    if (choice < 4) {
      long balance = random.nextInt(1000);
      return new Operation(
          "INSERT INTO " + TABLE + " VALUES (" + low + ", " + balance + ", 1)",
          model -> model.put(low, balance + "|1"));
    }
    if (choice < 8) {
      long delta = 1 + random.nextInt(50);
      return new Operation(
          "UPDATE "
              + TABLE
              + " SET balance = balance + "
              + delta
              + ", ops = ops + 1 WHERE k BETWEEN "
              + low
              + " AND "
              + high,
          model -> {
            for (Map.Entry<Integer, String> row : model.subMap(low, true, high, true).entrySet()) {
              String[] values = row.getValue().split("\\|");
              row.setValue(
                  (Long.parseLong(values[0]) + delta) + "|" + (Long.parseLong(values[1]) + 1));
            }
          });
    }
    return new Operation(
        "DELETE FROM " + TABLE + " WHERE k BETWEEN " + low + " AND " + high,
        model -> model.subMap(low, true, high, true).clear());
  }

  void sending(Operation operation) {
    inDoubt = operation;
  }

  void acknowledged(Operation operation) {
    operation.effect().accept(rows);
    inDoubt = null;
  }

  /** Compares the table ({@code k → "balance|ops"}) and settles the statement in doubt. */
  void check(TreeMap<Integer, String> found, CrashReport report, String context) {
    if (found.equals(rows)) {
      inDoubt = null;
      return;
    }
    if (inDoubt != null) {
      TreeMap<Integer, String> applied = new TreeMap<>(rows);
      inDoubt.effect().accept(applied);
      if (found.equals(applied)) {
        rows = applied;
        inDoubt = null;
        return;
      }
    }
    report.partial(
        context
            + ": "
            + TABLE
            + " is "
            + found
            + ", expected "
            + rows
            + (inDoubt == null ? "" : " or that after '" + inDoubt.sql() + "'"));
    // Go on from what the table holds, so one violation is reported once.
    rows = found;
    inDoubt = null;
  }
}
