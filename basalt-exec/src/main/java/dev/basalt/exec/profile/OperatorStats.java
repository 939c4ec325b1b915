package dev.basalt.exec.profile;

import dev.basalt.exec.memory.MemoryUsageListener;

/**
 * What one instance of one operator did while a profiled statement ran: batches and rows it
 * returned, the wall and CPU time its {@code next()} calls took (its inputs included), the memory
 * it reserved at most at once, and what it spilled. A parallel pipeline has one instance per copy;
 * {@link OperatorProfile} sums them.
 *
 * <p>Counted at batch boundaries only: {@link ProfiledOperator} adds once per {@code next()} call,
 * memory reservations once per 64 KiB chunk ({@code MemoryReservation}) and spills once per block
 * written, so a profile costs nothing per row. The per-batch counters are written by the one thread
 * that drives the instance; memory and spill counters may come from the threads of a pipeline's
 * copies (a two-phase aggregation's partial states) and are synchronized. Read after the statement
 * ends (or, racily but harmlessly, while it runs).
 */
public final class OperatorStats implements MemoryUsageListener {
  long batches;
  long rows;
  long wallNanos;
  long cpuNanos;
  boolean cpuMeasured;
  private long memoryNow;
  private long memoryPeak;
  private long spilledBytes;
  private long spillPartitions;

  /**
   * Records one {@code next()} call that returned {@code rowCount} rows (-1: the end) and took
   * {@code cpu} nanoseconds of its thread's CPU time (-1: the thread has no CPU clock).
   */
  void batch(int rowCount, long wall, long cpu) {
    if (rowCount >= 0) {
      batches++;
      rows += rowCount;
    }
    wallNanos += wall;
    if (cpu >= 0) {
      cpuNanos += cpu;
      cpuMeasured = true;
    }
  }

  /** Whether {@link #cpuNanos} was measured (the instance ran on a platform thread). */
  public boolean cpuMeasured() {
    return cpuMeasured;
  }

  /** The operator reserved {@code bytes} more in its statement's memory budget. */
  @Override
  public synchronized void memoryReserved(long bytes) {
    memoryNow += bytes;
    memoryPeak = Math.max(memoryPeak, memoryNow);
  }

  /** The operator returned {@code bytes} of its reservation. */
  @Override
  public synchronized void memoryReleased(long bytes) {
    memoryNow = Math.max(0, memoryNow - bytes);
  }

  /** The operator wrote {@code bytes} more to spill files. */
  @Override
  public synchronized void spilled(long bytes) {
    spilledBytes += bytes;
  }

  /** The operator started {@code count} more spill partitions (a sort's run counts as one). */
  @Override
  public synchronized void spillPartitions(int count) {
    spillPartitions += count;
  }

  public long batches() {
    return batches;
  }

  public long rows() {
    return rows;
  }

  public long wallNanos() {
    return wallNanos;
  }

  public long cpuNanos() {
    return cpuNanos;
  }

  public synchronized long memoryPeak() {
    return memoryPeak;
  }

  public synchronized long spilledBytes() {
    return spilledBytes;
  }

  public synchronized long spillPartitions() {
    return spillPartitions;
  }
}
