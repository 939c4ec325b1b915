package dev.basalt.exec.control;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether one running statement must stop: cancelled from another thread ({@code KILL QUERY}, a
 * driver's {@code Statement.cancel()}, {@code KILL CONNECTION}) or past its deadline ({@code
 * query_timeout} / {@code max_execution_time}). The thread running the statement calls {@link
 * #check()} at batch boundaries (every operator built for the statement does, see {@code
 * OperatorBuilder}) and in long loops; the check throws the statement's error, which unwinds the
 * operator tree and closes it, so the statement fails alone and its connection stays usable.
 *
 * <p>A check is also a scheduling point: statements run on their connection's virtual thread, and
 * virtual threads are not preempted, so a few CPU-bound queries could hold every carrier thread and
 * starve all other connections (even their handshakes). {@link #check()} therefore yields the
 * carrier (by parking briefly) when the statement has run {@link #TIME_SLICE_NANOS} since it last
 * did.
 *
 * <p>Thread safe: {@link #cancel()} may be called from any thread, any number of times, also after
 * the statement ended (then it has no effect on anything). {@link #check()} is called by the one
 * thread that runs the statement.
 */
public final class CancellationToken {
  /** A token that is never cancelled and has no deadline (constant folding, tests, loads). */
  public static final CancellationToken NONE = new CancellationToken(0, null, 0);

  /** How long a statement on a virtual thread runs before it lets other virtual threads run. */
  static final long TIME_SLICE_NANOS = 10_000_000L;

  private final long deadlineNanos;
  private final String timeoutVariable;
  private final long timeoutValue;
  private volatile boolean cancelled;
  private long sliceStartNanos = System.nanoTime();

  private CancellationToken(long deadlineNanos, String timeoutVariable, long timeoutValue) {
    this.deadlineNanos = deadlineNanos;
    this.timeoutVariable = timeoutVariable;
    this.timeoutValue = timeoutValue;
  }

  /** A token that only {@link #cancel()} stops. */
  public static CancellationToken withoutDeadline() {
    return new CancellationToken(0, null, 0);
  }

  /**
   * A token that also stops {@code timeoutMillis} after now, naming {@code variable} = {@code
   * value} (the session variable that set the timeout, as the user wrote it) in the error.
   */
  public static CancellationToken withTimeout(long timeoutMillis, String variable, long value) {
    if (timeoutMillis <= 0) {
      return withoutDeadline();
    }
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    // 0 means "no deadline" in the field, so a deadline that happens to be 0 moves by a nanosecond.
    return new CancellationToken(deadline == 0 ? 1 : deadline, variable, value);
  }

  /** Asks the statement to stop at its next check. */
  public void cancel() {
    if (this != NONE) {
      cancelled = true;
    }
  }

  public boolean isCancelled() {
    return cancelled;
  }

  /**
   * Throws 1317 QUERY_INTERRUPTED when the statement was cancelled, or 3024 QUERY_TIMEOUT when its
   * deadline has passed; otherwise returns, after yielding the carrier thread when the time slice
   * is used up. Cheap: a volatile read and a clock read.
   */
  public void check() {
    if (cancelled) {
      throw new BasaltException(ErrorCode.QUERY_INTERRUPTED);
    }
    long now = System.nanoTime();
    if (deadlineNanos != 0 && now - deadlineNanos > 0) {
      throw new BasaltException(ErrorCode.QUERY_TIMEOUT, timeoutVariable, timeoutValue);
    }
    if (now - sliceStartNanos > TIME_SLICE_NANOS && Thread.currentThread().isVirtual()) {
      // Not Thread.yield(): on JDK 25 a yielding virtual thread is resumed before virtual threads
      // woken from platform threads (a connection's worker woken by Netty's event loop), so those
      // would still starve. A short park unmounts it and queues it behind them.
      LockSupport.parkNanos(1_000);
      sliceStartNanos = System.nanoTime();
    }
  }
}
