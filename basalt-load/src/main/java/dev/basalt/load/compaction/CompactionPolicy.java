package dev.basalt.load.compaction;

import dev.basalt.meta.catalog.RowsetMeta;
import java.util.List;

/**
 * Which rowsets of a tablet to merge next: a size-tiered policy in the spirit of Doris's, in two
 * tiers.
 *
 * <p>The <b>cumulative</b> tier is the tablet's newest rowsets smaller than the promotion size
 * ({@code promotionBytes}, or a twentieth of the tablet's oldest rowset, the base, when that is
 * larger). A cumulative compaction merges the newest of them once there are {@code
 * cumulativeMinRowsets}, leaving out, oldest first, every rowset that outweighs the newer ones
 * together divided by {@code cumulativeMinRowsets - 1}: a rowset joins a merge only once the newer
 * ones weigh {@code cumulativeMinRowsets - 1} times as much, so the output is at least {@code
 * cumulativeMinRowsets} times its size and a row is rewritten once per that factor of growth (about
 * 6 times over 20,000 equal loads, or random sizes from 1 KB to 30 MB), not once per round. The
 * tier holds at most {@code cumulativeMaxRowsets} rowsets: past that the oldest are merged even if
 * they outweigh the newer ones.
 *
 * <p>A rowset that reaches the promotion size leaves the cumulative tier. A <b>base</b> compaction
 * merges the promoted rowsets (the base and those after it) once there are {@code baseMinRowsets}
 * of them, or every rowset on request ({@code ADMIN COMPACT TABLE}). Because the promotion size
 * grows with the base, the promoted rowsets of a base compaction weigh at least {@code
 * (baseMinRowsets - 1) / 20} of the base, so the base grows geometrically and is rewritten a
 * bounded number of times per row. A tablet keeps at most about {@code baseMinRowsets +
 * cumulativeMaxRowsets} rowsets however many loads it received, as long as compaction keeps up.
 *
 * @param cumulativeMinRowsets small tail rowsets that trigger a cumulative compaction (at least 2)
 * @param cumulativeMaxRowsets the most rowsets the cumulative tier keeps (at least {@code
 *     cumulativeMinRowsets})
 * @param promotionBytes the smallest size at which a rowset leaves the cumulative tier
 * @param baseMinRowsets promoted rowsets that trigger a base compaction (at least 2)
 */
public record CompactionPolicy(
    int cumulativeMinRowsets, int cumulativeMaxRowsets, long promotionBytes, int baseMinRowsets) {
  /** 5 small rowsets, at most 20 in the tier, 64 MiB promotion size, base compaction at 10. */
  public static final CompactionPolicy DEFAULT = new CompactionPolicy(5, 20, 64L << 20, 10);

  /** The share of the base from which a rowset is promoted, when larger than promotionBytes. */
  static final int BASE_SHARE = 20;

  public CompactionPolicy {
    if (cumulativeMinRowsets < 2
        || cumulativeMaxRowsets < cumulativeMinRowsets
        || baseMinRowsets < 2
        || promotionBytes < 1) {
      throw new IllegalArgumentException(
          "compaction thresholds must be at least 2 rowsets (the cumulative maximum at least the"
              + " minimum) and 1 byte: "
              + this);
    }
  }

  /** With the given cumulative minimum, and the other thresholds of this policy. */
  public CompactionPolicy withCumulativeMinRowsets(int rowsets) {
    return new CompactionPolicy(
        rowsets, Math.max(rowsets, cumulativeMaxRowsets), promotionBytes, baseMinRowsets);
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
    if (rowsets.isEmpty()) {
      return null;
    }
    long promotion = Math.max(promotionBytes, rowsets.getFirst().byteSize() / BASE_SHARE);
    int tail = rowsets.size();
    while (tail > 0 && rowsets.get(tail - 1).byteSize() < promotion) {
      tail--;
    }
    int start = withoutOutweighing(rowsets, tail);
    if (rowsets.size() - start >= cumulativeMinRowsets) {
      return new Choice(Kind.CUMULATIVE, rowsets.subList(start, rowsets.size()));
    }
    if (tail >= baseMinRowsets) {
      return new Choice(Kind.BASE, rowsets.subList(0, tail));
    }
    return null;
  }

  /**
   * Where a cumulative compaction of the tier starting at {@code tail} starts: past its oldest
   * rowsets that each outweigh the newer ones together divided by {@code cumulativeMinRowsets - 1},
   * looked for while {@code cumulativeMinRowsets} rowsets are left and at most {@code
   * cumulativeMaxRowsets - cumulativeMinRowsets + 1} of them. Fewer than {@code
   * cumulativeMinRowsets} left means no cumulative compaction yet (the small ones wait for more).
   */
  private int withoutOutweighing(List<RowsetMeta> rowsets, int tail) {
    long newer = 0;
    for (int i = tail + 1; i < rowsets.size(); i++) {
      newer += rowsets.get(i).byteSize();
    }
    int start = tail;
    int fanOut = cumulativeMinRowsets - 1;
    while (start - tail <= cumulativeMaxRowsets - cumulativeMinRowsets
        && rowsets.size() - start >= cumulativeMinRowsets
        && rowsets.get(start).byteSize() > newer / fanOut) {
      start++;
      if (start < rowsets.size()) {
        newer -= rowsets.get(start).byteSize();
      }
    }
    return start;
  }
}
