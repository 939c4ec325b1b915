package dev.basalt.load.compaction;

import dev.basalt.meta.catalog.RowsetMeta;
import java.util.List;

/**
 * Which rowsets of a tablet to merge next (a size-tiered policy in the spirit of Doris's): rowsets
 * smaller than {@code promotionBytes} at the tail of the tablet (the newest ones) are merged by a
 * <b>cumulative</b> compaction once there are {@code cumulativeMinRowsets} of them; the output
 * keeps growing with each round until it passes {@code promotionBytes}, after which it stays as it
 * is. A <b>base</b> compaction merges every rowset of the tablet once it has {@code baseMinRowsets}
 * (or on request, {@code ADMIN COMPACT TABLE}). A tablet therefore keeps at most about {@code
 * baseMinRowsets + cumulativeMinRowsets} rowsets however many loads it received, as long as
 * compaction keeps up.
 *
 * <p>A cumulative compaction leaves out the oldest rowsets of the tail that are each larger than
 * all the newer ones together (as Doris's size-based policy leaves a large rowset out of a merge of
 * small ones), at most {@code cumulativeMinRowsets - 1} of them: otherwise every round would
 * rewrite the whole grown output to add a few small loads, and a tablet fed by many small loads
 * would rewrite each row once per round (write amplification growing with the tablet: about 125
 * rewrites per row after 1,000 loads, 750 after 6,000), where now a row is rewritten about once per
 * doubling of its rowset (6 and 11 times). The cap keeps the tail below {@code 2 *
 * cumulativeMinRowsets - 1} rowsets.
 *
 * @param cumulativeMinRowsets small tail rowsets that trigger a cumulative compaction (at least 2)
 * @param promotionBytes the size from which a rowset leaves the cumulative tier
 * @param baseMinRowsets rowsets that trigger a base compaction (at least 2)
 */
public record CompactionPolicy(int cumulativeMinRowsets, long promotionBytes, int baseMinRowsets) {
  /** 5 small rowsets, 64 MiB promotion size, base compaction at 10 rowsets. */
  public static final CompactionPolicy DEFAULT = new CompactionPolicy(5, 64L << 20, 10);

  public CompactionPolicy {
    if (cumulativeMinRowsets < 2 || baseMinRowsets < 2 || promotionBytes < 1) {
      throw new IllegalArgumentException(
          "compaction thresholds must be at least 2 rowsets and 1 byte: " + this);
    }
  }

  /** The kind of a compaction. */
  public enum Kind {
    CUMULATIVE,
    BASE
  }

  /** A choice: the consecutive rowsets to merge and why. */
  public record Choice(Kind kind, List<RowsetMeta> inputs) {}

  /**
   * The rowsets to merge now, or null.
   *
   * @param rowsets the tablet's rowsets in version order
   * @param hasDeletes whether any of them has rows marked deleted (a single rowset with marks is
   *     worth rewriting on request)
   * @param requested whether a base compaction was asked for ({@code ADMIN COMPACT})
   */
  public Choice choose(List<RowsetMeta> rowsets, boolean hasDeletes, boolean requested) {
    if (requested) {
      return rowsets.size() >= 2 || (rowsets.size() == 1 && hasDeletes)
          ? new Choice(Kind.BASE, rowsets)
          : null;
    }
    int tail = rowsets.size();
    while (tail > 0 && rowsets.get(tail - 1).byteSize() < promotionBytes) {
      tail--;
    }
    int start = withoutDominant(rowsets, tail);
    if (rowsets.size() - start >= cumulativeMinRowsets) {
      return new Choice(Kind.CUMULATIVE, rowsets.subList(start, rowsets.size()));
    }
    if (rowsets.size() >= baseMinRowsets) {
      return new Choice(Kind.BASE, rowsets);
    }
    return null;
  }

  /**
   * Where a cumulative compaction of the tail starting at {@code tail} starts: past the oldest
   * rowsets larger than all newer ones together, at most {@code cumulativeMinRowsets - 1} of them,
   * looked for while {@code cumulativeMinRowsets} rowsets are left. Fewer left than that means no
   * cumulative compaction yet (the small ones wait for more).
   */
  private int withoutDominant(List<RowsetMeta> rowsets, int tail) {
    long newer = 0;
    for (int i = tail + 1; i < rowsets.size(); i++) {
      newer += rowsets.get(i).byteSize();
    }
    int start = tail;
    while (start - tail < cumulativeMinRowsets - 1
        && rowsets.size() - start >= cumulativeMinRowsets
        && rowsets.get(start).byteSize() > newer) {
      start++;
      newer -= rowsets.get(start).byteSize();
    }
    return start;
  }
}
