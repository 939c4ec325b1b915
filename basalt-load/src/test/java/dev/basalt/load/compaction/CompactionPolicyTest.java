package dev.basalt.load.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.meta.catalog.RowsetMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The policy driven as background compaction drives it: after each small load, compactions until it
 * picks none; a compaction's output replaces its inputs with their total size.
 */
class CompactionPolicyTest {
  private static final long LOAD_BYTES = 10_000;

  /** Bytes written (loads and compaction outputs) per byte loaded, and the most rowsets seen. */
  private record Outcome(double writeAmplification, int mostRowsets, List<RowsetMeta> rowsets) {}

  private static Outcome load(CompactionPolicy policy, int loads) {
    return load(policy, loads, load -> LOAD_BYTES);
  }

  private static Outcome load(CompactionPolicy policy, int loads, LongUnaryOperator loadBytes) {
    List<RowsetMeta> rowsets = new ArrayList<>();
    long version = 0;
    long loaded = 0;
    long written = 0;
    int most = 0;
    for (int i = 0; i < loads; i++) {
      version++;
      long loadSize = loadBytes.applyAsLong(i);
      rowsets.add(new RowsetMeta(version, 1, version, version, version, List.of(), 1, loadSize));
      loaded += loadSize;
      written += loadSize;
      most = Math.max(most, rowsets.size());
      CompactionPolicy.Choice choice;
      while ((choice = policy.choose(rowsets, false, false)) != null) {
        List<RowsetMeta> inputs = choice.inputs();
        int first = rowsets.indexOf(inputs.getFirst());
        assertThat(rowsets.subList(first, first + inputs.size())).isEqualTo(inputs);
        long bytes = inputs.stream().mapToLong(RowsetMeta::byteSize).sum();
        RowsetMeta output =
            new RowsetMeta(
                0,
                1,
                inputs.getFirst().startVersion(),
                inputs.getLast().endVersion(),
                0,
                List.of(),
                inputs.size(),
                bytes);
        written += bytes;
        List<RowsetMeta> next = new ArrayList<>(rowsets.subList(0, first));
        next.add(output);
        next.addAll(rowsets.subList(first + inputs.size(), rowsets.size()));
        rowsets = next;
      }
    }
    return new Outcome((double) written / loaded, most, rowsets);
  }

  private static void assertContiguous(List<RowsetMeta> rowsets, long loads) {
    long versions = 0;
    for (RowsetMeta rowset : rowsets) {
      assertThat(rowset.startVersion()).isEqualTo(versions + 1);
      versions = rowset.endVersion();
    }
    assertThat(versions).isEqualTo(loads);
  }

  @Test
  void manySmallLoadsAreRewrittenLogarithmicallyOftenWithBoundedRowsets() {
    CompactionPolicy policy = CompactionPolicy.DEFAULT;
    int bound = policy.baseMinRowsets() + policy.cumulativeMaxRowsets();
    for (int loads : new int[] {100, 1_000, 6_000, 20_000}) {
      Outcome outcome = load(policy, loads);
      // Rewriting the grown output in every round would give loads / 8 (125 at 1,000 loads);
      // leaving out at most 4 outweighing rowsets gave 11.4 at 6,000 and 17.2 at 20,000.
      assertThat(outcome.writeAmplification()).as("%d loads", loads).isLessThan(7);
      assertThat(outcome.mostRowsets()).as("%d loads", loads).isLessThanOrEqualTo(bound);
      assertContiguous(outcome.rowsets(), loads);
    }
  }

  @Test
  void loadsOfRandomSizesAreRewrittenABoundedNumberOfTimes() {
    CompactionPolicy policy = CompactionPolicy.DEFAULT;
    for (long seed = 1; seed <= 3; seed++) {
      Random random = new Random(seed);
      // From 1 KB to 30 MB, evenly on a log scale: about 8 GB in all, so base compactions run.
      Outcome outcome =
          load(policy, 4_000, load -> (long) Math.pow(10, 3 + 4.5 * random.nextDouble()));
      // The earlier policy (cumulative rowsets outweighing the newer ones left out at most 4
      // times, base compaction counting every rowset) gave 35 to 36 on these sizes.
      assertThat(outcome.writeAmplification()).as("seed %d", seed).isLessThan(8);
      assertThat(outcome.mostRowsets())
          .as("seed %d", seed)
          .isLessThanOrEqualTo(policy.baseMinRowsets() + policy.cumulativeMaxRowsets());
      assertContiguous(outcome.rowsets(), 4_000);
    }
  }

  @Test
  void baseCompactionTakesOnlyThePromotedRowsets() {
    CompactionPolicy policy = new CompactionPolicy(5, 20, 1_000, 3);
    List<RowsetMeta> rowsets = new ArrayList<>();
    long[] sizes = {5_000, 2_000, 1_500, 100, 50};
    for (int i = 0; i < sizes.length; i++) {
      rowsets.add(new RowsetMeta(i + 1, 1, i + 1, i + 1, i + 1, List.of(), 1, sizes[i]));
    }
    CompactionPolicy.Choice choice = policy.choose(rowsets, false, false);
    assertThat(choice.kind()).isEqualTo(CompactionPolicy.Kind.BASE);
    assertThat(choice.inputs()).isEqualTo(rowsets.subList(0, 3));
  }

  @Test
  void thePromotionSizeGrowsWithTheBase() {
    CompactionPolicy policy = new CompactionPolicy(5, 20, 1_000, 3);
    List<RowsetMeta> rowsets = new ArrayList<>();
    // A base of 100,000 bytes promotes from 5,000 (a twentieth), so the 2,000-byte rowsets stay
    // in the cumulative tier and no base compaction runs.
    long[] sizes = {100_000, 2_000, 2_000};
    for (int i = 0; i < sizes.length; i++) {
      rowsets.add(new RowsetMeta(i + 1, 1, i + 1, i + 1, i + 1, List.of(), 1, sizes[i]));
    }
    assertThat(policy.choose(rowsets, false, false)).isNull();
    rowsets.set(2, new RowsetMeta(3, 1, 3, 3, 3, List.of(), 1, 5_000));
    assertThat(policy.choose(rowsets, false, false).inputs()).isEqualTo(rowsets);
  }

  @Test
  void smallRowsetsWaitBesideALargerOneUntilThereAreEnough() {
    CompactionPolicy policy = new CompactionPolicy(3, 4, 1L << 30, 10);
    List<RowsetMeta> rowsets = new ArrayList<>();
    rowsets.add(new RowsetMeta(1, 1, 1, 1, 1, List.of(), 1, 1_000));
    rowsets.add(new RowsetMeta(2, 1, 2, 2, 2, List.of(), 1, 10));
    rowsets.add(new RowsetMeta(3, 1, 3, 3, 3, List.of(), 1, 10));
    // Three small-tier rowsets, but the first outweighs the two others: no merge yet.
    assertThat(policy.choose(rowsets, false, false)).isNull();
    rowsets.add(new RowsetMeta(4, 1, 4, 4, 4, List.of(), 1, 10));
    CompactionPolicy.Choice choice = policy.choose(rowsets, false, false);
    assertThat(choice.kind()).isEqualTo(CompactionPolicy.Kind.CUMULATIVE);
    assertThat(choice.inputs()).isEqualTo(rowsets.subList(1, 4));
    // A base compaction on request still takes every rowset.
    assertThat(policy.choose(rowsets, false, true).inputs()).isEqualTo(rowsets);
  }
}
