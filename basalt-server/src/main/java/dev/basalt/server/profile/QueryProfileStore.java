package dev.basalt.server.profile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The profiles of the last queries run with {@code enable_profile = true} (docs/sql.md, "Query
 * profiles"): at most {@link #capacity()} profiles and {@link #maxBytes()} characters of text
 * together; the oldest go first. A profile is kept as text (its operator lines), so nothing of the
 * query's operators, batches or scans stays reachable. Thread safe.
 */
public final class QueryProfileStore {
  /** Doris keeps the last 100 query profiles by default ({@code max_query_profile_num}). */
  public static final int DEFAULT_CAPACITY = 100;

  /** Characters of profile text kept at most (about 16 MiB of heap at two bytes a character). */
  public static final long DEFAULT_MAX_CHARS = 8L * 1024 * 1024;

  /** Characters one profile keeps at most: longer plans are cut, saying so. */
  static final int MAX_PROFILE_CHARS = 256 * 1024;

  private final int capacity;
  private final long maxChars;
  private final Deque<StoredProfile> profiles = new ArrayDeque<>();
  private long chars;

  public QueryProfileStore() {
    this(DEFAULT_CAPACITY, DEFAULT_MAX_CHARS);
  }

  public QueryProfileStore(int capacity, long maxChars) {
    this.capacity = Math.max(1, capacity);
    this.maxChars = Math.max(1, maxChars);
  }

  public int capacity() {
    return capacity;
  }

  public long maxBytes() {
    return maxChars * 2;
  }

  /** Keeps {@code profile}, dropping the oldest past the bounds. */
  public synchronized void add(StoredProfile profile) {
    StoredProfile kept = profile.truncated(MAX_PROFILE_CHARS);
    profiles.addLast(kept);
    chars += kept.chars();
    while (profiles.size() > capacity || (chars > maxChars && profiles.size() > 1)) {
      chars -= profiles.removeFirst().chars();
    }
  }

  /** The profile of {@code queryId}, if still kept. */
  public synchronized Optional<StoredProfile> get(String queryId) {
    for (StoredProfile profile : profiles) {
      if (profile.queryId().equals(queryId)) {
        return Optional.of(profile);
      }
    }
    return Optional.empty();
  }

  /** The kept profiles, newest first. */
  public synchronized List<StoredProfile> newestFirst() {
    List<StoredProfile> list = new ArrayList<>(profiles.size());
    for (Iterator<StoredProfile> it = profiles.descendingIterator(); it.hasNext(); ) {
      list.add(it.next());
    }
    return list;
  }

  public synchronized int size() {
    return profiles.size();
  }
}
