package dev.basalt.exec.spill;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Rows of typed column vectors written to a temporary file by an operator that spills (hash
 * aggregation and hash join partitions), read back once as batches in the order written.
 *
 * <p>Encoding, per block of rows appended at once: the row count, then per column a null bitmap
 * (one bit per row) followed by the non-null values in the column's physical encoding: 8 bytes per
 * BIGINT-like or DOUBLE value, length and UTF-8 bytes per string. A DECIMAL or LARGEINT column
 * starts with a layout byte: the unscaled values as 8-byte longs when all of the block's fit, else
 * as 16 bytes (the {@link Int128} high and low halves), read back into the same unboxed layouts;
 * only a boxed DECIMAL vector (results with more digits than their type's scale) writes scale,
 * length and unscaled bytes per value. No Java serialization, no per-row objects for fixed-width
 * and unboxed columns.
 *
 * <p>Every byte written is charged to the statement with {@link SpillAccounting#addSpilled}, which
 * fails the statement with MEM_LIMIT_EXCEEDED past its spill limit. Call order: {@link #append} any
 * number of times, {@link #finishWriting()}, then {@link #reader()} (once per pass; a spool reads
 * its file once per consumer); {@link #delete()} at the end (also on failure; idempotent). Not
 * thread safe.
 */
public final class BatchSpillFile {
  /** Per open file: a partitioned operator holds one writer per partition at once. */
  private static final int WRITE_BUFFER_BYTES = 32 * 1024;

  private static final int READ_BUFFER_BYTES = 32 * 1024;

  /** Layouts of a DECIMAL or LARGEINT column in one block: longs, 128-bit halves, boxed. */
  private static final byte LONGS = 0;

  private static final byte HALVES = 1;

  private static final byte BOXED = 2;

  private final Path path;
  private final List<DataType> types;
  private final SpillAccounting accounting;
  private final CountingStream counter;
  private DataOutputStream out;
  private long rowCount;
  private long bytesCharged;

  /** Whatever charges spilled bytes to the statement (its memory budget). */
  @FunctionalInterface
  public interface SpillAccounting {
    /** Records {@code bytes} more written to spill files; throws past the statement's limit. */
    void addSpilled(long bytes);
  }

  /** Creates an empty file in {@code directory} (created if missing) for rows of {@code types}. */
  public BatchSpillFile(Path directory, List<DataType> types, SpillAccounting accounting) {
    this.types = List.copyOf(types);
    this.accounting = accounting;
    try {
      Files.createDirectories(directory);
      path = Files.createTempFile(directory, "spill-", ".part");
      counter = new CountingStream(Files.newOutputStream(path));
      out = new DataOutputStream(new BufferedOutputStream(counter, WRITE_BUFFER_BYTES));
    } catch (IOException e) {
      throw new BasaltException(e, ErrorCode.IO_ERROR, "cannot create a spill file: " + e);
    }
  }

  public long rowCount() {
    return rowCount;
  }

  /** Bytes written to the file so far (buffered bytes not yet included). */
  public long bytes() {
    return counter.count;
  }

  /** Appends rows {@code rows[0 .. count - 1]} of {@code batch} as one block. */
  public void append(Batch batch, int[] rows, int count) {
    if (count == 0) {
      return;
    }
    try {
      out.writeInt(count);
      for (int column = 0; column < types.size(); column++) {
        writeColumn(batch.column(column), rows, count);
      }
    } catch (IOException e) {
      delete();
      throw new BasaltException(
          e, ErrorCode.IO_ERROR, "cannot write spill file " + path + ": " + e);
    }
    rowCount += count;
    chargeWritten();
  }

  /** Charges what reached the file since the last charge (a buffer's worth at a time). */
  private void chargeWritten() {
    long written = counter.count - bytesCharged;
    if (written > 0) {
      bytesCharged += written;
      accounting.addSpilled(written);
    }
  }

  /** Counts the bytes that reach the file. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    private long count;

    CountingStream(java.io.OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      count += length;
    }
  }

  private void writeColumn(ColumnVector vector, int[] rows, int count) throws IOException {
    boolean nullable = vector.mayHaveNulls();
    byte[] bitmap = new byte[(count + 7) >>> 3];
    if (nullable) {
      for (int i = 0; i < count; i++) {
        if (vector.isNull(rows[i])) {
          bitmap[i >>> 3] |= (byte) (1 << (i & 7));
        }
      }
    }
    out.writeBoolean(nullable);
    if (nullable) {
      out.write(bitmap);
    }
    switch (vector) {
      case LongVector longs -> {
        for (int i = 0; i < count; i++) {
          if (!nullable || !longs.isNull(rows[i])) {
            out.writeLong(longs.getLong(rows[i]));
          }
        }
      }
      case DoubleVector doubles -> {
        for (int i = 0; i < count; i++) {
          if (!nullable || !doubles.isNull(rows[i])) {
            out.writeDouble(doubles.getDouble(rows[i]));
          }
        }
      }
      case BytesVector strings -> {
        byte[] raw = strings.rawBytes();
        for (int i = 0; i < count; i++) {
          int row = rows[i];
          if (!nullable || !strings.isNull(row)) {
            int length = strings.byteLength(row);
            out.writeInt(length);
            out.write(raw, strings.offset(row), length);
          }
        }
      }
      case DecimalVector decimals when decimals.isUnboxed() ->
          writeHalves(decimals, decimals::getHigh, decimals::getLow, rows, count, nullable);
      case DecimalVector decimals -> {
        out.writeByte(BOXED);
        for (int i = 0; i < count; i++) {
          BigDecimal value = decimals.getDecimal(rows[i]);
          if (value != null) {
            out.writeInt(value.scale());
            writeBytes(value.unscaledValue().toByteArray());
          }
        }
      }
      case LargeIntVector integers ->
          writeHalves(integers, integers::getHigh, integers::getLow, rows, count, nullable);
    }
  }

  /**
   * The unscaled values of an unboxed DECIMAL or a LARGEINT ({@link Int128} halves): 8 bytes each
   * when every value of the block fits a long, else 16 (high, low), no object per value.
   */
  private void writeHalves(
      ColumnVector vector,
      IntToLongFunction high,
      IntToLongFunction low,
      int[] rows,
      int count,
      boolean nullable)
      throws IOException {
    boolean longs = true;
    for (int i = 0; i < count && longs; i++) {
      int row = rows[i];
      longs =
          (nullable && vector.isNull(row))
              || Int128.fitsLong(high.applyAsLong(row), low.applyAsLong(row));
    }
    out.writeByte(longs ? LONGS : HALVES);
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (!nullable || !vector.isNull(row)) {
        if (!longs) {
          out.writeLong(high.applyAsLong(row));
        }
        out.writeLong(low.applyAsLong(row));
      }
    }
  }

  private void writeBytes(byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** Flushes and closes the writer; the file can then be read. */
  public void finishWriting() {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      delete();
      throw new BasaltException(
          e, ErrorCode.IO_ERROR, "cannot write spill file " + path + ": " + e);
    }
    out = null;
    chargeWritten();
  }

  /** Reads the blocks back as batches, in the order written. The caller closes it. */
  public Reader reader() {
    finishWriting();
    try {
      return new Reader(
          new DataInputStream(
              new BufferedInputStream(Files.newInputStream(path), READ_BUFFER_BYTES)));
    } catch (IOException e) {
      throw new BasaltException(e, ErrorCode.IO_ERROR, "cannot read spill file " + path + ": " + e);
    }
  }

  /** Closes the writer if still open and removes the file. */
  public void delete() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // The file goes anyway.
      }
      out = null;
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A leftover spill file is removed when the server next starts (it clears the directory).
    }
  }

  /** One pass over the file; {@link #next()} returns null at its end. */
  public final class Reader implements AutoCloseable {
    private final DataInputStream in;
    private long remaining = rowCount;

    private Reader(DataInputStream in) {
      this.in = in;
    }

    /** The next block as a batch, or null at the end of the file. */
    public Batch next() {
      if (remaining == 0) {
        return null;
      }
      try {
        int count = in.readInt();
        List<ColumnVector> columns = new ArrayList<>(types.size());
        for (DataType type : types) {
          columns.add(readColumn(type, count));
        }
        remaining -= count;
        return new Batch(columns, count);
      } catch (EOFException e) {
        throw new BasaltException(e, ErrorCode.IO_ERROR, "spill file " + path + " is truncated");
      } catch (IOException e) {
        throw new BasaltException(
            e, ErrorCode.IO_ERROR, "cannot read spill file " + path + ": " + e);
      }
    }

    private ColumnVector readColumn(DataType type, int count) throws IOException {
      boolean nullable = in.readBoolean();
      boolean[] nulls = null;
      if (nullable) {
        byte[] bitmap = new byte[(count + 7) >>> 3];
        in.readFully(bitmap);
        nulls = new boolean[count];
        for (int i = 0; i < count; i++) {
          nulls[i] = (bitmap[i >>> 3] & (1 << (i & 7))) != 0;
        }
      }
      switch (type.physical()) {
        case LONG -> {
          long[] values = new long[count];
          for (int i = 0; i < count; i++) {
            if (nulls == null || !nulls[i]) {
              values[i] = in.readLong();
            }
          }
          return new LongVector(type, values, nulls, count);
        }
        case DOUBLE -> {
          double[] values = new double[count];
          for (int i = 0; i < count; i++) {
            if (nulls == null || !nulls[i]) {
              values[i] = in.readDouble();
            }
          }
          return new DoubleVector(type, values, nulls, count);
        }
        case BYTES -> {
          ColumnVectorBuilder builder = new ColumnVectorBuilder(type, count);
          for (int i = 0; i < count; i++) {
            if (nulls != null && nulls[i]) {
              builder.appendNull();
              continue;
            }
            byte[] bytes = readBytes();
            builder.appendBytes(bytes, 0, bytes.length);
          }
          return builder.build();
        }
        case DECIMAL, LARGEINT -> {
          return readUnscaled(type, count, nulls);
        }
      }
      throw new IllegalStateException("no spill encoding for " + type);
    }

    /** A DECIMAL or LARGEINT column as {@link BatchSpillFile#writeHalves} or boxed wrote it. */
    private ColumnVector readUnscaled(DataType type, int count, boolean[] nulls)
        throws IOException {
      byte layout = in.readByte();
      if (layout == BOXED) {
        ColumnVectorBuilder builder = new ColumnVectorBuilder(type, count);
        for (int i = 0; i < count; i++) {
          if (nulls != null && nulls[i]) {
            builder.appendNull();
            continue;
          }
          int scale = in.readInt();
          builder.appendDecimal(new BigDecimal(new BigInteger(readBytes()), scale));
        }
        return builder.build();
      }
      boolean decimal = type.physical() == PhysicalType.DECIMAL;
      long[] lows = new long[count];
      long[] highs = layout == HALVES || !decimal ? new long[count] : null;
      for (int i = 0; i < count; i++) {
        if (nulls == null || !nulls[i]) {
          if (layout == HALVES) {
            highs[i] = in.readLong();
            lows[i] = in.readLong();
          } else {
            lows[i] = in.readLong();
            if (highs != null) {
              highs[i] = lows[i] >> 63;
            }
          }
        }
      }
      if (!decimal) {
        return new LargeIntVector(type, highs, lows, nulls, count);
      }
      return highs == null
          ? new DecimalVector(type, lows, nulls, count)
          : new DecimalVector(type, highs, lows, nulls, count);
    }

    private byte[] readBytes() throws IOException {
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      return bytes;
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        // Read to the end or abandoned; nothing to keep.
      }
    }
  }
}
