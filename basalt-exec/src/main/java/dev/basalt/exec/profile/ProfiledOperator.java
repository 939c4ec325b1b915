package dev.basalt.exec.profile;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.operator.Operator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Counts what its input returns into one {@link OperatorStats}: per {@link #next()} call one batch,
 * its rows, and the wall and CPU time the call took (the input's own inputs included; CPU time only
 * on platform threads: a parallel pipeline's copies, not the virtual thread that runs a
 * connection's statement, which has no CPU clock of its own). Only built when the statement is
 * profiled ({@code EXPLAIN ANALYZE}, {@code enable_profile}), so an unprofiled statement has no
 * wrapper at all. Owns its input; driven by one thread, like every operator.
 */
public final class ProfiledOperator implements Operator {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_TIME =
      THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

  private final Operator input;
  private final OperatorStats stats;

  public ProfiledOperator(Operator input, OperatorStats stats) {
    this.input = input;
    this.stats = stats;
  }

  @Override
  public List<DataType> outputTypes() {
    return input.outputTypes();
  }

  @Override
  public Batch next() {
    return counted(false);
  }

  /** As {@link #next()}; a selected batch counts its selected rows. */
  @Override
  public Batch nextSelected() {
    return counted(true);
  }

  private Batch counted(boolean selected) {
    // A virtual thread (a connection's statement) has no CPU clock of its own: -1, not counted.
    boolean cpuClock = CPU_TIME && !Thread.currentThread().isVirtual();
    long cpuStart = cpuClock ? THREADS.getCurrentThreadCpuTime() : 0;
    long start = System.nanoTime();
    Batch batch = selected ? input.nextSelected() : input.next();
    long wall = System.nanoTime() - start;
    long cpu = cpuClock ? THREADS.getCurrentThreadCpuTime() - cpuStart : -1;
    stats.batch(batch == null ? -1 : batch.selectedCount(), wall, cpu);
    return batch;
  }

  @Override
  public void close() {
    long start = System.nanoTime();
    input.close();
    stats.wallNanos += System.nanoTime() - start;
  }
}
