package dev.basalt.exec.spill;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Values;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run of rows written to a temporary file by an operator that spills (sort), read back once in
 * the order written. Rows are in the representation of {@link Values}; each value is a null flag
 * followed by its physical encoding (long, double, UTF-8 bytes, decimal or large-int bytes), so a
 * run holds about what the rows' vectors would.
 *
 * <p>Call order: {@link #write} creates the file; {@link #reader()} once; {@link #delete()} when
 * done (also on failure; idempotent). Not thread safe.
 */
public final class RowSpillFile {
  private static final int WRITE_BUFFER_BYTES = 64 * 1024;

  /** Small: a merge reads many runs at once, and each reader holds one buffer. */
  public static final int READ_BUFFER_BYTES = 8 * 1024;

  private final Path path;
  private final List<DataType> types;
  private final long rowCount;
  private final long bytes;

  private RowSpillFile(Path path, List<DataType> types, long rowCount, long bytes) {
    this.path = path;
    this.types = types;
    this.rowCount = rowCount;
    this.bytes = bytes;
  }

  /** Writes {@code rows} (each with a value per type) to a new file in {@code directory}. */
  public static RowSpillFile write(Path directory, List<DataType> types, List<Object[]> rows) {
    Path path;
    try {
      Files.createDirectories(directory);
      path = Files.createTempFile(directory, "spill-", ".run");
    } catch (IOException e) {
      throw new BasaltException(e, ErrorCode.IO_ERROR, "cannot create a spill file: " + e);
    }
    try (DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(Files.newOutputStream(path), WRITE_BUFFER_BYTES))) {
      for (Object[] row : rows) {
        for (int column = 0; column < types.size(); column++) {
          writeValue(out, types.get(column), row[column]);
        }
      }
    } catch (IOException e) {
      deleteQuietly(path);
      throw new BasaltException(
          e, ErrorCode.IO_ERROR, "cannot write spill file " + path + ": " + e);
    }
    try {
      return new RowSpillFile(path, types, rows.size(), Files.size(path));
    } catch (IOException e) {
      deleteQuietly(path);
      throw new BasaltException(e, ErrorCode.IO_ERROR, "cannot read spill file " + path + ": " + e);
    }
  }

  /** The bytes the file holds. */
  public long bytes() {
    return bytes;
  }

  public long rowCount() {
    return rowCount;
  }

  /** Reads the rows back in the order written. The caller closes it. */
  public Reader reader() {
    try {
      return new Reader(
          new DataInputStream(
              new BufferedInputStream(Files.newInputStream(path), READ_BUFFER_BYTES)));
    } catch (IOException e) {
      throw new BasaltException(e, ErrorCode.IO_ERROR, "cannot read spill file " + path + ": " + e);
    }
  }

  public void delete() {
    deleteQuietly(path);
  }

  /** Reads one run; {@link #next()} returns null at its end. */
  public final class Reader implements AutoCloseable {
    private final DataInputStream in;
    private long remaining = rowCount;

    private Reader(DataInputStream in) {
      this.in = in;
    }

    public Object[] next() {
      if (remaining == 0) {
        return null;
      }
      remaining--;
      Object[] row = new Object[types.size()];
      try {
        for (int column = 0; column < row.length; column++) {
          row[column] = readValue(in, types.get(column));
        }
      } catch (EOFException e) {
        throw new BasaltException(e, ErrorCode.IO_ERROR, "spill file " + path + " is truncated");
      } catch (IOException e) {
        throw new BasaltException(
            e, ErrorCode.IO_ERROR, "cannot read spill file " + path + ": " + e);
      }
      return row;
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void writeValue(DataOutputStream out, DataType type, Object value)
      throws IOException {
    if (value == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(1);
    switch (type.physical()) {
      case LONG -> out.writeLong(Values.toLong(type, value));
      case DOUBLE -> out.writeDouble(((Number) value).doubleValue());
      case BYTES -> writeBytes(out, ((String) value).getBytes(StandardCharsets.UTF_8));
      case DECIMAL -> {
        BigDecimal decimal = (BigDecimal) value;
        out.writeInt(decimal.scale());
        writeBytes(out, decimal.unscaledValue().toByteArray());
      }
      case LARGEINT -> writeBytes(out, ((BigInteger) value).toByteArray());
    }
  }

  private static Object readValue(DataInputStream in, DataType type) throws IOException {
    if (in.readByte() == 0) {
      return null;
    }
    return switch (type.physical()) {
      case LONG -> Values.fromLong(type, in.readLong());
      case DOUBLE -> in.readDouble();
      case BYTES -> new String(readBytes(in), StandardCharsets.UTF_8);
      case DECIMAL -> {
        int scale = in.readInt();
        yield new BigDecimal(new BigInteger(readBytes(in)), scale);
      }
      case LARGEINT -> new BigInteger(readBytes(in));
    };
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A leftover spill file is removed when the server next starts (it clears the directory).
    }
  }
}
