package dev.basalt.load.groupcommit;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.load.ColumnBuffer;
import dev.basalt.load.schema.StrictColumnCast;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.ColumnRewrite;
import dev.basalt.meta.catalog.TableMeta;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The payload of one write-ahead log record: one load's rows, as batches laid out like the table's
 * columns when the group began, column by column in primitive form (a null flag per row where the
 * column has nulls; longs, doubles, length-prefixed bytes; a DECIMAL held as scaled longs as the
 * marker -1 and then its unscaled longs, any other DECIMAL and LARGEINT as their decimal text,
 * length-prefixed). The marker cannot be confused with the text form, whose first entry is a length
 * (never negative), so logs written before the scaled form existed still read. Stateless.
 */
final class WalRecords {
  private WalRecords() {}

  /** Where a DECIMAL column's first text length would be: its values follow as unscaled longs. */
  private static final int SCALED_LONGS = -1;

  /**
   * A whole record holding {@code batches} for {@link WriteAheadLog#appendRecord}: {@link
   * WriteAheadLog#RECORD_HEADER_BYTES} bytes left for the log's record header, then the payload.
   * Encoded straight into that one array, so the log need not copy the payload behind a header.
   */
  static byte[] encodeRecord(List<Batch> batches) {
    // Sized exactly for every column but DECIMAL or LARGEINT text, so that a small load's record is
    // written into one array of its size (a stream's doubling and final copy were a tenth of a
    // 10-row load's allocation).
    long size = WriteAheadLog.RECORD_HEADER_BYTES + 4;
    for (Batch batch : batches) {
      size += 8;
      for (int c = 0; c < batch.columnCount(); c++) {
        size += columnBytes(batch.column(c), batch.rowCount());
      }
    }
    RecordWriter out = new RecordWriter((int) Math.min(size, Integer.MAX_VALUE - 16));
    out.skip(WriteAheadLog.RECORD_HEADER_BYTES);
    out.writeInt(batches.size());
    for (Batch batch : batches) {
      int rows = batch.rowCount();
      out.writeInt(rows);
      out.writeInt(batch.columnCount());
      for (int c = 0; c < batch.columnCount(); c++) {
        writeColumn(out, batch.column(c), rows);
      }
    }
    return out.toByteArray();
  }

  /** The bytes {@link #writeColumn} writes for {@code vector}; an estimate for text forms. */
  private static long columnBytes(ColumnVector vector, int rows) {
    long bytes = 1 + (vector.mayHaveNulls() ? rows : 0);
    return bytes
        + switch (vector) {
          case LongVector ignored -> 8L * rows;
          case DoubleVector ignored -> 8L * rows;
          case BytesVector strings -> {
            long total = 4L * rows;
            for (int row = 0; row < rows; row++) {
              if (!strings.isNull(row)) {
                total += strings.byteLength(row);
              }
            }
            yield total;
          }
          case DecimalVector decimals when decimals.isScaledLong() && rows > 0 -> 4 + 8L * rows;
          default -> 24L * rows;
        };
  }

  private static void writeColumn(RecordWriter out, ColumnVector vector, int rows) {
    boolean nulls = vector.mayHaveNulls();
    out.writeBoolean(nulls);
    if (nulls) {
      for (int row = 0; row < rows; row++) {
        out.writeBoolean(vector.isNull(row));
      }
    }
    // Without NULLs (the common case) the loops below ask no row whether it is NULL, and each
    // column makes room once.
    switch (vector) {
      case LongVector longs -> {
        out.reserve(8L * rows);
        for (int row = 0; row < rows; row++) {
          out.putLong(nulls && longs.isNull(row) ? 0 : longs.getLong(row));
        }
      }
      case DoubleVector doubles -> {
        out.reserve(8L * rows);
        for (int row = 0; row < rows; row++) {
          out.putLong(
              Double.doubleToLongBits(nulls && doubles.isNull(row) ? 0 : doubles.getDouble(row)));
        }
      }
      case BytesVector strings -> {
        byte[] raw = strings.rawBytes();
        for (int row = 0; row < rows; row++) {
          if (nulls && strings.isNull(row)) {
            out.writeInt(0);
          } else {
            int length = strings.byteLength(row);
            out.reserve(4L + length);
            out.putInt(length);
            out.put(raw, strings.offset(row), length);
          }
        }
      }
      case DecimalVector decimals when decimals.isScaledLong() && rows > 0 -> {
        // As the vector holds them: the text form cost most of a small load's logging CPU.
        out.writeInt(SCALED_LONGS);
        out.reserve(8L * rows);
        for (int row = 0; row < rows; row++) {
          out.putLong(nulls && decimals.isNull(row) ? 0 : decimals.getUnscaled(row));
        }
      }
      case DecimalVector decimals -> {
        for (int row = 0; row < rows; row++) {
          writeText(out, decimals.isNull(row) ? "" : decimals.getDecimal(row).toPlainString());
        }
      }
      case LargeIntVector integers -> {
        for (int row = 0; row < rows; row++) {
          writeText(out, integers.isNull(row) ? "" : integers.getLargeInt(row).toString());
        }
      }
    }
  }

