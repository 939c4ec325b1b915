package dev.basalt.load.streamload;

import java.io.IOException;

/**
 * Reads the rows of a Stream Load body one at a time into a reused {@link SourceRecord}. Formats
 * that cannot go on (malformed JSON, an over-long line) throw a {@code BasaltException}; I/O
 * failures of the body are {@link IOException}s. Not thread safe.
 */
interface RecordReader {
  /** Fills {@code record} with the next row; false at the end of the body. */
  boolean next(SourceRecord record) throws IOException;
}
