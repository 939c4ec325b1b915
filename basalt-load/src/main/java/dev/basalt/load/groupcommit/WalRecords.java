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
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

  static byte[] encode(List<Batch> batches) {
    // Sized for the fixed-width values (a null flag and 8 bytes each) so that a small load's record
    // is written without growing the buffer; text columns may grow it once.
    long estimate = 64;
    for (Batch batch : batches) {
      estimate += 12 + batch.columnCount() * (1 + batch.rowCount() * 16L);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(estimate, 1 << 20));
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.writeInt(batches.size());
      for (Batch batch : batches) {
        int rows = batch.rowCount();
        out.writeInt(rows);
        out.writeInt(batch.columnCount());
        for (int c = 0; c < batch.columnCount(); c++) {
          writeColumn(out, batch.column(c), rows);
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return bytes.toByteArray();
  }

  private static void writeColumn(DataOutputStream out, ColumnVector vector, int rows)
      throws IOException {
    boolean nulls = vector.mayHaveNulls();
    out.writeBoolean(nulls);
    if (nulls) {
      for (int row = 0; row < rows; row++) {
        out.writeBoolean(vector.isNull(row));
      }
    }
    switch (vector) {
      case LongVector longs -> {
        for (int row = 0; row < rows; row++) {
          out.writeLong(longs.isNull(row) ? 0 : longs.getLong(row));
        }
      }
      case DoubleVector doubles -> {
        for (int row = 0; row < rows; row++) {
          out.writeDouble(doubles.isNull(row) ? 0 : doubles.getDouble(row));
        }
      }
      case BytesVector strings -> {
        for (int row = 0; row < rows; row++) {
          if (strings.isNull(row)) {
            out.writeInt(0);
          } else {
            out.writeInt(strings.byteLength(row));
            out.write(strings.rawBytes(), strings.offset(row), strings.byteLength(row));
          }
        }
      }
      case DecimalVector decimals when decimals.isScaledLong() && rows > 0 -> {
        // As the vector holds them: the text form cost most of a small load's logging CPU.
        out.writeInt(SCALED_LONGS);
        for (int row = 0; row < rows; row++) {
          out.writeLong(decimals.isNull(row) ? 0 : decimals.getUnscaled(row));
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

  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(bytes.length);
    out.write(bytes);
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
