package dev.basalt.load.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.meta.catalog.RowsetMeta;
import java.util.ArrayList;
import java.util.List;
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
    List<RowsetMeta> rowsets = new ArrayList<>();
    long version = 0;
    long written = 0;
    int most = 0;
    for (int i = 0; i < loads; i++) {
      version++;
      rowsets.add(new RowsetMeta(version, 1, version, version, version, List.of(), 1, LOAD_BYTES));
      written += LOAD_BYTES;
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
    return new Outcome((double) written / (loads * LOAD_BYTES), most, rowsets);
  }

  @Test
  void manySmallLoadsAreRewrittenLogarithmicallyOftenWithBoundedRowsets() {
    CompactionPolicy policy = CompactionPolicy.DEFAULT;
    for (int loads : new int[] {100, 1_000, 6_000}) {
      Outcome outcome = load(policy, loads);
      // Rewriting the grown output in every round would give loads / 8 (125 at 1,000 loads).
      assertThat(outcome.writeAmplification()).as("%d loads", loads).isLessThan(15);
      assertThat(outcome.mostRowsets())
          .as("%d loads", loads)
          .isLessThan(policy.baseMinRowsets() + policy.cumulativeMinRowsets());
      long versions = 0;
      for (RowsetMeta rowset : outcome.rowsets()) {
        assertThat(rowset.startVersion()).isEqualTo(versions + 1);
        versions = rowset.endVersion();
      }
      assertThat(versions).isEqualTo(loads);
    }
  }

  @Test
  void smallRowsetsWaitBesideALargerOneUntilThereAreEnough() {
    CompactionPolicy policy = new CompactionPolicy(3, 1L << 30, 10);
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
