package dev.basalt.server.mysql;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads the little-endian integers and strings of a client payload. Reading past the end throws
 * {@link MalformedPacketException}. Not thread safe; one reader per payload.
 */
final class PayloadReader {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private final byte[] payload;
  private int position;

  PayloadReader(byte[] payload) {
    this(payload, 0);
  }

  PayloadReader(byte[] payload, int position) {
    this.payload = payload;
    this.position = position;
  }

  int position() {
    return position;
  }

  int remaining() {
    return payload.length - position;
  }

  boolean hasRemaining() {
    return position < payload.length;
  }

  private void require(long count) {
    if (count < 0 || position + count > payload.length) {
      throw new MalformedPacketException(
          "packet ends after "
              + payload.length
              + " bytes, needed "
              + count
              + " more at "
              + position);
    }
  }

  int readByte() {
    require(1);
    return payload[position++] & 0xFF;
  }

  int readInt2() {
    require(2);
    int value = (payload[position] & 0xFF) | (payload[position + 1] & 0xFF) << 8;
    position += 2;
    return value;
  }

  int readInt3() {
    require(3);
    int value =
        (payload[position] & 0xFF)
            | (payload[position + 1] & 0xFF) << 8
            | (payload[position + 2] & 0xFF) << 16;
    position += 3;
    return value;
  }

  long readInt4() {
    require(4);
    long value = 0;
    for (int i = 3; i >= 0; i--) {
      value = value << 8 | (payload[position + i] & 0xFF);
    }
    position += 4;
    return value;
  }

  long readInt8() {
    require(8);
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = value << 8 | (payload[position + i] & 0xFF);
    }
    position += 8;
    return value;
  }

  /** A length-encoded integer; {@code -1} for the NULL marker {@code 0xFB}. */
  long readLengthEncodedInt() {
    int first = readByte();
    return switch (first) {
      case 0xFB -> -1;
      case 0xFC -> readInt2();
      case 0xFD -> readInt3();
      case 0xFE -> readInt8();
      default -> first;
    };
  }

  byte[] readBytes(int count) {
    require(count);
    byte[] bytes = Arrays.copyOfRange(payload, position, position + count);
    position += count;
    return bytes;
  }

  void skip(int count) {
    require(count);
    position += count;
  }

  /** A length-encoded byte string; {@code null} for the NULL marker. */
  byte[] readLengthEncodedBytes() {
    long length = readLengthEncodedInt();
    if (length < 0) {
      return null;
    }
    if (length > Integer.MAX_VALUE) {
      throw new MalformedPacketException("length-encoded string of " + length + " bytes");
    }
    return readBytes((int) length);
  }

  String readLengthEncodedString() {
    byte[] bytes = readLengthEncodedBytes();
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** Bytes up to the next NUL (consumed, not returned), or up to the end when there is none. */
  String readNullTerminatedString() {
    int end = position;
    while (end < payload.length && payload[end] != 0) {
      end++;
    }
    String text = new String(payload, position, end - position, StandardCharsets.UTF_8);
    position = Math.min(end + 1, payload.length);
    return text;
  }

  String readRemainingString() {
    String text = new String(payload, position, payload.length - position, StandardCharsets.UTF_8);
    position = payload.length;
    return text;
  }

  byte[] readRemainingBytes() {
    return readBytes(payload.length - position);
  }

  /**
   * The rest of {@code payload} from {@code offset} as text, which must be valid UTF-8: a statement
   * with malformed bytes is refused rather than silently changed (U+FFFD would then be stored).
   *
   * @throws BasaltException INVALID_CHARACTER_STRING naming the first malformed bytes in hex
   */
  static String utf8Text(byte[] payload, int offset) {
    if (isAscii(payload, offset)) {
      // ASCII is valid UTF-8 and reads the same as Latin-1: one copy into a compact string, not a
      // char buffer and a second copy (a multi-row INSERT's statement is often 100s of KB).
      return new String(payload, offset, payload.length - offset, StandardCharsets.ISO_8859_1);
    }
    return decodeUtf8(payload, offset, payload.length);
  }

  /**
   * Checks that {@code payload[start, end)} is valid UTF-8 (a bound string parameter), without
   * decoding it when it is ASCII.
   *
   * @throws BasaltException INVALID_CHARACTER_STRING naming the first malformed bytes in hex
   */
  static void requireUtf8(byte[] payload, int start, int end) {
    int i = start;
    // Eight bytes at a time: every string parameter of a batch passes here.
    for (; i + 8 <= end; i += 8) {
      if (((long) LONGS.get(payload, i) & 0x8080808080808080L) != 0) {
        decodeUtf8(payload, i, end);
        return;
      }
    }
    for (; i < end; i++) {
      if (payload[i] < 0) {
        decodeUtf8(payload, i, end);
        return;
      }
    }
  }

  private static String decodeUtf8(byte[] payload, int offset, int end) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer input = ByteBuffer.wrap(payload, offset, end - offset);
    CharBuffer output = CharBuffer.allocate(end - offset);
    CoderResult result = decoder.decode(input, output, true);
    if (!result.isError()) {
      result = decoder.flush(output);
    }
    if (result.isError()) {
      int start = input.position();
      byte[] shown = Arrays.copyOfRange(payload, start, Math.min(end, start + result.length()));
      throw new BasaltException(
          ErrorCode.INVALID_CHARACTER_STRING, HexFormat.of().withUpperCase().formatHex(shown));
    }
    return output.flip().toString();
  }

  private static boolean isAscii(byte[] payload, int offset) {
    for (int i = offset; i < payload.length; i++) {
      if (payload[i] < 0) {
        return false;
      }
    }
    return true;
  }
}
