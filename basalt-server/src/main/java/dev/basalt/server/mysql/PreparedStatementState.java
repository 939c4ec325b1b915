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

  /** The most long data kept for one parameter ({@code max_allowed_packet}). */
  private final int maxLongDataBytes;

  /** Set when a parameter's long data passed the cap; its data was dropped. */
  private boolean longDataTooLarge;

  PreparedStatementState(long id, StatementTemplate template, int maxLongDataBytes) {
    this.id = id;
    this.template = template;
    this.longData = new ByteArrayOutputStream[template.parameterCount()];
    this.maxLongDataBytes = maxLongDataBytes;
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
   * allowed). Data past {@code max_allowed_packet} for one parameter is dropped and remembered, so
   * that the next execute fails instead of the server buffering without limit (as MySQL does).
   */
  void appendLongData(int parameter, byte[] data, int offset, int length) {
    if (parameter < 0 || parameter >= longData.length || longDataTooLarge) {
      return;
    }
    long buffered = longData[parameter] == null ? 0 : longData[parameter].size();
    if (buffered + length > maxLongDataBytes) {
      longDataTooLarge = true;
      Arrays.fill(longData, null);
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

  /** Whether long data was sent for some parameter since the last clear. */
  boolean hasLongData() {
    for (ByteArrayOutputStream data : longData) {
      if (data != null) {
        return true;
      }
    }
    return false;
  }

  /** Whether some parameter's long data passed {@code max_allowed_packet} since the last clear. */
  boolean longDataTooLarge() {
    return longDataTooLarge;
  }

  void clearLongData() {
    Arrays.fill(longData, null);
    longDataTooLarge = false;
  }
}
