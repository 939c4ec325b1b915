package dev.basalt.exec.operator;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs copies of one pipeline (e.g. scan, filter, project) on their own threads and hands their
 * batches, in arrival order, to the single thread that drives this operator: the morsel-driven
 * parallelism of docs/architecture.md. Each input is one copy of the pipeline; the copies' scans
 * share a queue of morsels (segment row ranges), so every row is produced by exactly one copy.
 *
 * <p>Threads start on the first {@link #next()}. The inputs must not buffer unaccounted state (only
 * streaming operators); the queue between the copies and the consumer holds at most two batches per
 * copy. A failure in a copy stops the others and is thrown by {@code next()}. {@link #close()}
 * stops the copies at their next batch boundary, waits for them and closes them. Driven by one
 * thread, like every operator.
 */
public final class LocalExchangeOperator implements Operator {
  private static final Batch END = new Batch(List.of(), 0);

  private final List<Operator> inputs;
  private final List<DataType> types;
  private final BlockingQueue<Batch> queue;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopped;
  private volatile Throwable failure;
  private int running;

  /** Takes ownership of {@code inputs}: copies of one pipeline with the same output types. */
  public LocalExchangeOperator(List<Operator> inputs) {
    this.inputs = List.copyOf(inputs);
    this.types = inputs.get(0).outputTypes();
    this.queue = new ArrayBlockingQueue<>(2 * inputs.size());
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    if (threads.isEmpty() && running == 0) {
      start();
    }
    while (running > 0) {
      Batch batch;
      try {
        batch = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
        throw new BasaltException(ErrorCode.INTERNAL_ERROR, "-", "interrupted while scanning");
      }
      if (batch == END) {
        running--;
        continue;
      }
      return batch;
    }
    if (failure instanceof RuntimeException exception) {
      throw exception;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return null;
  }

  private void start() {
    running = inputs.size();
    for (int i = 0; i < inputs.size(); i++) {
      Operator input = inputs.get(i);
      Thread thread =
          Thread.ofPlatform().daemon().name("basalt-pipeline-" + i).unstarted(() -> drive(input));
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  /** One copy's loop: a batch at a time, checking for a stop (or, later, a cancellation). */
  private void drive(Operator input) {
    try {
      for (Batch batch = input.next(); batch != null && !stopped; batch = input.next()) {
        if (batch.rowCount() > 0) {
          offer(batch);
        }
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      if (failure == null) {
        failure = e;
      }
      stopped = true;
    } finally {
      offerEnd();
    }
  }

  private void offer(Batch batch) {
    try {
      while (!stopped && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
        // The consumer is slow or gone; look at the stop flag again.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  private void offerEnd() {
    // END must arrive even when the queue is full and the consumer has stopped reading: close()
    // drains the queue while it waits.
    try {
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopped = true;
    try {
      for (Thread thread : threads) {
        while (thread.isAlive()) {
          queue.clear();
          thread.join(10);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Operator input : inputs) {
        input.close();
      }
    }
  }
}