  private static void writeText(RecordWriter out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  /**
   * A growable big-endian byte array, as {@link DataOutputStream} writes ({@code writeDouble} is
   * {@code writeLong} of the bits), without a stream's synchronisation or final copy when sized
   * right.
   */
  private static final class RecordWriter {
    private static final VarHandle INT =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] bytes;
    private int size;

    RecordWriter(int capacity) {
      bytes = new byte[Math.max(capacity, 16)];
    }

    /** Makes room for {@code more} bytes: the {@code put} methods below check none. */
    void reserve(long more) {
      if (bytes.length - size < more) {
        long wanted = Math.max(size + more, bytes.length * 2L);
        if (wanted > Integer.MAX_VALUE - 16) {
          if (size + more > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a write-ahead log record holds at most 2 GiB");
          }
          wanted = Integer.MAX_VALUE - 16;
        }
        bytes = Arrays.copyOf(bytes, (int) wanted);
      }
    }

    void skip(int count) {
      reserve(count);
      size += count;
    }

    void putInt(int value) {
      INT.set(bytes, size, value);
      size += 4;
    }

    void putLong(long value) {
      LONG.set(bytes, size, value);
      size += 8;
    }

    void put(byte[] source, int offset, int length) {
      System.arraycopy(source, offset, bytes, size, length);
      size += length;
    }

    void writeBoolean(boolean value) {
      reserve(1);
      bytes[size++] = (byte) (value ? 1 : 0);
    }

    void writeInt(int value) {
      reserve(4);
      INT.set(bytes, size, value);
      size += 4;
    }

    void writeLong(long value) {
      reserve(8);
      LONG.set(bytes, size, value);
      size += 8;
    }

    void write(byte[] source, int offset, int length) {
      reserve(length);
      System.arraycopy(source, offset, bytes, size, length);
      size += length;
    }

    byte[] toByteArray() {
      return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
  }

  /**
   * Decodes a record into batches laid out like {@code table}'s columns today: columns are matched
   * by unique id; a column added since the group began gets its default ({@code defaults}, or
   * NULL), a dropped one is left out. A column a schema change rewrote since (same name, a new
   * unique id, docs/architecture.md "Metadata") is read as logged and converted as the rewrite
   * converted the stored rows ({@link StrictColumnCast}).
   *
   * @throws IOException when the record is damaged, or a logged value does not convert to its
   *     column's new type
   */
  static List<Batch> decode(
      byte[] payload, WalHeader header, TableMeta table, Function<ColumnMeta, Object> defaults)
      throws IOException {
    List<ColumnMeta> columns = table.columns();
    int[] logged = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      logged[i] = -1;
      for (int j = 0; j < header.columns().size(); j++) {
        WalHeader.Column column = header.columns().get(j);
        if (column.uniqueId() == columns.get(i).uniqueId()) {
          if (!column.typeName().equals(columns.get(i).type().sqlName())) {
            throw new IOException(
                "column "
                    + columns.get(i).name()
                    + " changed from "
                    + column.typeName()
                    + " to "
                    + columns.get(i).type().sqlName());
          }
          logged[i] = j;
        }
      }
    }
    // Columns rewritten since the group began: found by name among logged ids the table lost.
    StrictColumnCast[] conversions = new StrictColumnCast[columns.size()];
    DataType[] readTypes = new DataType[header.columns().size()];
    for (int i = 0; i < columns.size(); i++) {
      if (logged[i] >= 0) {
        readTypes[logged[i]] = columns.get(i).type();
        continue;
      }
      for (int j = 0; j < header.columns().size(); j++) {
        WalHeader.Column column = header.columns().get(j);
        if (column.name() != null
            && column.name().equalsIgnoreCase(columns.get(i).name())
            && table.columns().stream().noneMatch(c -> c.uniqueId() == column.uniqueId())) {
          logged[i] = j;
          readTypes[j] = column.type();
          conversions[i] = new StrictColumnCast(column.type(), columns.get(i));
        }
      }
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    int batchCount = in.readInt();
    List<Batch> batches = new ArrayList<>(batchCount);
    for (int b = 0; b < batchCount; b++) {
      int rows = in.readInt();
      int columnCount = in.readInt();
      if (rows < 0 || columnCount != header.columns().size()) {
        throw new IOException("damaged record: " + rows + " rows, " + columnCount + " columns");
      }
      ColumnVector[] read = new ColumnVector[columnCount];
      for (int c = 0; c < columnCount; c++) {
        read[c] = readColumn(in, header.columns().get(c).physical(), readTypes[c], rows);
      }
      List<ColumnVector> vectors = new ArrayList<>(columns.size());
      for (int i = 0; i < columns.size(); i++) {
        ColumnMeta column = columns.get(i);
        if (logged[i] < 0) {
          vectors.add(
              ColumnVectorBuilder.constant(
                  column.type(), defaults == null ? null : defaults.apply(column), rows));
        } else if (conversions[i] == null) {
          vectors.add(read[logged[i]]);
        } else {
          try {
            vectors.add(conversions[i].convert(read[logged[i]], rows));
          } catch (ColumnRewrite.Cancelled refused) {
            throw new IOException(refused.getMessage(), refused);
          }
        }
      }
      batches.add(new Batch(vectors, rows));
    }
    return batches;
  }

  /**
   * Reads one logged column into a vector of {@code type}; a column the table no longer has ({@code
   * type} null) is read and returned as null.
   */
  private static ColumnVector readColumn(
      DataInputStream in, PhysicalType physical, DataType type, int rows) throws IOException {
    boolean[] nulls = new boolean[rows];
    if (in.readBoolean()) {
      for (int row = 0; row < rows; row++) {
        nulls[row] = in.readBoolean();
      }
    }
    ColumnBuffer buffer = type == null ? null : new ColumnBuffer(type, Math.max(rows, 1));
    int pendingTextLength = -2;
    if (physical == PhysicalType.DECIMAL && rows > 0) {
      int first = in.readInt();
      if (first == SCALED_LONGS) {
        for (int row = 0; row < rows; row++) {
          long unscaled = in.readLong();
          if (buffer != null) {
            if (nulls[row]) {
              buffer.appendNull();
            } else {
              buffer.appendUnscaled(unscaled);
            }
          }
        }
        return buffer == null ? null : buffer.toVector();
      }
      pendingTextLength = first;
    }
    for (int row = 0; row < rows; row++) {
      switch (physical) {
        case LONG -> {
          long value = in.readLong();
          if (buffer != null) {
            if (nulls[row]) {
              buffer.appendNull();
            } else {
              buffer.appendLong(value);
            }
          }
        }
        case DOUBLE -> {
          double value = in.readDouble();
          if (buffer != null) {
            if (nulls[row]) {
              buffer.appendNull();
            } else {
              buffer.appendDouble(value);
            }
          }
        }
        case BYTES -> {
          byte[] value = new byte[in.readInt()];
          in.readFully(value);
          if (buffer != null) {
            if (nulls[row]) {
              buffer.appendNull();
            } else {
              buffer.appendBytes(value, 0, value.length);
            }
          }
        }
        case DECIMAL, LARGEINT -> {
          int length = pendingTextLength >= 0 ? pendingTextLength : in.readInt();
          pendingTextLength = -2;
          if (length < 0) {
            throw new IOException("damaged record: a decimal text of length " + length);
          }
          byte[] text = new byte[length];
          in.readFully(text);
          if (buffer != null) {
            String value = new String(text, StandardCharsets.US_ASCII);
            buffer.appendObject(
                nulls[row]
                    ? null
                    : physical == PhysicalType.DECIMAL
                        ? new BigDecimal(value)
                        : new BigInteger(value));
          }
        }
      }
    }
    return buffer == null ? null : buffer.toVector();
  }
}
