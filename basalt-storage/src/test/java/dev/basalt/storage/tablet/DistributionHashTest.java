package dev.basalt.storage.tablet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVectorBuilder;
import org.junit.jupiter.api.Test;

/** The bucket hash is fixed by docs/format.md ("Bucket hash"): a change here moves stored data. */
class DistributionHashTest {

  @Test
  void anIntegerHashesToMurmurFinalizerOfItsValue() {
    long[] hashes = new long[1];
    DistributionHash.mix(new ColumnVectorBuilder(DataType.INT).appendLong(5).build(), hashes, 1);
    assertThat(hashes[0]).isEqualTo(DistributionHash.finalizeHash(5));
  }

  @Test
  void equalValuesLandInTheSameBucket() {
    long[] first = new long[2];
    long[] second = new long[2];
    DistributionHash.mix(
        new ColumnVectorBuilder(DataType.BIGINT).appendLong(42).appendLong(7).build(), first, 2);
    DistributionHash.mix(
        new ColumnVectorBuilder(DataType.BIGINT).appendLong(7).appendLong(42).build(), second, 2);
    assertThat(DistributionHash.bucketOf(first[0], 16))
        .isEqualTo(DistributionHash.bucketOf(second[1], 16));
    assertThat(DistributionHash.bucketOf(first[1], 16))
        .isEqualTo(DistributionHash.bucketOf(second[0], 16));
  }
}
