package dev.basalt.storage.segment;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Values;
import dev.basalt.storage.encoding.FormatException;
import dev.basalt.storage.encoding.Int128PageCodec;
import dev.basalt.storage.encoding.LittleEndianInput;
import dev.basalt.storage.encoding.LittleEndianOutput;
import dev.basalt.storage.encoding.StorageType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Zone-map bounds in their stored form: {@link Long} for INT64, {@link Double} for FLOAT32 and
 * FLOAT64, {@link BigInteger} for INT128 (DECIMAL's unscaled value), {@code byte[]} (UTF-8) for
 * BINARY. Converts them to the public {@link Values} representation and to footer bytes.
 */
final class ZoneValues {
  private ZoneValues() {}

  static int compare(StorageType storageType, Object left, Object right) {
    return switch (storageType) {
      case INT64 -> Long.compare((Long) left, (Long) right);
      case FLOAT32, FLOAT64 -> Double.compare((Double) left, (Double) right);
      case INT128 -> ((BigInteger) left).compareTo((BigInteger) right);
      case BINARY -> Arrays.compareUnsigned((byte[]) left, (byte[]) right);
    };
  }

  static Object min(StorageType storageType, Object current, Object candidate) {
    if (current == null) {
      return candidate;
    }
    if (candidate == null) {
      return current;
    }
    return compare(storageType, candidate, current) < 0 ? candidate : current;
  }

  static Object max(StorageType storageType, Object current, Object candidate) {
    if (current == null) {
      return candidate;
    }
    return compare(storageType, candidate, current) > 0 ? candidate : current;
  }

  /**
   * A string lower bound of at most {@link SegmentFormat#MAX_ZONE_MAP_STRING_BYTES} bytes, cut at a
   * character boundary.
   */
  static byte[] truncatedMin(byte[] bytes, int start, int end) {
    int length = end - start;
    if (length > SegmentFormat.MAX_ZONE_MAP_STRING_BYTES) {
      length = SegmentFormat.MAX_ZONE_MAP_STRING_BYTES;
      while (length > 0 && (bytes[start + length] & 0xC0) == 0x80) {
        length--;
      }
    }
    return Arrays.copyOfRange(bytes, start, start + length);
  }

  /** A string upper bound, or {@code null} (unbounded) when the value is too long to keep. */
  static byte[] keptMax(byte[] bytes, int start, int end) {
    return end - start > SegmentFormat.MAX_ZONE_MAP_STRING_BYTES
        ? null
        : Arrays.copyOfRange(bytes, start, end);
  }

  /**
   * A stored lower bound in the public representation. A string is decoded from its UTF-8 bytes;
   * bytes that are not well-formed UTF-8 (which a decoder would replace, out of order) are cut
   * before the first bad sequence, which keeps a lower bound.
   */
  static Object toPublicMin(DataType type, Object stored) {
    if (stored instanceof byte[] bytes) {
      int valid = validUtf8Prefix(bytes);
      return new String(bytes, 0, valid, StandardCharsets.UTF_8);
    }
    return toPublic(type, stored);
  }

  /**
   * A stored upper bound in the public representation; a string that is not well-formed UTF-8 is no
   * upper bound ({@code null}).
   */
  static Object toPublicMax(DataType type, Object stored) {
    if (stored instanceof byte[] bytes) {
      return validUtf8Prefix(bytes) == bytes.length
          ? new String(bytes, StandardCharsets.UTF_8)
          : null;
    }
    return toPublic(type, stored);
  }

  /**
   * The length of the longest prefix of {@code bytes} made of well-formed UTF-8 sequences (RFC
   * 3629: no overlong forms, no surrogates, nothing above U+10FFFF), the ones a decoder keeps as
   * they are.
   */
  static int validUtf8Prefix(byte[] bytes) {
    int index = 0;
    while (index < bytes.length) {
      int lead = bytes[index] & 0xff;
      if (lead < 0x80) {
        index++;
        continue;
      }
      int length;
      int secondLow = 0x80;
      int secondHigh = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        secondLow = lead == 0xE0 ? 0xA0 : 0x80;
        secondHigh = lead == 0xED ? 0x9F : 0xBF;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        secondLow = lead == 0xF0 ? 0x90 : 0x80;
        secondHigh = lead == 0xF4 ? 0x8F : 0xBF;
      } else {
        return index;
      }
      if (index + length > bytes.length) {
        return index;
      }
      int second = bytes[index + 1] & 0xff;
      if (second < secondLow || second > secondHigh) {
        return index;
      }
      for (int k = 2; k < length; k++) {
        if ((bytes[index + k] & 0xC0) != 0x80) {
          return index;
        }
      }
      index += length;
    }
    return index;
  }

  static Object toPublic(DataType type, Object stored) {
    if (stored == null) {
      return null;
    }
    return switch (StorageType.of(type)) {
      case INT64 -> Values.fromLong(type, (Long) stored);
      case FLOAT32, FLOAT64 -> stored;
      case INT128 ->
          type.kind() == dev.basalt.common.type.TypeKind.DECIMAL
              ? new BigDecimal((BigInteger) stored, type.scale())
              : stored;
      case BINARY -> new String((byte[]) stored, StandardCharsets.UTF_8);
    };
  }

  static void write(StorageType storageType, Object value, LittleEndianOutput output) {
    switch (storageType) {
      case INT64 -> output.writeLong((Long) value);
      case FLOAT32 -> output.writeInt(Float.floatToRawIntBits(((Double) value).floatValue()));
      case FLOAT64 -> output.writeLong(Double.doubleToRawLongBits((Double) value));
      case INT128 -> {
        BigInteger integer = (BigInteger) value;
        output.writeLong(Int128PageCodec.low(integer));
        output.writeLong(Int128PageCodec.high(integer));
      }
      case BINARY -> {
        byte[] bytes = (byte[]) value;
        output.writeInt(bytes.length);
        output.writeBytes(bytes, 0, bytes.length);
      }
    }
  }

  static Object read(StorageType storageType, LittleEndianInput input) {
    return switch (storageType) {
      case INT64 -> input.readLong();
      case FLOAT32 -> (double) Float.intBitsToFloat(input.readInt());
      case FLOAT64 -> Double.longBitsToDouble(input.readLong());
      case INT128 -> {
        long low = input.readLong();
        long high = input.readLong();
        yield Int128PageCodec.toBigInteger(low, high);
      }
      case BINARY -> {
        int length = input.readCount("zone map string length");
        if (length > SegmentFormat.MAX_ZONE_MAP_STRING_BYTES) {
          throw new FormatException(
              "zone map string of "
                  + length
                  + " bytes exceeds "
                  + SegmentFormat.MAX_ZONE_MAP_STRING_BYTES);
        }
        yield input.readBytes(length);
      }
    };
  }
}
