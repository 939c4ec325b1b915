package dev.basalt.meta.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;

/**
 * A partition's visible version and when it became visible, stored on its own under {@code
 * partition_version/<tableId>/<partitionId>} as {@code <version>,<epochMillis>}: a load's commit
 * appends its rowsets and moves this small record (compare-and-set on its previous value), instead
 * of rewriting the table's definition, so a commit costs the same however large the table's
 * history.
 *
 * @param version the visible version
 * @param timeMillis when it became visible, epoch milliseconds
 */
record PartitionVersion(long version, long timeMillis) {

  byte[] encode() {
    return (version + "," + timeMillis).getBytes(UTF_8);
  }

  static PartitionVersion decode(String key, byte[] bytes) {
    String text = new String(bytes, UTF_8);
    int comma = text.indexOf(',');
    try {
      return new PartitionVersion(
          Long.parseLong(text.substring(0, comma)), Long.parseLong(text.substring(comma + 1)));
    } catch (RuntimeException e) {
      throw new BasaltException(
          e,
          ErrorCode.STORAGE_CORRUPTION,
          "metadata entry " + key,
          "not <version>,<time>: " + text);
    }
  }
}
