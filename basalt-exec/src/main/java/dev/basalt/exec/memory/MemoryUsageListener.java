package dev.basalt.exec.memory;

/**
 * Receives what the {@link MemoryReservation}s of one operator hold and spill: the operator's
 * profile when its statement is profiled (EXPLAIN ANALYZE, {@code enable_profile}). Declared here,
 * implemented by {@code exec.profile.OperatorStats}, so that memory accounting does not depend on
 * profiles (the packages form a DAG: profile depends on operator, operator on memory).
 *
 * <p>Calls come once per 64 KiB chunk reserved or returned and once per spill block, possibly from
 * the threads of several pipeline copies at once: implementations are thread safe.
 */
public interface MemoryUsageListener {
  /** The operator reserved {@code bytes} more in its statement's memory budget. */
  void memoryReserved(long bytes);

  /** The operator returned {@code bytes} of its reservation. */
  void memoryReleased(long bytes);

  /** The operator wrote {@code bytes} more to spill files. */
  void spilled(long bytes);

  /** The operator started {@code count} more spill partitions (a sort's run counts as one). */
  void spillPartitions(int count);
}
