package dev.basalt.server.mysql;

import static dev.basalt.server.mysql.MysqlProtocol.*;
import static dev.basalt.server.mysql.PacketOutput.writeInt2;
import static dev.basalt.server.mysql.PacketOutput.writeInt4;
import static dev.basalt.server.mysql.PacketOutput.writeLengthEncodedBytes;
import static dev.basalt.server.mysql.PacketOutput.writeLengthEncodedInt;
import static dev.basalt.server.mysql.PacketOutput.writeLengthEncodedString;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.result.ResultColumn;
import dev.basalt.common.result.ResultSet;
import dev.basalt.common.result.UpdateCount;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.type.ValueText;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.Values;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Encodes responses: OK, ERR and EOF packets, column definitions and result sets in the text
 * protocol (COM_QUERY) or the binary row protocol (COM_STMT_EXECUTE). Classic EOF packets are used
 * (CLIENT_DEPRECATE_EOF is not advertised). Used by one connection's worker thread.
 */
final class ResultWriter {
  private static final byte[] CATALOG = "def".getBytes(StandardCharsets.US_ASCII);

  private final PacketOutput output;
  private ErrorListener errorListener = (errorNumber, message) -> {};

  ResultWriter(PacketOutput output) {
    this.output = output;
  }

  /** Told of every ERR packet written (the session's diagnostics area, for SHOW WARNINGS). */
  interface ErrorListener {
    void errorWritten(int errorNumber, String message);
  }

  void onError(ErrorListener listener) {
    this.errorListener = listener;
  }

  void writeOk(long affectedRows, int warnings, String info, int statusFlags) {
    writeOk(affectedRows, 0, warnings, info, statusFlags);
  }

  void writeOk(long affectedRows, long lastInsertId, int warnings, String info, int statusFlags) {
    ByteBuf out = output.begin();
    out.writeByte(0x00);
    writeLengthEncodedInt(out, affectedRows);
    writeLengthEncodedInt(out, lastInsertId);
    writeInt2(out, statusFlags);
    writeInt2(out, Math.min(warnings, 0xFFFF));
    if (info != null && !info.isEmpty()) {
      // Length-encoded, as MySQL and Doris servers send it (Connector/J reads it so).
      writeLengthEncodedString(out, info);
    }
    output.end();
  }

  void writeOk(UpdateCount count, int statusFlags) {
    writeOk(
        count.affectedRows(), count.lastInsertId(), count.warnings(), count.info(), statusFlags);
  }

  void writeError(int errorNumber, String sqlState, String message) {
    output.abortPacket();
    ByteBuf out = output.begin();
    out.writeByte(0xFF);
    writeInt2(out, errorNumber);
    out.writeByte('#');
    out.writeBytes(sqlState.getBytes(StandardCharsets.US_ASCII), 0, 5);
    out.writeBytes((message == null ? "" : message).getBytes(StandardCharsets.UTF_8));
    output.end();
    errorListener.errorWritten(errorNumber, message == null ? "" : message);
  }

  /** A packet holding only text, as COM_STATISTICS is answered. */
  void writeRawText(String text) {
    ByteBuf out = output.begin();
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    output.end();
  }

  void writeEof(int statusFlags) {
    ByteBuf out = output.begin();
    out.writeByte(0xFE);
    writeInt2(out, 0);
    writeInt2(out, statusFlags);
    output.end();
  }

  /**
   * One column definition (protocol 4.1). {@code fieldList} adds the default-value field that
   * COM_FIELD_LIST responses carry.
   */
  void writeColumnDefinition(ResultColumn column, boolean fieldList) {
    MysqlColumnType type = MysqlColumnType.of(column.type(), column.nullable());
    ByteBuf out = output.begin();
    writeLengthEncodedBytes(out, CATALOG);
    writeLengthEncodedString(out, column.database());
    writeLengthEncodedString(out, column.table());
    writeLengthEncodedString(out, column.table());
    writeLengthEncodedString(out, column.name());
    writeLengthEncodedString(out, column.originalName());
    writeLengthEncodedInt(out, 0x0c);
    writeInt2(out, type.charset());
    writeInt4(out, type.length());
    out.writeByte(type.type());
    writeInt2(out, type.flags());
    out.writeByte(type.decimals());
    writeInt2(out, 0);
    if (fieldList) {
      out.writeByte(0xFB);
    }
    output.end();
  }

