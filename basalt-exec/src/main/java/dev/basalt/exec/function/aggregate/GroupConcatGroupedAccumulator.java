package dev.basalt.exec.function.aggregate;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.cast.Casts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code group_concat(x [, separator])} for all groups of a hash aggregation: per group a growing
 * UTF-8 byte buffer. String arguments (and separators) are copied as bytes straight from their
 * {@link BytesVector}; other types are formatted as the row-wise accumulator formats them ({@link
 * Casts#toText}). Values join in arrival order; NULL values are skipped and a NULL separator joins
 * without one, as in the row-wise accumulator. The buffers' bytes are reported by {@link
 * #variableBytes} (see {@link TextPerGroup}) for the query's memory budget. Not mergeable. Not
 * thread safe.
 */
final class GroupConcatGroupedAccumulator extends TextPerGroup {
  private static final byte[] DEFAULT_SEPARATOR = {','};

  private final DataType type;
  private final DataType separatorType;

  /**
   * @param type the type of the concatenated values
   * @param separatorType the type of the separator argument, or {@code null} for the default ','
   */
  GroupConcatGroupedAccumulator(DataType type, DataType separatorType) {
    this.type = type;
    this.separatorType = separatorType;
  }

  @Override
  public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
    ColumnVector values = arguments.get(0);
    BytesVector strings = asStrings(values);
    ColumnVector separators = separatorType == null ? null : arguments.get(1);
    BytesVector separatorStrings = separators == null ? null : asStrings(separators);
    for (int i = 0; i < count; i++) {
      int row = positions == null ? i : positions[i];
      if (values.isNull(row)) {
        continue;
      }
      int group = groupIds[row];
      if (texts[group] != null) {
        if (separators == null) {
          append(group, DEFAULT_SEPARATOR, 0, 1);
        } else if (separatorStrings != null) {
          if (!separatorStrings.isNull(row)) {
            append(
                group,
                separatorStrings.rawBytes(),
                separatorStrings.offset(row),
                separatorStrings.byteLength(row));
          }
        } else if (!separators.isNull(row)) {
          appendText(group, Casts.toText(separators.getObject(row), separatorType));
        }
      } else {
        texts[group] = new byte[16];
        bufferBytes += 16 + 16;
      }
      if (strings != null) {
        append(group, strings.rawBytes(), strings.offset(row), strings.byteLength(row));
      } else {
        appendText(group, Casts.toText(values.getObject(row), type));
      }
    }
  }

  /** The vector as UTF-8 bytes to copy, or {@code null} when its values need formatting. */
  private static BytesVector asStrings(ColumnVector vector) {
    return vector instanceof BytesVector bytes && vector.type().kind().isString() ? bytes : null;
  }

  private void appendText(int group, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    append(group, bytes, 0, bytes.length);
  }

  private void append(int group, byte[] source, int offset, int length) {
    byte[] text = texts[group];
    int used = lengths[group];
    if (used + length > text.length) {
      int capacity = Math.max(used + length, text.length * 2);
      bufferBytes += capacity - text.length;
      text = Arrays.copyOf(text, capacity);
      texts[group] = text;
    }
    System.arraycopy(source, offset, text, used, length);
    lengths[group] = used + length;
  }
}
