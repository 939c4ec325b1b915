package dev.basalt.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentReader;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.segment.SegmentWriterOptions;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class PrimaryKeyIndexTest {
  private static final long SEED = 77;

  @Test
  void encodingOrderMatchesValueOrder() {
    Random random = new Random(SEED);
    PrimaryKeyEncoder encoder = new PrimaryKeyEncoder();
    List<Long> longs = new ArrayList<>(List.of(Long.MIN_VALUE, -1L, 0L, 1L, Long.MAX_VALUE));
    for (int i = 0; i < 200; i++) {
      longs.add(random.nextLong());
    }
    for (long left : longs) {
      for (long right : longs.subList(0, 20)) {
        assertThat(Integer.signum(compare(encoder, bigint(left), bigint(right))))
            .as("seed %d: %d vs %d", SEED, left, right)
            .isEqualTo(Integer.signum(Long.compare(left, right)));
      }
    }
    String[] strings = {"", "\0", "\0\0", "a", "a\0", "a\0b", "ab", "b", "é"};
    for (String left : strings) {
      for (String right : strings) {
        int expected =
            Arrays.compareUnsigned(
                left.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                right.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(Integer.signum(compare(encoder, varchar(left), varchar(right))))
            .as("'%s' vs '%s'", left, right)
            .isEqualTo(Integer.signum(expected));
      }
    }
    assertThat(compare(encoder, varchar(null), varchar(""))).isNegative();
    BigDecimal[] decimals = {new BigDecimal("-5.50"), new BigDecimal("-0.01"), BigDecimal.ZERO};
    for (int i = 0; i + 1 < decimals.length; i++) {
      assertThat(compare(encoder, decimal(decimals[i]), decimal(decimals[i + 1]))).isNegative();
    }
  }

  @Test
  void findsEveryKeyAndRejectsAbsentOnes() {
    PrimaryKeyIndex.Builder builder = new PrimaryKeyIndex.Builder();
    PrimaryKeyEncoder encoder = new PrimaryKeyEncoder();
    for (long key = 0; key < 5000; key += 2) {
      builder.add(encoder.encode(bigint(key), 0));
    }
    PrimaryKeyIndex index = PrimaryKeyIndex.parse(builder.build().serialize());
    assertThat(index.keyCount()).isEqualTo(2500);
    for (long key = 0; key < 5000; key++) {
      int row = index.find(encoder.encode(bigint(key), 0));
      assertThat(row).as("key %d", key).isEqualTo(key % 2 == 0 ? (int) (key / 2) : -1);
    }
    assertThat(index.covers(encoder.encode(bigint(0), 0))).isTrue();
    assertThat(index.covers(encoder.encode(bigint(4998), 0))).isTrue();
    assertThat(index.covers(encoder.encode(bigint(2001), 0))).isTrue();
    assertThat(index.covers(encoder.encode(bigint(-1), 0))).isFalse();
    assertThat(index.covers(encoder.encode(bigint(4999), 0))).isFalse();
    assertThatThrownBy(() -> builder.add(encoder.encode(bigint(0), 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findFromFollowsIncreasingProbesLikeFind() {
    Random random = new Random(SEED);
    PrimaryKeyEncoder encoder = new PrimaryKeyEncoder();
    PrimaryKeyIndex.Builder builder = new PrimaryKeyIndex.Builder();
    List<Long> stored = new ArrayList<>();
    for (long key = 0; key < 20_000; key += 1 + random.nextInt(7)) {
      builder.add(encoder.encode(bigint(key), 0));
      stored.add(key);
    }
    PrimaryKeyIndex index = builder.build();
    // Probe runs of several densities, each in increasing order, as a merge-on-write commit does.
    for (int gap : new int[] {1, 3, 50, 2_000}) {
      int from = 0;
      for (long key = -5; key < 20_010; key += 1 + random.nextInt(gap)) {
        byte[] encoded = encoder.encode(bigint(key), 0);
        int found = index.findFrom(encoded, PrimaryKeyIndex.hash(encoded), from);
        int expected = stored.indexOf(key);
        assertThat(Math.max(found, -1))
            .as("seed %d, gap %d, key %d", SEED, gap, key)
            .isEqualTo(expected);
        int next = PrimaryKeyIndex.nextFromRow(found);
        assertThat(next)
            .as("key %d", key)
            .isGreaterThanOrEqualTo(from)
            .isLessThanOrEqualTo(stored.size());
        // Nothing at or above the next key lies below the next start.
        if (next > 0) {
          assertThat(stored.get(next - 1)).as("key %d", key).isLessThanOrEqualTo(key);
        }
        from = next;
      }
    }
  }

  @Test
  void segmentCarriesItsIndexAndVersionOneSegmentsStillRead() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    List<SegmentColumn> schema =
        List.of(
            new SegmentColumn(1, DataType.BIGINT, false),
            new SegmentColumn(2, DataType.varchar(10), true));
    ColumnVectorBuilder keys = new ColumnVectorBuilder(DataType.BIGINT, 100);
    ColumnVectorBuilder values = new ColumnVectorBuilder(DataType.varchar(10), 100);
    for (int i = 0; i < 100; i++) {
      keys.appendLong(i * 3L);
      values.appendObject("v" + i);
    }
    Batch batch = new Batch(List.of(keys.build(), values.build()), 100);
    try (SegmentWriter writer =
        new SegmentWriter(
            fileSystem, "indexed.bsg", schema, SegmentWriterOptions.DEFAULT, new int[] {0})) {
      writer.append(batch);
      writer.finish();
    }
    try (SegmentWriter writer = new SegmentWriter(fileSystem, "plain.bsg", schema)) {
      writer.append(batch);
      writer.finish();
    }
    PrimaryKeyEncoder encoder = new PrimaryKeyEncoder();
    try (SegmentReader reader = SegmentReader.open(fileSystem, "indexed.bsg")) {
      PrimaryKeyIndex index = reader.readPrimaryKeyIndex();
      assertThat(index.find(encoder.encode(bigint(30), 0))).isEqualTo(10);
      assertThat(index.find(encoder.encode(bigint(31), 0))).isEqualTo(-1);
      reader.verify();
    }
    // A version 1 file: the version 2 file without the footer's index field.
    byte[] version1 = toVersionOne(fileSystem.bytes("plain.bsg"));
    fileSystem.replaceBytes("old.bsg", version1);
    try (SegmentReader reader = SegmentReader.open(fileSystem, "old.bsg")) {
      assertThat(reader.metadata().formatVersion()).isEqualTo(1);
      assertThat(reader.hasPrimaryKeyIndex()).isFalse();
      assertThat(reader.readPrimaryKeyIndex()).isNull();
      reader.verify();
      assertThat(reader.rowCount()).isEqualTo(100);
    }
    // A damaged index is corruption.
    byte[] damaged = fileSystem.bytes("indexed.bsg");
    ByteBuffer trailer = ByteBuffer.wrap(damaged).order(ByteOrder.LITTLE_ENDIAN);
    int footerLength = trailer.getInt(damaged.length - 24);
    int footerStart = damaged.length - 24 - footerLength;
    long indexOffset = trailer.getLong(footerStart + footerLength - 16);
    damaged[(int) indexOffset + 20] ^= 1;
    fileSystem.replaceBytes("damaged.bsg", damaged);
    try (SegmentReader reader = SegmentReader.open(fileSystem, "damaged.bsg")) {
      assertThatThrownBy(reader::readPrimaryKeyIndex)
          .isInstanceOfSatisfying(
              BasaltException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_CORRUPTION));
    }
  }

  private static byte[] toVersionOne(byte[] file) {
    ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int footerLength = buffer.getInt(file.length - 24);
    int footerStart = file.length - 24 - footerLength;
    int newFooterLength = footerLength - 16;
    byte[] footer = Arrays.copyOfRange(file, footerStart, footerStart + newFooterLength);
    CRC32C checksum = new CRC32C();
    checksum.update(footer);
    ByteBuffer out =
        ByteBuffer.allocate(footerStart + newFooterLength + 24).order(ByteOrder.LITTLE_ENDIAN);
    out.put(file, 0, footerStart);
    out.put(footer);
    out.putInt(newFooterLength);
    out.putInt((int) checksum.getValue());
    out.putInt(1);
    out.putInt(0);
    out.put(Arrays.copyOfRange(file, file.length - 8, file.length));
    byte[] result = out.array();
    ByteBuffer.wrap(result).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1);
    return result;
  }

  private static int compare(PrimaryKeyEncoder encoder, ColumnVector[] left, ColumnVector[] right) {
    return Arrays.compareUnsigned(encoder.encode(left, 0), encoder.encode(right, 0));
  }

  private static ColumnVector[] bigint(long value) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.BIGINT, 1);
    builder.appendLong(value);
    return new ColumnVector[] {builder.build()};
  }

  private static ColumnVector[] varchar(String value) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.varchar(10), 1);
    builder.appendObject(value);
    return new ColumnVector[] {builder.build()};
  }

  private static ColumnVector[] decimal(BigDecimal value) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.decimal(10, 2), 1);
    builder.appendDecimal(value);
    return new ColumnVector[] {builder.build()};
  }
}