  /**
   * The payload of a parameter description: the same for every parameter (Basalt does not infer
   * parameter types), so made once.
   */
  private static final byte[] PARAMETER_DEFINITION = parameterDefinition();

  private static byte[] parameterDefinition() {
    ByteBuf out = io.netty.buffer.Unpooled.buffer(32);
    writeLengthEncodedBytes(out, CATALOG);
    writeLengthEncodedInt(out, 0);
    writeLengthEncodedInt(out, 0);
    writeLengthEncodedInt(out, 0);
    writeLengthEncodedString(out, "?");
    writeLengthEncodedInt(out, 0);
    writeLengthEncodedInt(out, 0x0c);
    writeInt2(out, CHARSET_BINARY);
    writeInt4(out, 0);
    out.writeByte(TYPE_VAR_STRING);
    writeInt2(out, FLAG_BINARY);
    out.writeByte(0);
    writeInt2(out, 0);
    byte[] payload = new byte[out.readableBytes()];
    out.readBytes(payload);
    return payload;
  }

  /**
   * The {@code count} parameter descriptions of a COM_STMT_PREPARE response (a JDBC batch prepared
   * on the server has thousands: each is one copy of the same payload).
   */
  void writeParameterDefinitions(int count) {
    for (int i = 0; i < count; i++) {
      output.begin().writeBytes(PARAMETER_DEFINITION);
      output.end();
    }
  }

  /**
   * Streams a whole result set and closes its {@link BatchStream}, also when encoding or the stream
   * fails (the exception then propagates; rows already sent stay sent).
   *
   * @param binary the binary row protocol of COM_STMT_EXECUTE instead of text rows
   * @param statusFlags the status of the closing EOF (e.g. with SERVER_MORE_RESULTS_EXISTS)
   */
  void writeResultSet(ResultSet resultSet, boolean binary, int statusFlags) {
    try (BatchStream rows = resultSet.rows()) {
      List<ResultColumn> columns = resultSet.columns();
      ByteBuf out = output.begin();
      writeLengthEncodedInt(out, columns.size());
      output.end();
      for (ResultColumn column : columns) {
        writeColumnDefinition(column, false);
      }
      writeEof(statusFlags & ~SERVER_MORE_RESULTS_EXISTS);
      Batch batch;
      while ((batch = rows.next()) != null) {
        if (batch.columnCount() != columns.size()) {
          throw new IllegalStateException(
              "batch of " + batch.columnCount() + " columns in a result of " + columns.size());
        }
        for (int row = 0; row < batch.rowCount(); row++) {
          if (binary) {
            writeBinaryRow(batch, row);
          } else {
            writeTextRow(batch, row);
          }
        }
      }
      writeEof(statusFlags);
    }
  }

  private void writeTextRow(Batch batch, int row) {
    ByteBuf out = output.begin();
    for (int column = 0; column < batch.columnCount(); column++) {
      ColumnVector vector = batch.column(column);
      // Doris sends a BITMAP, HLL or QUANTILE_STATE value as NULL (docs/sql.md).
      if (vector.isNull(row) || vector.type().kind().isSketch()) {
        out.writeByte(0xFB);
      } else if (vector instanceof BytesVector bytes) {
        writeLengthEncodedInt(out, bytes.byteLength(row));
        out.writeBytes(bytes.getBytes(row));
      } else if (vector.type().kind() == TypeKind.NULL) {
        out.writeByte(0xFB);
      } else {
        writeLengthEncodedString(out, text(vector, row));
      }
    }
    output.end();
  }

