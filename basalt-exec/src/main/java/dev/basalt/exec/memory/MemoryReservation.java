package dev.basalt.exec.memory;

/**
 * The bytes one operator holds, reserved in its statement's {@link QueryMemoryBudget}. The operator
 * reports what it buffers with {@link #add} and what it drops with {@link #free}; the reservation
 * takes memory from the budget in chunks of {@link #CHUNK_BYTES} so that the budget's lock is taken
 * rarely, not once per row.
 *
 * <p>Call order: {@link #add} / {@link #free} any number of times, then {@link #close()} (which
 * returns everything and may be called more than once). {@link #add} throws the budget's
 * MEM_LIMIT_EXCEEDED error when the statement would pass its limit. Owned by one operator; not
 * thread safe.
 */
public final class MemoryReservation implements AutoCloseable {
  /** The granularity of reservations against the budget. */
  public static final long CHUNK_BYTES = 64 * 1024;

  private final QueryMemoryBudget budget;
  private final String operatorName;

  /** Where a profiled statement counts this operator's memory and spills; null when unprofiled. */
  private final MemoryUsageListener usage;

  private long held;
  private long reserved;

  MemoryReservation(QueryMemoryBudget budget, String operatorName, MemoryUsageListener usage) {
    this.budget = budget;
    this.operatorName = operatorName;
    this.usage = usage;
  }

  /** Records that the operator now also holds {@code bytes} (an estimate; see MemoryEstimates). */
  public void add(long bytes) {
    held += bytes;
    if (held > reserved) {
      long grow = Math.max(held - reserved, CHUNK_BYTES);
      budget.reserve(grow, operatorName);
      reserved += grow;
      if (usage != null) {
        usage.memoryReserved(grow);
      }
    }
  }

  /**
   * Like {@link #add}, but returns false instead of failing when the budget has no room (nothing is
   * recorded then): for operators that can spill what they hold and go on.
   */
  public boolean tryAdd(long bytes) {
    long nextHeld = held + bytes;
    if (nextHeld > reserved) {
      long grow = Math.max(nextHeld - reserved, CHUNK_BYTES);
      if (!budget.tryReserve(grow)) {
        return false;
      }
      reserved += grow;
      if (usage != null) {
        usage.memoryReserved(grow);
      }
    }
    held = nextHeld;
    return true;
  }

  /** Records that the operator dropped {@code bytes} it had added. */
  public void free(long bytes) {
    held = Math.max(0, held - bytes);
    if (reserved - held > 2 * CHUNK_BYTES) {
      long surplus = reserved - held - CHUNK_BYTES;
      budget.release(surplus);
      reserved -= surplus;
      if (usage != null) {
        usage.memoryReleased(surplus);
      }
    }
  }

  /** The bytes the operator reported holding. */
  public long held() {
    return held;
  }

  /**
   * Records that the operator wrote {@code bytes} more to spill files (a {@code
   * BatchSpillFile.SpillAccounting}); throws MEM_LIMIT_EXCEEDED past the statement's spill limit.
   */
  public void addSpilled(long bytes) {
    budget.addSpilled(bytes, operatorName);
    if (usage != null) {
      usage.spilled(bytes);
    }
  }

  /** Records that the operator started {@code count} more spill partitions (for its profile). */
  public void spillPartitions(int count) {
    if (usage != null) {
      usage.spillPartitions(count);
    }
  }

  @Override
  public void close() {
    if (usage != null) {
      usage.memoryReleased(reserved);
    }
    budget.release(reserved);
    reserved = 0;
    held = 0;
  }
}
