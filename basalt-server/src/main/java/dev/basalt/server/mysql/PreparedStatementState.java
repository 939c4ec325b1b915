package dev.basalt.server.mysql;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A server-side prepared statement of one connection: its template, the parameter types the client
 * bound last (they stay bound across executes until the client sends new ones) and data sent with
 * COM_STMT_SEND_LONG_DATA. Used only by its connection's worker thread.
 */
final class PreparedStatementState {
  private final long id;
  private final StatementTemplate template;

  /**
   * Per parameter: the wire type in the low byte, {@code 0x8000} when unsigned; null until bound.
   */
  private int[] parameterTypes;

  private final ByteArrayOutputStream[] longData;

  PreparedStatementState(long id, StatementTemplate template) {
    this.id = id;
    this.template = template;
    this.longData = new ByteArrayOutputStream[template.parameterCount()];
  }

  long id() {
    return id;
  }

  StatementTemplate template() {
    return template;
  }

  int parameterCount() {
    return template.parameterCount();
  }

  int[] parameterTypes() {
    return parameterTypes;
  }

  void bindParameterTypes(int[] types) {
    this.parameterTypes = types;
  }

  /**
   * Appends a chunk of COM_STMT_SEND_LONG_DATA; out-of-range parameters are ignored (no reply is
   * allowed).
   */
  void appendLongData(int parameter, byte[] data, int offset, int length) {
    if (parameter < 0 || parameter >= longData.length) {
      return;
    }
    if (longData[parameter] == null) {
      longData[parameter] = new ByteArrayOutputStream(Math.max(length, 32));
    }
    longData[parameter].write(data, offset, length);
  }

  /** The long data sent for {@code parameter}, or {@code null} when none was sent. */
  byte[] longData(int parameter) {
    ByteArrayOutputStream data = longData[parameter];
    return data == null ? null : data.toByteArray();
  }

  void clearLongData() {
    Arrays.fill(longData, null);
  }
}
