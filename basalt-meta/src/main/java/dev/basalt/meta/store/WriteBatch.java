package dev.basalt.meta.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one atomic {@link MetaStore#commit}: puts and deletes, plus preconditions that are
 * checked, inside the same store transaction, before anything is written.
 *
 * <p>A later put or delete of the same key replaces an earlier one. Built by one thread, then
 * handed to {@code commit}; not thread safe.
 */
public final class WriteBatch {

  /** A condition on one key that must hold for the batch to apply. */
  public sealed interface Precondition {
    String key();
  }

  /** The key must not exist. */
  public record KeyAbsent(String key) implements Precondition {}

  /** The key must exist with exactly this value. */
  public record KeyHasValue(String key, byte[] value) implements Precondition {}

  private final List<Precondition> preconditions = new ArrayList<>();

  /** Key to new value; a {@code null} value deletes the key. */
  private final Map<String, byte[]> writes = new LinkedHashMap<>();

  public WriteBatch put(String key, byte[] value) {
    writes.put(key, Arrays.copyOf(value, value.length));
    return this;
  }

  public WriteBatch delete(String key) {
    writes.put(key, null);
    return this;
  }

  public WriteBatch requireAbsent(String key) {
    preconditions.add(new KeyAbsent(key));
    return this;
  }

  public WriteBatch requireValue(String key, byte[] value) {
    preconditions.add(new KeyHasValue(key, Arrays.copyOf(value, value.length)));
    return this;
  }

  public List<Precondition> preconditions() {
    return List.copyOf(preconditions);
  }

  /** The writes in the order first added: key to value, {@code null} meaning delete. */
  public Map<String, byte[]> writes() {
    return java.util.Collections.unmodifiableMap(writes);
  }

  public boolean isEmpty() {
    return writes.isEmpty() && preconditions.isEmpty();
  }
}
