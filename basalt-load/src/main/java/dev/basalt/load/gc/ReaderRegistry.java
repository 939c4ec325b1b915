package dev.basalt.load.gc;

import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The statements that are reading table snapshots now, so the garbage collector never deletes a
 * file one of them may read. A reader takes a ticket <em>before</em> it takes any catalog snapshot
 * and closes it when it has finished reading. Tickets and {@link #stamp() stamps} come from one
 * increasing counter: a file that stopped being referenced at stamp S can be read only by readers
 * whose ticket is older than S, so it may go once {@link #oldestOpenTicket()} is above S.
 *
 * <p>{@link #open()} draws its number before it enters the open set, so for a moment a ticket older
 * than a stamp may be invisible to {@link #oldestOpenTicket()}. That is harmless: such a reader has
 * not taken a snapshot yet, and the one it takes afterwards is later than the commit that preceded
 * the stamp, so it cannot reference a file that commit unreferenced.
 *
 * <p>Thread safe.
 */
public final class ReaderRegistry {
  private final AtomicLong counter = new AtomicLong();
  private final ConcurrentSkipListMap<Long, Boolean> open = new ConcurrentSkipListMap<>();

  /** A reader's registration; {@link #close()} is idempotent. */
  public final class Ticket implements AutoCloseable {
    private final long number;

    private Ticket(long number) {
      this.number = number;
    }

    @Override
    public void close() {
      open.remove(number);
    }
  }

  /** Registers a reader; call before taking snapshots, close when done reading. */
  public Ticket open() {
    long number = counter.incrementAndGet();
    open.put(number, Boolean.TRUE);
    return new Ticket(number);
  }

  /** A point in the ticket order (taken when a file stops being referenced). */
  public long stamp() {
    return counter.incrementAndGet();
  }

  /** The oldest open ticket's number, or {@link Long#MAX_VALUE} when nobody reads. */
  public long oldestOpenTicket() {
    var first = open.firstEntry();
    return first == null ? Long.MAX_VALUE : first.getKey();
  }

  /** How many readers are registered. */
  public int openCount() {
    return open.size();
  }
}
