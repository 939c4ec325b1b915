package dev.basalt.load.streamload;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent Stream Loads (successful or not), newest last, for {@code SHOW STREAM LOAD}: kept
 * in memory, at most {@code capacity} of them (older ones are dropped), and lost at a restart, as
 * Doris's backends keep their stream load records for a while only. Thread safe.
 */
public final class StreamLoadRecords {
  /** Doris's {@code SHOW STREAM LOAD} columns. */
  public static final List<String> COLUMNS =
      List.of(
          "Label",
          "Db",
          "Table",
          "ClientIp",
          "Status",
          "Message",
          "Url",
          "TotalRows",
          "LoadedRows",
          "FilteredRows",
          "UnselectedRows",
          "LoadBytes",
          "StartTime",
          "FinishTime",
          "User",
          "Comment");

  /** The records kept by default. */
  public static final int DEFAULT_CAPACITY = 10_000;

  /**
   * One load.
   *
   * @param errorUrl the {@code ErrorURL} of the answer, or empty
   * @param startTime when the request arrived, epoch milliseconds
   * @param finishTime when it was answered, epoch milliseconds
   */
  public record Entry(
      String database,
      String table,
      String clientIp,
      String user,
      String errorUrl,
      StreamLoadResult result,
      long startTime,
      long finishTime) {}

  private final int capacity;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  public StreamLoadRecords(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  public synchronized void add(Entry entry) {
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(entry);
  }

  /** The records of one database, oldest first. */
  public synchronized List<Entry> of(String database) {
    List<Entry> matching = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.database().equals(database)) {
        matching.add(entry);
      }
    }
    return matching;
  }
}
