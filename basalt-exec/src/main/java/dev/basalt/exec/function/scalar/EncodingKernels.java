package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.scalar.StringKernels.TextArgument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Typed kernels of the string functions that encode or digest bytes: {@code md5}, {@code sha1},
 * {@code sha2}, {@code unhex}, {@code to_base64} and {@code from_base64}, on the UTF-8 bytes of
 * {@link BytesVector}s. A decoded result ({@code unhex}, {@code from_base64}) that is not valid
 * UTF-8 is read as the row-wise bodies read it, through {@link String}, whose decoder replaces each
 * malformed sequence with U+FFFD. Stateless and thread safe (a digest is made per call).
 */
final class EncodingKernels {
  private EncodingKernels() {}

  private static final byte[] LOWER_HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(StandardCharsets.US_ASCII);

  /** The 6-bit value of each base64 byte, -2 for '=', -1 for any other byte. */
  private static final byte[] BASE64_VALUES = base64Values();

  private static byte[] base64Values() {
    byte[] values = new byte[256];
    java.util.Arrays.fill(values, (byte) -1);
    for (int i = 0; i < BASE64.length; i++) {
      values[BASE64[i]] = (byte) i;
    }
    values['='] = -2;
    return values;
  }

  /** The JDK digest for {@code sha2}'s bit count (0 means 256), or null for other counts. */
  private static String sha2Algorithm(long bits) {
    return switch ((int) Math.max(-1, Math.min(bits, 1024))) {
      case 0, 256 -> "SHA-256";
      case 224 -> "SHA-224";
      case 384 -> "SHA-384";
      case 512 -> "SHA-512";
      default -> null;
    };
  }

