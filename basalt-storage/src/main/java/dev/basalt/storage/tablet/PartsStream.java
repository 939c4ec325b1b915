package dev.basalt.storage.tablet;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;

/**
 * Streams parts (segment morsels, merge groups) one after another: drains a part, closes it, takes
 * the next. One thread drives a stream; closing it closes the part being read.
 */
abstract class PartsStream implements BatchStream {
  private BatchStream current;

  /** The next part's stream, or null when there is none. */
  abstract BatchStream nextPart();

  @Override
  public final Batch next() {
    return read(false);
  }

  @Override
  public final Batch nextSelected() {
    return read(true);
  }

  private Batch read(boolean selections) {
    while (true) {
      if (current != null) {
        Batch batch = selections ? current.nextSelected() : current.next();
        if (batch != null) {
          return batch;
        }
        current.close();
        current = null;
      }
      current = nextPart();
      if (current == null) {
        return null;
      }
    }
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
