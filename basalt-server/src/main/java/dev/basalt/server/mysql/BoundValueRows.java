package dev.basalt.server.mysql;

import static dev.basalt.server.mysql.MysqlProtocol.*;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.type.ValueText;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.cast.Casts;
import dev.basalt.exec.function.cast.TextCasts;
import dev.basalt.server.session.ValuesRows;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary parameters of a COM_STMT_EXECUTE for a prepared {@code INSERT ... VALUES (?, ...),
 * ...} ({@link StatementTemplate.ValuesInsert}), or the parameter sets of a COM_STMT_BULK_EXECUTE
 * for one ({@link #ofBulk}), read from the packet into typed column builders instead of being
 * rendered as SQL literals and scanned again.
 *
 * <p>Each value converts to its column's type exactly as the same value would as a literal of the
 * rendered statement ({@link ParameterLiterals} renders it, the literal rows of an INSERT convert
 * it with CAST's rules): integers into integer columns with a range check, a DECIMAL's text into a
 * DECIMAL column as its unscaled long ({@link TextCasts#parseDecimal}), a string into a string
 * column as its bytes (which must be UTF-8, else error 1300 as for a statement's text), {@code
 * yyyy-MM-dd [HH:mm:ss]} strings into DATE and DATETIME columns, a DOUBLE into a DOUBLE column, all
 * without a String or a boxed value; every other pair through {@link Casts#convert} from the value
 * the literal would hold. A value that does not convert fails with {@link ErrorCode#BAD_VALUE} and
 * its row number.
 *
 * <p>Reads the payload sequentially, {@link #BATCH_ROWS} rows per batch; the payload must not
 * change while the stream is read. One stream per instance, single-threaded.
 */
final class BoundValueRows implements ValuesRows {
  /** Rows per batch handed to the load. */
  static final int BATCH_ROWS = 4096;

  /** Rows of a batch read before its string columns' bytes are sized ({@link #reserveStrings}). */
  private static final int SAMPLE_ROWS = 16;

  private final byte[] payload;

  /** Where the NULL bitmap starts; -1 when each value follows an indicator byte (bulk). */
  private final int nullBitmapStart;

  private final int valuesStart;

  /** Per parameter: the wire type in the low byte, {@code 0x8000} when unsigned. */
  private final int[] wireTypes;

  /** The statement's parameters: a bulk packet's parameter sets each bind them all again. */
  private final int parameterCount;

  private final int width;
  private final int rowCount;

  /**
   * @param nullBitmapStart where the parameters' NULL bitmap starts in {@code payload}
   * @param valuesStart where the first non-NULL parameter's value starts in {@code payload}
   * @param wireTypes the parameters' types as the client bound them (may be null when every value
   *     is NULL)
   */
  BoundValueRows(
      byte[] payload,
      int nullBitmapStart,
      int valuesStart,
      int[] wireTypes,
      int width,
      int rowCount) {
    this(payload, nullBitmapStart, valuesStart, wireTypes, width * rowCount, width, rowCount);
  }

  private BoundValueRows(
      byte[] payload,
      int nullBitmapStart,
      int valuesStart,
      int[] wireTypes,
      int parameterCount,
      int width,
      int rowCount) {
    this.payload = payload;
    this.nullBitmapStart = nullBitmapStart;
    this.valuesStart = valuesStart;
    this.wireTypes = wireTypes;
    this.parameterCount = parameterCount;
    this.width = width;
    this.rowCount = rowCount;
  }

  /**
   * The parameter sets of a COM_STMT_BULK_EXECUTE from {@code valuesStart} to the packet's end,
   * each binding all {@code wireTypes.length} placeholders of an INSERT whose VALUES rows are
   * {@code width} wide, every value after its indicator byte.
   *
   * @throws MalformedPacketException when the packet ends inside a parameter set
   * @throws BasaltException for an indicator other than a value's or NULL's
   */
  static BoundValueRows ofBulk(byte[] payload, int valuesStart, int[] wireTypes, int width) {
    int sets = countParameterSets(payload, valuesStart, wireTypes);
    return new BoundValueRows(
        payload,
        -1,
        valuesStart,
        wireTypes,
        wireTypes.length,
        width,
        sets * (wireTypes.length / width));
  }

  /**
   * The parameter sets of a bulk packet from {@code start}: its values skipped by their types.
   *
   * @throws MalformedPacketException when the packet ends inside a set
   */
  private static int countParameterSets(byte[] payload, int start, int[] wireTypes) {
    PayloadReader reader = new PayloadReader(payload, start);
    int sets = 0;
    while (reader.hasRemaining()) {
      for (int wireType : wireTypes) {
        if (bulkValueFollows(reader)) {
          skipValue(reader, wireType & 0xFF);
        }
      }
      sets++;
    }
    return sets;
  }

  /** Skips a binary parameter value of {@code wireType}. */
  private static void skipValue(PayloadReader reader, int wireType) {
    switch (wireType) {
      case TYPE_NULL -> {}
      case TYPE_TINY -> reader.skip(1);
      case TYPE_SHORT, TYPE_YEAR -> reader.skip(2);
      case TYPE_LONG, TYPE_INT24, TYPE_FLOAT -> reader.skip(4);
      case TYPE_LONGLONG, TYPE_DOUBLE -> reader.skip(8);
      case TYPE_DATE,
          TYPE_NEWDATE,
          TYPE_DATETIME,
          TYPE_TIMESTAMP,
          TYPE_DATETIME2,
          TYPE_TIMESTAMP2,
          TYPE_TIME,
          TYPE_TIME2 ->
          reader.skip(reader.readByte());
      default -> valueStart(reader);
    }
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public long rowCount() {
    return rowCount;
  }

  @Override
  public BatchStream batches(DataType[] types, String[] columnNames) {
    if (types.length != width) {
      throw new IllegalArgumentException(types.length + " types for " + width + " values");
    }
    return new BatchStream() {
      private final PayloadReader reader = new PayloadReader(payload, valuesStart);
      private int row;
      private int parameter;

      @Override
      public Batch next() {
        if (row == rowCount) {
          return null;
        }
        int rows = Math.min(BATCH_ROWS, rowCount - row);
        boolean lastBatch = rows == rowCount - row;
        ColumnVectorBuilder[] builders = new ColumnVectorBuilder[width];
        for (int i = 0; i < width; i++) {
          builders[i] = new ColumnVectorBuilder(types[i], rows);
        }
        int batchStart = reader.position();
        int sampled = rows > SAMPLE_ROWS ? SAMPLE_ROWS : 0;
        long[] sampleBytes = sampled > 0 ? new long[width] : null;
        for (int r = 0; r < sampled; r++) {
          row++;
          for (int i = 0; i < width; i++) {
            int start = reader.position();
            append(reader, parameter, builders[i], types[i], columnNames[i], row);
            parameter = parameter + 1 == parameterCount ? 0 : parameter + 1;
            sampleBytes[i] += reader.position() - start;
          }
        }
        if (sampled > 0) {
          reserveStrings(
              builders,
              types,
              sampleBytes,
              reader.position() - batchStart,
              rows,
              payload.length - batchStart,
              lastBatch);
        }
        for (int r = sampled; r < rows; r++) {
          row++;
          for (int i = 0; i < width; i++) {
            append(reader, parameter, builders[i], types[i], columnNames[i], row);
            parameter = parameter + 1 == parameterCount ? 0 : parameter + 1;
          }
        }
        List<ColumnVector> columns = new ArrayList<>(width);
        for (ColumnVectorBuilder builder : builders) {
          columns.add(builder.buildLast());
        }
        return new Batch(columns, rows);
      }
    };
  }

  /**
   * Sizes the string builders' bytes for the whole batch from its first {@link #SAMPLE_ROWS} rows:
   * each string column's share of the sampled rows' packet bytes, times the batch's packet bytes
   * (known for the last batch: the rest of the packet; else extrapolated, but never past the rest
   * of the packet, so that long strings in a batch's first rows cannot reserve more than the packet
   * holds), and an eighth more. A builder that starts at 8 bytes a row and doubles copied a
   * 1,000-row batch's comments three times over.
   *
   * @param packetBytesLeft the packet's bytes from the batch's first row to its end
   * @param lastBatch whether the batch's rows are all the packet has left
   */
  private static void reserveStrings(
      ColumnVectorBuilder[] builders,
      DataType[] types,
      long[] sampleBytes,
      long sampledTotal,
      int rows,
      long packetBytesLeft,
      boolean lastBatch) {
    if (sampledTotal <= 0) {
      return;
    }
    long total =
        lastBatch ? packetBytesLeft : Math.min(packetBytesLeft, sampledTotal * rows / SAMPLE_ROWS);
    for (int i = 0; i < builders.length; i++) {
      if (types[i].kind().isString()) {
        long estimate = sampleBytes[i] * total / sampledTotal;
        estimate += estimate >> 3;
        if (estimate > 8L * rows && estimate < Integer.MAX_VALUE - 16) {
          builders[i].reserveBytes((int) estimate);
        }
      }
    }
  }

  /**
   * Whether parameter {@code parameter} is NULL: by the NULL bitmap, or by the indicator byte the
   * reader is at (which it reads).
   */
  private boolean isNull(PayloadReader reader, int parameter) {
    if (nullBitmapStart >= 0) {
      return (payload[nullBitmapStart + (parameter >>> 3)] & (1 << (parameter & 7))) != 0;
    }
    return !bulkValueFollows(reader);
  }

  /**
   * Reads a bulk value's indicator byte: true when the value follows, false for NULL.
   *
   * @throws BasaltException for MariaDB's DEFAULT and IGNORE indicators, which Basalt does not
   *     support, and unknown ones
   */
  static boolean bulkValueFollows(PayloadReader reader) {
    int indicator = reader.readByte();
    if (indicator == BULK_VALUE) {
      return true;
    }
    if (indicator == BULK_NULL) {
      return false;
    }
    throw new BasaltException(
        ErrorCode.UNSUPPORTED,
        indicator == BULK_DEFAULT || indicator == BULK_IGNORE
            ? "DEFAULT and IGNORE indicators in COM_STMT_BULK_EXECUTE"
            : "indicator " + indicator + " in COM_STMT_BULK_EXECUTE");
  }

  /** Reads parameter {@code parameter} (the reader is at its value) into {@code builder}. */
  private void append(
      PayloadReader reader,
      int parameter,
      ColumnVectorBuilder builder,
      DataType type,
      String column,
      long rowNumber) {
    if (isNull(reader, parameter)) {
      builder.appendNull();
      return;
    }
    if (wireTypes == null) {
      throw new BasaltException(ErrorCode.WRONG_PARAMETER_COUNT, "mysqld_stmt_execute");
    }
    int wireType = wireTypes[parameter] & 0xFF;
    boolean unsigned = (wireTypes[parameter] & 0x8000) != 0;
    TypeKind target = type.kind();
    switch (wireType) {
      case TYPE_TINY, TYPE_SHORT, TYPE_YEAR, TYPE_LONG, TYPE_INT24 -> {
        long value =
            switch (wireType) {
              case TYPE_TINY -> unsigned ? reader.readByte() : (byte) reader.readByte();
              case TYPE_SHORT, TYPE_YEAR ->
                  unsigned ? reader.readInt2() : (short) reader.readInt2();
              default -> unsigned ? reader.readInt4() : (int) reader.readInt4();
            };
        appendLong(value, builder, type, column, rowNumber);
      }
      case TYPE_LONGLONG -> {
        long value = reader.readInt8();
        if (unsigned && value < 0) {
          BigDecimal big = new BigDecimal(new BigInteger(Long.toUnsignedString(value)));
          convert(big, decimalType(big), builder, type, column, rowNumber);
        } else {
          appendLong(value, builder, type, column, rowNumber);
        }
      }
      case TYPE_DECIMAL, TYPE_NEWDECIMAL -> {
        int prefix = reader.position();
        int start = valueStart(reader);
        if (start < 0) {
          builder.appendNull();
          return;
        }
        int end = reader.position();
        if (target == TypeKind.DECIMAL && end - start <= 64 && isPlainDecimal(start, end)) {
          long unscaled =
              TextCasts.parseDecimal(
                  payload, start, end, type.scale(), TextCasts.decimalLimit(type.precision()));
          if (unscaled == TextCasts.OUT_OF_RANGE) {
            throw badValue(type, ascii(start, end), column, rowNumber);
          }
          if (unscaled != TextCasts.NOT_A_DECIMAL) {
            builder.appendUnscaledDecimal(unscaled);
            return;
          }
        }
        appendGeneral(
            ParameterLiterals.value(new PayloadReader(payload, prefix), wireType, unsigned),
            builder,
            type,
            column,
            rowNumber);
      }
      case TYPE_DOUBLE -> {
        double value = Double.longBitsToDouble(reader.readInt8());
        if (target == TypeKind.DOUBLE && Double.isFinite(value)) {
          builder.appendDouble(value);
        } else {
          appendGeneral(
              ParameterLiterals.value(
                  new PayloadReader(payload, reader.position() - 8), wireType, unsigned),
              builder,
              type,
              column,
              rowNumber);
        }
      }
      case TYPE_FLOAT,
          TYPE_NULL,
          TYPE_DATE,
          TYPE_NEWDATE,
          TYPE_DATETIME,
          TYPE_TIMESTAMP,
          TYPE_DATETIME2,
          TYPE_TIMESTAMP2,
          TYPE_TIME,
          TYPE_TIME2 ->
          appendGeneral(
              ParameterLiterals.value(reader, wireType, unsigned),
              builder,
              type,
              column,
              rowNumber);
      default -> {
        int start = valueStart(reader);
        if (start < 0) {
          builder.appendNull();
          return;
        }
        int end = reader.position();
        PayloadReader.requireUtf8(payload, start, end);
        if (target.isString()) {
          builder.appendBytes(payload, start, end - start);
        } else if (!appendTemporal(start, end, builder, target)) {
          appendGeneral(
              ParameterLiterals.text(Arrays.copyOfRange(payload, start, end)),
              builder,
              type,
              column,
              rowNumber);
        }
      }
    }
  }

  /**
   * Reads a length-encoded value's length and skips its bytes; returns where they start, or -1 for
   * the NULL marker.
   */
  private static int valueStart(PayloadReader reader) {
    long length = reader.readLengthEncodedInt();
    if (length < 0) {
      return -1;
    }
    if (length > Integer.MAX_VALUE) {
      throw new MalformedPacketException("parameter of " + length + " bytes");
    }
    int start = reader.position();
    reader.skip((int) length);
    return start;
  }

  /**
   * {@code [-]digits[.digits]}: a DECIMAL's text that reads the same as its plain literal (what
   * {@link ParameterLiterals} would render after {@link BigDecimal#toPlainString}).
   */
  private boolean isPlainDecimal(int start, int end) {
    int i = payload[start] == '-' ? start + 1 : start;
    int digits = 0;
    while (i < end && payload[i] >= '0' && payload[i] <= '9') {
      i++;
      digits++;
    }
    if (i < end && payload[i] == '.') {
      i++;
      int fraction = 0;
      while (i < end && payload[i] >= '0' && payload[i] <= '9') {
        i++;
        fraction++;
      }
      if (fraction == 0) {
        return false;
      }
    }
    return digits > 0 && i == end;
  }

  /** An integer, as the literal path converts an integer literal. */
  private static void appendLong(
      long value, ColumnVectorBuilder builder, DataType type, String column, long rowNumber) {
    TypeKind target = type.kind();
    if (target == TypeKind.TINYINT
        || target == TypeKind.SMALLINT
        || target == TypeKind.INT
        || target == TypeKind.BIGINT) {
      if (value < target.minimumLong() || value > target.maximumLong()) {
        throw badValue(type, Long.toString(value), column, rowNumber);
      }
      builder.appendLong(value);
    } else if (target == TypeKind.DECIMAL && type.scale() <= 18) {
      // As TextCasts.parseDecimal reads the integer's digits: exact below 10^18, else CAST.
      long power = TextCasts.decimalLimit(type.scale());
      long unscaled = value * power;
      boolean exact = Math.multiplyHigh(value, power) == (unscaled >> 63);
      long limit = TextCasts.decimalLimit(type.precision());
      if (exact && unscaled > -limit && unscaled < limit) {
        builder.appendUnscaledDecimal(unscaled);
      } else if (type.precision() < 18) {
        throw badValue(type, Long.toString(value), column, rowNumber);
      } else {
        convert(value, DataType.BIGINT, builder, type, column, rowNumber);
      }
    } else {
      convert(value, DataType.BIGINT, builder, type, column, rowNumber);
    }
  }

  /**
   * A string's bytes in the form {@code yyyy-MM-dd} into a DATE, or {@code yyyy-MM-dd HH:mm:ss}
   * into a DATETIME; false for any other form or target.
   */
  private boolean appendTemporal(int start, int end, ColumnVectorBuilder builder, TypeKind target) {
    if ((target != TypeKind.DATE && target != TypeKind.DATETIME) || end - start > 64) {
      return false;
    }
    long value =
        target == TypeKind.DATE
            ? TextCasts.parseDate(payload, start, end)
            : TextCasts.parseDatetime(payload, start, end);
    if (value == TextCasts.NOT_A_DATE) {
      return false;
    }
    builder.appendLong(value);
    return true;
  }

  /**
   * A value from {@link ParameterLiterals#value}, converted as its literal in the rendered
   * statement would be.
   */
  private static void appendGeneral(
      Object value, ColumnVectorBuilder builder, DataType type, String column, long rowNumber) {
    switch (value) {
      case null -> builder.appendNull();
      case Long number -> appendLong(number, builder, type, column, rowNumber);
      case BigDecimal number ->
          convert(number, decimalType(number), builder, type, column, rowNumber);
      case Float number ->
          appendFloatingPoint(
              ValueText.formatDouble(number, true), builder, type, column, rowNumber);
      case Double number ->
          appendFloatingPoint(
              ValueText.formatDouble(number, false), builder, type, column, rowNumber);
      case String text -> appendText(text, builder, type, column, rowNumber);
      default -> {
        String text = ParameterLiterals.opaqueText(value);
        if (text == null) {
          throw badValue(type, ParameterLiterals.literal(value), column, rowNumber);
        }
        appendText(text, builder, type, column, rowNumber);
      }
    }
  }

  /** A FLOAT or DOUBLE as its shortest text reads as a literal: exact, or with an exponent. */
  private static void appendFloatingPoint(
      String text, ColumnVectorBuilder builder, DataType type, String column, long rowNumber) {
    if (text.indexOf('E') < 0 && text.indexOf('e') < 0) {
      BigDecimal value = new BigDecimal(text);
      convert(value, decimalType(value), builder, type, column, rowNumber);
    } else {
      convert(Double.parseDouble(text), DataType.DOUBLE, builder, type, column, rowNumber);
    }
  }

  private static void appendText(
      String text, ColumnVectorBuilder builder, DataType type, String column, long rowNumber) {
    if (type.kind().isString()) {
      builder.appendString(text);
    } else {
      convert(text, DataType.STRING, builder, type, column, rowNumber);
    }
  }

  /** Converts with CAST's rules ({@link Casts#convert}); a value that does not fit fails. */
  private static void convert(
      Object value,
      DataType from,
      ColumnVectorBuilder builder,
      DataType type,
      String column,
      long rowNumber) {
    Object converted = Casts.convert(value, from, type);
    if (converted == null) {
      throw badValue(type, String.valueOf(value), column, rowNumber);
    }
    builder.appendObject(converted);
  }

  private static BasaltException badValue(
      DataType type, String shown, String column, long rowNumber) {
    return new BasaltException(ErrorCode.BAD_VALUE, type.sqlName(), shown, column, rowNumber);
  }

  private String ascii(int start, int end) {
    return new String(payload, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static DataType decimalType(BigDecimal value) {
    int scale = Math.max(value.scale(), 0);
    return DataType.decimal(Math.max(Math.max(value.precision(), scale), 1), scale);
  }
}
