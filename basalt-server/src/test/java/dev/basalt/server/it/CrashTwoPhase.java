package dev.basalt.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The crash harness's model of two-phase Stream Loads into {@code crash.staged}: each load's label,
 * content ({@link CrashLedger.Load}), transaction id and state. Pre-committed rows must never be
 * visible; committed ones exactly once; a pre-committed load survives a crash and can still be
 * committed or aborted after it, or is aborted by the server at its timeout. Thread safe.
 */
final class CrashTwoPhase {
  static final String DATABASE = "crash";
  static final String TABLE = "staged";

  /** The timeout of loads left pre-committed for the server to abort. */
  static final int SHORT_TIMEOUT_SECONDS = 2;

  enum State {
    /** Pre-commit sent, no answer. */
    PRECOMMIT_IN_DOUBT,
    /** Pre-committed; to be committed or aborted later (after a restart, too). */
    PRECOMMITTED,
    /** Pre-committed with a one-second timeout and left alone: the server must abort it. */
    TIMING_OUT,
    COMMIT_IN_DOUBT,
    COMMITTED,
    ABORT_IN_DOUBT,
    ABORTED
  }

  /** One two-phase load. */
  static final class Txn {
    final CrashLedger.Load load;
    final String label;
    final boolean timingOut;
    volatile State state = State.PRECOMMIT_IN_DOUBT;
    volatile long transactionId;
    volatile long precommittedAtMillis;

    Txn(CrashLedger.Load load, boolean timingOut) {
      this.load = load;
      this.timingOut = timingOut;
      this.label = "tp_" + load.id();
    }
  }

  private static final Pattern RELATED_TXN = Pattern.compile("relate to txn \\[(\\d+)\\]");

  private final Map<Long, Txn> txns = new ConcurrentHashMap<>();

  Txn start(CrashLedger.Load load, boolean timingOut) {
    Txn txn = new Txn(load, timingOut);
    txns.put(load.id(), txn);
    return txn;
  }

  List<Txn> all() {
    return new ArrayList<>(txns.values());
  }

  long committedCount() {
    return txns.values().stream().filter(t -> t.state == State.COMMITTED).count();
  }

  /** Sends the pre-commit (again, after a crash); true when the load is now pre-committed. */
  boolean precommit(StreamLoadClient client, Txn txn, int timeoutSeconds, CrashReport report)
      throws Exception {
    txn.state = State.PRECOMMIT_IN_DOUBT;
    JsonNode answer =
        client.load(
            DATABASE,
            TABLE,
            StreamLoadClient.headers(
                "label",
                txn.label,
                "column_separator",
                ",",
                "two_phase_commit",
                "true",
                "timeout",
                Integer.toString(timeoutSeconds)),
            txn.load.body());
    String status = answer.path("Status").asText();
    if (status.equals("Success")) {
      txn.transactionId = answer.path("TxnId").asLong();
    } else if (status.equals("Label Already Exists")
        && answer.path("ExistingJobStatus").asText().equals("PRECOMMITTED")) {
      Matcher related = RELATED_TXN.matcher(answer.path("Message").asText());
      if (!related.find()) {
        report.unexpectedError("pre-commit retry of " + txn.label + ": " + answer);
        return false;
      }
      txn.transactionId = Long.parseLong(related.group(1));
    } else {
      report.unexpectedError("pre-commit of " + txn.label + ": " + answer);
      return false;
    }
    txn.precommittedAtMillis = System.currentTimeMillis();
    txn.state = txn.timingOut ? State.TIMING_OUT : State.PRECOMMITTED;
    return true;
  }

  /** Commits a pre-committed load (or retries a commit in doubt). */
  void commit(StreamLoadClient client, Txn txn, CrashReport report) throws Exception {
    txn.state = State.COMMIT_IN_DOUBT;
    JsonNode answer = operate(client, txn, "commit");
    String message = answer.path("msg").asText();
    if (answer.path("status").asText().equals("Success")
        || message.contains("is already visible")) {
      txn.state = State.COMMITTED;
    } else if (message.contains("not found")) {
      report.lost("the acknowledged pre-commit of " + txn.label + " is gone: " + answer);
      txn.state = State.ABORTED;
    } else {
      report.unexpectedError(
          "commit of " + txn.label + " (txn " + txn.transactionId + "): " + answer);
      txn.state = message.contains("already aborted") ? State.ABORTED : State.COMMIT_IN_DOUBT;
    }
  }

  /** Aborts a pre-committed load (or retries an abort in doubt). */
  void abort(StreamLoadClient client, Txn txn, CrashReport report) throws Exception {
    txn.state = State.ABORT_IN_DOUBT;
    JsonNode answer = operate(client, txn, "abort");
    String message = answer.path("msg").asText();
    if (answer.path("status").asText().equals("Success") || message.contains("already aborted")) {
      txn.state = State.ABORTED;
    } else {
      report.unexpectedError(
          "abort of " + txn.label + " (txn " + txn.transactionId + "): " + answer);
    }
  }

  /**
   * A load left pre-committed past its short timeout must be aborted by the server (by its sweep,
   * or at the latest by this late commit): the commit must answer "already aborted ... timeout by
   * txn manager".
   */
  void expectTimedOut(StreamLoadClient client, Txn txn, CrashReport report) throws Exception {
    JsonNode answer = operate(client, txn, "commit");
    String message = answer.path("msg").asText();
    if (message.contains("already aborted") && message.contains("timeout")) {
      txn.state = State.ABORTED;
    } else if (message.contains("not found")) {
      report.lost("the acknowledged pre-commit of " + txn.label + " is gone: " + answer);
      txn.state = State.ABORTED;
    } else {
      report.unexpectedError(
          "pre-committed load " + txn.label + " outlived its timeout: commit answered " + answer);
      txn.state =
          answer.path("status").asText().equals("Success") ? State.COMMITTED : State.ABORTED;
    }
  }

  private static JsonNode operate(StreamLoadClient client, Txn txn, String operation)
      throws Exception {
    return client.twoPhase(
        DATABASE,
        StreamLoadClient.headers(
            "txn_id", Long.toString(txn.transactionId), "txn_operation", operation));
  }

  /**
   * Compares {@code crash.staged} ({@code found}: load id → {rows, sum}) with the model: committed
   * loads exactly once, every other load invisible.
   */
  void check(Map<Long, long[]> found, CrashReport report, String context) {
    for (Map.Entry<Long, long[]> entry : found.entrySet()) {
      Txn txn = txns.get(entry.getKey());
      long rows = entry.getValue()[0];
      long sum = entry.getValue()[1];
      if (txn == null) {
        report.phantom(context + ": staged has rows of unknown two-phase load " + entry.getKey());
      } else if (txn.state != State.COMMITTED && txn.state != State.COMMIT_IN_DOUBT) {
        report.phantom(context + ": rows of " + txn.label + " are visible in state " + txn.state);
      } else if (rows == txn.load.rows() && sum == txn.load.sum()) {
        txn.state = State.COMMITTED;
      } else if (rows % txn.load.rows() == 0 && rows > txn.load.rows()) {
        report.duplicated(
            context + ": two-phase load " + txn.label + " is there " + rows + " rows");
      } else {
        report.partial(context + ": two-phase load " + txn.label + " has " + rows + " rows");
      }
    }
    for (Txn txn : txns.values()) {
      if (txn.state == State.COMMITTED && !found.containsKey(txn.load.id())) {
        report.lost(context + ": committed two-phase load " + txn.label + " is missing");
      }
    }
  }
}