  static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException("the JDK lacks " + algorithm, missing);
    }
  }

  /**
   * {@code md5(s)} or {@code sha1(s)} ({@code algorithm} a JDK digest name), or with {@code
   * algorithm} null {@code sha2(s, bits)}: the digest of the UTF-8 bytes in lower-case hex; NULL
   * for a {@code sha2} bit count other than 0, 224, 256, 384 or 512.
   */
  static ScalarFunction digest(String name, DataType returnType, String algorithm) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return (int) Math.min(Integer.MAX_VALUE / 2, 64L * rowCount);
      }

      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        LongVector bits = algorithm == null ? (LongVector) arguments.get(1) : null;
        int bitsMask = bits == null ? 0 : Kernels.rowMask(bits, rowCount);
        byte[] bytes = text.bytes();
        java.util.Map<String, MessageDigest> digests = new java.util.HashMap<>();
        return (row, output) -> {
          String chosen = bits == null ? algorithm : sha2Algorithm(bits.getLong(row & bitsMask));
          if (chosen == null) {
            return false;
          }
          MessageDigest digest = digests.computeIfAbsent(chosen, EncodingKernels::newDigest);
          digest.update(bytes, text.start(row), text.length(row));
          byte[] hash = digest.digest();
          output.ensure(2 * hash.length);
          for (byte b : hash) {
            output.bytes[output.size++] = LOWER_HEX[(b >> 4) & 0xF];
            output.bytes[output.size++] = LOWER_HEX[b & 0xF];
          }
          return true;
        };
      }
    };
  }

  /** {@code to_base64(s)}: the standard base64 alphabet with '=' padding, no line breaks. */
  static ScalarFunction toBase64(String name, DataType returnType) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return (int)
            Math.min(
                Integer.MAX_VALUE / 2,
                4L * StringKernels.byteSpan((BytesVector) arguments.get(0), rowCount) / 3
                    + 4L * rowCount);
      }

      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        byte[] bytes = text.bytes();
        return (row, output) -> {
          int start = text.start(row);
          int length = text.length(row);
          output.ensure((length + 2) / 3 * 4);
          byte[] target = output.bytes;
          int at = output.size;
          int end = start + length;
          int i = start;
          for (; i + 3 <= end; i += 3) {
            int group = (bytes[i] & 0xFF) << 16 | (bytes[i + 1] & 0xFF) << 8 | bytes[i + 2] & 0xFF;
            target[at++] = BASE64[group >>> 18];
            target[at++] = BASE64[(group >>> 12) & 0x3F];
            target[at++] = BASE64[(group >>> 6) & 0x3F];
            target[at++] = BASE64[group & 0x3F];
          }
          if (i < end) {
            int group = (bytes[i] & 0xFF) << 16 | (i + 1 < end ? (bytes[i + 1] & 0xFF) << 8 : 0);
            target[at++] = BASE64[group >>> 18];
            target[at++] = BASE64[(group >>> 12) & 0x3F];
            target[at++] = i + 1 < end ? BASE64[(group >>> 6) & 0x3F] : (byte) '=';
            target[at++] = '=';
          }
          output.size = at;
          return true;
        };
      }
    };
  }

  /**
   * {@code from_base64(s)}: the bytes {@link java.util.Base64.Decoder} decodes from {@code s}
   * without its whitespace (the six ASCII bytes of the regex {@code \s}); NULL where that decoder
   * refuses the input. Padding is optional, but where present it must be complete, and nothing may
   * follow it.
   */
  static ScalarFunction fromBase64(String name, DataType returnType) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        byte[] bytes = text.bytes();
        byte[][] scratch = {new byte[64]};
        return (row, output) -> {
          int start = text.start(row);
          int end = text.end(row);
          if (scratch[0].length < end - start) {
            scratch[0] = new byte[end - start];
          }
          byte[] source = scratch[0];
          int length = 0;
          for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (b != ' ' && (b < '\t' || b > '\r')) {
              source[length++] = b;
            }
          }
          int resultStart = output.size;
          output.ensure(length / 4 * 3 + 3);
          if (!decodeBase64(source, length, output)) {
            return false;
          }
          readAsUtf8(output, resultStart);
          return true;
        };
      }
    };
  }

  /**
   * Decodes {@code source[0, length)} into {@code output} (which has room), as {@link
   * java.util.Base64.Decoder#decode(byte[])} does; false where that throws.
   */
  private static boolean decodeBase64(byte[] source, int length, BytesOutput output) {
    byte[] target = output.bytes;
    int at = output.size;
    int bits = 0;
    int shift = 18;
    int position = 0;
    while (position < length) {
      int value = BASE64_VALUES[source[position++] & 0xFF];
      if (value < 0) {
        if (value == -1) {
          return false;
        }
        // '=' ends the data: after two characters it must be doubled; after one or none it is
        // wrong.
        if (shift == 6 && (position == length || source[position++] != '=') || shift == 18) {
          return false;
        }
        break;
      }
      bits |= value << shift;
      shift -= 6;
      if (shift < 0) {
        target[at++] = (byte) (bits >> 16);
        target[at++] = (byte) (bits >> 8);
        target[at++] = (byte) bits;
        shift = 18;
        bits = 0;
      }
    }
    if (shift == 6) {
      target[at++] = (byte) (bits >> 16);
    } else if (shift == 0) {
      target[at++] = (byte) (bits >> 16);
      target[at++] = (byte) (bits >> 8);
    } else if (shift == 12) {
      return false;
    }
    if (position < length) {
      return false;
    }
    output.size = at;
    return true;
  }

  /** {@code unhex(s)}: the bytes of pairs of hex digits (a leading 0 added to an odd count). */
  static ScalarFunction unhex(String name, DataType returnType) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        byte[] bytes = text.bytes();
        return (row, output) -> {
          int start = text.start(row);
          int length = text.length(row);
          int resultStart = output.size;
          output.ensure((length + 1) / 2);
          byte[] target = output.bytes;
          int at = output.size;
          int i = start;
          int end = start + length;
          if ((length & 1) != 0) {
            int low = Character.digit(bytes[i++], 16);
            if (low < 0) {
              return false;
            }
            target[at++] = (byte) low;
          }
          for (; i < end; i += 2) {
            int high = Character.digit(bytes[i], 16);
            int low = Character.digit(bytes[i + 1], 16);
            if ((high | low) < 0) {
              return false;
            }
            target[at++] = (byte) (high << 4 | low);
          }
          output.size = at;
          readAsUtf8(output, resultStart);
          return true;
        };
      }
    };
  }

  /**
   * Replaces the bytes of {@code output} from {@code start} with what {@code new String(bytes,
   * UTF_8)} reads from them, when they are not valid UTF-8.
   */
  static void readAsUtf8(BytesOutput output, int start) {
    if (isValidUtf8(output.bytes, start, output.size)) {
      return;
    }
    byte[] replaced =
        new String(output.bytes, start, output.size - start, StandardCharsets.UTF_8)
            .getBytes(StandardCharsets.UTF_8);
    output.size = start;
    output.append(replaced, 0, replaced.length);
  }

  /**
   * Whether {@code bytes[from, end)} is well-formed UTF-8 (RFC 3629: no overlong forms, no
   * surrogates, nothing past U+10FFFF), which the JDK's decoder reads without replacing anything.
   */
  static boolean isValidUtf8(byte[] bytes, int from, int end) {
    int i = from;
    while (i < end) {
      int lead = bytes[i] & 0xFF;
      if (lead < 0x80) {
        i++;
        continue;
      }
      int continuations;
      int secondMin = 0x80;
      int secondMax = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        continuations = 1;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuations = 2;
        secondMin = lead == 0xE0 ? 0xA0 : 0x80;
        secondMax = lead == 0xED ? 0x9F : 0xBF;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuations = 3;
        secondMin = lead == 0xF0 ? 0x90 : 0x80;
        secondMax = lead == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
      if (end - i <= continuations) {
        return false;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < secondMin || second > secondMax) {
        return false;
      }
      for (int k = 2; k <= continuations; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += continuations + 1;
    }
    return true;
  }
}
