package dev.basalt.server.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the crash harness knows about loads of one table whose content is known in advance: each
 * load has a unique id and writes {@code rows} rows with that id whose amounts add up to {@code
 * sum}. A load is <em>in doubt</em> from the moment it is sent until the server acknowledges it;
 * after a crash a load in doubt may be there (it committed before the crash) or not, but only
 * whole. {@link #check} compares what a table holds with this ledger: an acknowledged load missing
 * is lost, one present twice is duplicated, one present with other rows is partial, rows of no
 * known load are phantoms. Thread safe.
 */
final class CrashLedger {
  /** One load: its id, how many rows it writes and their amounts' sum. */
  record Load(long id, int rows, long sum, String body) {}

  private final String table;
  private final Map<Long, Load> inDoubt = new ConcurrentHashMap<>();
  private final Map<Long, Load> acknowledged = new ConcurrentHashMap<>();

  CrashLedger(String table) {
    this.table = table;
  }

  String table() {
    return table;
  }

  /** The load is about to be sent. */
  void sending(Load load) {
    inDoubt.put(load.id(), load);
  }

  /** The server acknowledged the load. */
  void acknowledged(long id) {
    Load load = inDoubt.remove(id);
    if (load != null) {
      acknowledged.put(id, load);
    }
  }

  /** Loads sent and not acknowledged (a retry with the same label may settle them). */
  List<Load> inDoubt() {
    return new ArrayList<>(inDoubt.values());
  }

  int acknowledgedCount() {
    return acknowledged.size();
  }

  /**
   * Compares the table's content, {@code found} (load id → {rows, sum}), with the ledger, counts
   * violations in {@code report}, and settles the loads in doubt: present → acknowledged (it
   * committed before the crash), absent → forgotten (it never committed; its id is not reused).
   */
  void check(Map<Long, long[]> found, CrashReport report, String context) {
    for (Map.Entry<Long, long[]> entry : found.entrySet()) {
      long id = entry.getKey();
      long rows = entry.getValue()[0];
      long sum = entry.getValue()[1];
      Load load = acknowledged.get(id);
      boolean wasInDoubt = false;
      if (load == null) {
        load = inDoubt.get(id);
        wasInDoubt = load != null;
      }
      if (load == null) {
        report.phantom(context + ": " + table + " has " + rows + " rows of unknown load " + id);
        continue;
      }
      if (rows == load.rows() && sum == load.sum()) {
        if (wasInDoubt) {
          acknowledged(id);
        }
      } else if (rows % load.rows() == 0 && sum * load.rows() == load.sum() * rows) {
        report.duplicated(
            context + ": " + table + " holds load " + id + " " + rows / load.rows() + " times");
      } else {
        report.partial(
            context
                + ": "
                + table
                + " load "
                + id
                + " has "
                + rows
                + " rows summing to "
                + sum
                + ", expected "
                + load.rows()
                + " summing to "
                + load.sum());
      }
    }
    for (Load load : acknowledged.values()) {
      if (!found.containsKey(load.id())) {
        report.lost(context + ": " + table + " lost acknowledged load " + load.id());
      }
    }
    inDoubt.keySet().removeIf(id -> !found.containsKey(id));
  }
}
