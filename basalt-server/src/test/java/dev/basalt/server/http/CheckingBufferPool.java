package dev.basalt.server.http;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * A Jetty buffer pool for tests that never reuses a buffer and catches its misuse: a buffer
 * released more often than it was acquired and retained, and a buffer written (its bytes, position
 * or limit changed) after its last release. Each released buffer is filled with a poison byte and
 * kept; {@link #check} compares the kept buffers with the poison.
 *
 * <p>Thread safe.
 */
final class CheckingBufferPool implements ByteBufferPool {
  private static final byte POISON = (byte) 0xA5;
  private static final int KEPT = 4096;

  private final Queue<String> problems = new ConcurrentLinkedQueue<>();
  private final Queue<CheckedBuffer> released = new ConcurrentLinkedQueue<>();
  private final Deque<CheckedBuffer> kept = new ArrayDeque<>();

  @Override
  public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
    // Heap buffers whatever Jetty asks for: thousands of them are kept after their release.
    ByteBuffer bytes = ByteBuffer.allocate(size);
    bytes.limit(0);
    return new CheckedBuffer(bytes);
  }

  @Override
  public void clear() {}

  /** Checks the released buffers, and returns every problem found so far. */
  synchronized List<String> check() {
    for (CheckedBuffer buffer; (buffer = released.poll()) != null; ) {
      kept.addLast(buffer);
    }
    for (CheckedBuffer buffer : kept) {
      if (!buffer.poisoned()) {
        problems.add("written after its release: " + buffer.history());
        buffer.poison(); // report each write once
      }
    }
    while (kept.size() > KEPT) {
      kept.removeFirst();
    }
    return new ArrayList<>(problems);
  }

  private final class CheckedBuffer extends RetainableByteBuffer.Pooled {
    private final List<Throwable> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    CheckedBuffer(ByteBuffer bytes) {
      super(CheckingBufferPool.this, bytes);
      events.add(new Throwable("acquired by " + Thread.currentThread()));
    }

    @Override
    public void retain() {
      super.retain();
      events.add(new Throwable("retained by " + Thread.currentThread()));
    }

    @Override
    public boolean release() {
      events.add(new Throwable("released by " + Thread.currentThread()));
      boolean last;
      try {
        last = super.release();
      } catch (IllegalStateException overReleased) {
        problems.add("released once too often: " + history());
        throw overReleased;
      }
      if (last) {
        poison();
        released.add(this);
      }
      return last;
    }

    void poison() {
      ByteBuffer bytes = getByteBuffer();
      bytes.clear();
      for (int index = 0; index < bytes.capacity(); index++) {
        bytes.put(index, POISON);
      }
      bytes.limit(0);
    }

    boolean poisoned() {
      ByteBuffer bytes = getByteBuffer();
      if (bytes.position() != 0 || bytes.limit() != 0) {
        return false;
      }
      ByteBuffer all = bytes.duplicate().clear();
      for (int index = 0; index < all.capacity(); index++) {
        if (all.get(index) != POISON) {
          return false;
        }
      }
      return true;
    }

    String history() {
      StringBuilder text = new StringBuilder(getByteBuffer().toString());
      for (Throwable event : events) {
        text.append("\n  ").append(event.getMessage());
        StackTraceElement[] stack = event.getStackTrace();
        for (int frame = 1; frame < Math.min(stack.length, 14); frame++) {
          text.append("\n      at ").append(stack[frame]);
        }
      }
      return text.toString();
    }
  }
}
