package dev.basalt.exec.function.aggregate;

import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.GroupedAccumulator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The shape shared by the grouped aggregates that keep one UTF-8 text per group (MIN and MAX of
 * strings, GROUP_CONCAT): per group a byte buffer, {@code null} until the group sees a value, and
 * the length of its text; the results (NULL where a group has no buffer), written as bytes straight
 * into a string output; and the buffers' bytes for the query's memory budget. A subclass fills
 * {@link #texts} and {@link #lengths} in its {@code addBatch} and adds what it allocates to {@link
 * #bufferBytes}. Not thread safe.
 */
abstract class TextPerGroup implements GroupedAccumulator {
  /** Per group, the buffer holding its text in its first {@link #lengths} bytes, or null. */
  byte[][] texts = new byte[16][];

  /** Per group, the bytes of {@link #texts} in use. */
  int[] lengths = new int[16];

  /** The heap bytes of the buffers in {@link #texts}, headers included. */
  long bufferBytes;

  @Override
  public final void ensureGroups(int groupCount) {
    if (groupCount > texts.length) {
      int capacity = Math.max(groupCount, texts.length * 2);
      texts = Arrays.copyOf(texts, capacity);
      lengths = Arrays.copyOf(lengths, capacity);
    }
  }

  @Override
  public final Object result(int group) {
    byte[] text = texts[group];
    return text == null ? null : new String(text, 0, lengths[group], StandardCharsets.UTF_8);
  }

  @Override
  public final void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
    if (out.type().physical() != PhysicalType.BYTES) {
      GroupedAccumulator.super.writeResults(fromGroup, count, out);
      return;
    }
    for (int group = fromGroup; group < fromGroup + count; group++) {
      byte[] text = texts[group];
      if (text == null) {
        out.appendNull();
      } else {
        out.appendBytes(text, 0, lengths[group]);
      }
    }
  }

  @Override
  public final long bytesPerGroup() {
    return 12;
  }

  @Override
  public final long variableBytes() {
    return bufferBytes;
  }
}