  /**
   * The text of a non-null value; DECIMALs held as unscaled integers and LARGEINTs are written from
   * their halves without boxing.
   */
  private static String text(ColumnVector vector, int row) {
    return switch (vector) {
      case DecimalVector decimals when decimals.isUnboxed() ->
          ValueText.formatUnscaledDecimal(
              decimals.getHigh(row), decimals.getLow(row), decimals.scale());
      case LargeIntVector integers -> Int128.toString(integers.getHigh(row), integers.getLow(row));
      default -> ValueText.format(vector.type(), vector.getObject(row));
    };
  }

  private void writeBinaryRow(Batch batch, int row) {
    int columnCount = batch.columnCount();
    ByteBuf out = output.begin();
    out.writeByte(0x00);
    int bitmapStart = out.writerIndex();
    int bitmapLength = (columnCount + 7 + 2) / 8;
    out.writeZero(bitmapLength);
    for (int column = 0; column < columnCount; column++) {
      ColumnVector vector = batch.column(column);
      DataType type = vector.type();
      if (vector.isNull(row) || type.kind() == TypeKind.NULL || type.kind().isSketch()) {
        int bit = column + 2;
        int index = bitmapStart + bit / 8;
        out.setByte(index, out.getByte(index) | (1 << (bit % 8)));
        continue;
      }
      switch (type.kind()) {
        case BOOLEAN, TINYINT -> out.writeByte((int) ((LongVector) vector).getLong(row));
        case SMALLINT -> out.writeShortLE((int) ((LongVector) vector).getLong(row));
        case INT -> out.writeIntLE((int) ((LongVector) vector).getLong(row));
        case BIGINT -> out.writeLongLE(((LongVector) vector).getLong(row));
        case FLOAT -> out.writeFloatLE((float) ((DoubleVector) vector).getDouble(row));
        case DOUBLE -> out.writeDoubleLE(((DoubleVector) vector).getDouble(row));
        case DATE ->
            writeBinaryDate(out, Values.dateFromEpochDay(((LongVector) vector).getLong(row)));
        case DATETIME ->
            writeBinaryDatetime(
                out, Values.datetimeFromEpochMicros(((LongVector) vector).getLong(row)));
        case CHAR, VARCHAR, STRING -> {
          BytesVector bytes = (BytesVector) vector;
          writeLengthEncodedInt(out, bytes.byteLength(row));
          out.writeBytes(bytes.getBytes(row));
        }
        case BITMAP, HLL, QUANTILE_STATE -> throw new IllegalStateException("sent as NULL above");
        case LARGEINT, DECIMAL, NULL -> writeLengthEncodedString(out, text(vector, row));
      }
    }
    output.end();
  }

  private static void writeBinaryDate(ByteBuf out, LocalDate date) {
    out.writeByte(4);
    out.writeShortLE(date.getYear());
    out.writeByte(date.getMonthValue());
    out.writeByte(date.getDayOfMonth());
  }

  /** The shortest of the 4, 7 and 11 byte forms that holds the value. */
  private static void writeBinaryDatetime(ByteBuf out, LocalDateTime datetime) {
    int micros = datetime.getNano() / 1000;
    boolean hasTime =
        datetime.getHour() != 0 || datetime.getMinute() != 0 || datetime.getSecond() != 0;
    out.writeByte(micros != 0 ? 11 : hasTime ? 7 : 4);
    out.writeShortLE(datetime.getYear());
    out.writeByte(datetime.getMonthValue());
    out.writeByte(datetime.getDayOfMonth());
    if (micros != 0 || hasTime) {
      out.writeByte(datetime.getHour());
      out.writeByte(datetime.getMinute());
      out.writeByte(datetime.getSecond());
    }
    if (micros != 0) {
      out.writeIntLE(micros);
    }
  }
}
