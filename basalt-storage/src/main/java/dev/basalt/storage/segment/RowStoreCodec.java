package dev.basalt.storage.segment;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.storage.encoding.FormatException;
import dev.basalt.storage.encoding.Int128PageCodec;
import dev.basalt.storage.encoding.LittleEndianInput;
import dev.basalt.storage.encoding.LittleEndianOutput;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;

/**
 * The encoding of one row in a segment's row-store column (docs/format.md section 14, Doris's
 * {@code store_row_column}): the values of the row-stored columns of one row side by side, so that
 * a point lookup decodes one value instead of a page per column.
 *
 * <pre>
 * row   = fieldCount:u16 field[fieldCount]
 * field = uniqueId:i32 presence:u8 [value]      presence 0: NULL (no value), 1: a value follows
 * value = i64 (INT64 types) | f64 bits (FLOAT, DOUBLE) | low:u64 high:i64 (DECIMAL unscaled at the
 *         column's scale, LARGEINT) | length:u32 bytes (strings)
 * </pre>
 *
 * <p>The fields' types are those of the same segment's columns with the same unique ids, so a row
 * can only be decoded with its segment's footer; a row never outlives its segment's schema.
 * Stateless.
 */
final class RowStoreCodec {
  private RowStoreCodec() {}

  /** The unique id of the row-store column; catalog ids are never negative. */
  static final int COLUMN_ID = -1;

  /** The row-store column as it appears in a footer: a nullable-free STRING of encoded rows. */
  static final SegmentColumn COLUMN = new SegmentColumn(COLUMN_ID, DataType.STRING, false);

  /** Row-store pages are cut smaller than column pages: a lookup decodes one whole page. */
  static final int PAGE_BYTES = 16 * 1024;

  /**
   * Encodes rows {@code [0, batch.rowCount())} of the columns at {@code positions} of {@code
   * schema} into one STRING vector, one encoded row per row. The batch's values have already been
   * accepted by the column writers (types, scales and nullability are valid).
   */
  static ColumnVector encode(List<SegmentColumn> schema, int[] positions, Batch batch) {
    int rowCount = batch.rowCount();
    ColumnVectorBuilder rows = new ColumnVectorBuilder(DataType.STRING, rowCount);
    LittleEndianOutput out = new LittleEndianOutput(256);
    for (int row = 0; row < rowCount; row++) {
      out.reset();
      out.writeShort(positions.length);
      for (int position : positions) {
        SegmentColumn column = schema.get(position);
        ColumnVector vector = batch.column(position);
        out.writeInt(column.uniqueId());
        if (vector.isNull(row)) {
          out.writeByte(0);
          continue;
        }
        out.writeByte(1);
        switch (vector) {
          case LongVector longs -> out.writeLong(longs.getLong(row));
          case DoubleVector doubles ->
              out.writeLong(Double.doubleToRawLongBits(doubles.getDouble(row)));
          case DecimalVector decimals
              when decimals.isUnboxed() && decimals.scale() == column.type().scale() -> {
            out.writeLong(decimals.getLow(row));
            out.writeLong(decimals.getHigh(row));
          }
          case DecimalVector decimals -> {
            BigInteger unscaled =
                decimals
                    .getDecimal(row)
                    .setScale(column.type().scale(), RoundingMode.UNNECESSARY)
                    .unscaledValue();
            out.writeLong(Int128PageCodec.low(unscaled));
            out.writeLong(Int128PageCodec.high(unscaled));
          }
          case LargeIntVector largeInts -> {
            out.writeLong(largeInts.getLow(row));
            out.writeLong(largeInts.getHigh(row));
          }
          case BytesVector bytes -> {
            out.writeInt(bytes.byteLength(row));
            out.writeBytes(bytes.rawBytes(), bytes.offset(row), bytes.byteLength(row));
          }
        }
      }
      rows.appendBytes(out.array(), 0, out.size());
    }
    return rows.build();
  }

  /** The type of a stored column, by unique id; {@code null} when the segment lacks it. */
  interface ColumnTypes {
    DataType typeOf(int uniqueId);
  }

  /**
   * Decodes the requested columns of one encoded row into single-row vectors ({@code into[i]} for
   * {@code uniqueIds[i]}); entries of ids the row does not hold are left {@code null}.
   *
   * @throws FormatException when the bytes are not a well-formed row of this segment
   */
  static void decode(
      byte[] bytes,
      int offset,
      int length,
      ColumnTypes types,
      int[] uniqueIds,
      ColumnVector[] into) {
    LittleEndianInput in = new LittleEndianInput(bytes, offset, length);
    int fieldCount = in.readUnsignedShort();
    for (int field = 0; field < fieldCount; field++) {
      int id = in.readInt();
      DataType type = types.typeOf(id);
      if (type == null) {
        throw new FormatException("row-store field of column " + id + " not in the segment");
      }
      int present = in.readUnsignedByte();
      if (present > 1) {
        throw new FormatException("row-store presence byte " + present);
      }
      int wanted = indexOf(uniqueIds, id);
      if (present == 0) {
        if (wanted >= 0) {
          into[wanted] = new ColumnVectorBuilder(type, 1).appendNull().build();
        }
        continue;
      }
      switch (type.physical()) {
        case LONG -> {
          long value = in.readLong();
          if (wanted >= 0) {
            into[wanted] = new ColumnVectorBuilder(type, 1).appendLong(value).build();
          }
        }
        case DOUBLE -> {
          double value = Double.longBitsToDouble(in.readLong());
          if (wanted >= 0) {
            into[wanted] = new ColumnVectorBuilder(type, 1).appendDouble(value).build();
          }
        }
        case DECIMAL, LARGEINT -> {
          long low = in.readLong();
          long high = in.readLong();
          if (wanted >= 0) {
            into[wanted] = new ColumnVectorBuilder(type, 1).appendInt128(high, low).build();
          }
        }
        case BYTES -> {
          int valueLength = in.readCount("row-store string length");
          int start = in.require(valueLength, "row-store string");
          in.skip(valueLength, "row-store string");
          if (wanted >= 0) {
            into[wanted] =
                new ColumnVectorBuilder(type, 1).appendBytes(bytes, start, valueLength).build();
          }
        }
      }
    }
    in.expectEnd("row-store row");
  }

  private static int indexOf(int[] ids, int id) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }
}
