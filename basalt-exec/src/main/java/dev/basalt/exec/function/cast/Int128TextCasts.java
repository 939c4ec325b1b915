package dev.basalt.exec.function.cast;

/**
 * CAST from text to the 128-bit types, read from ASCII bytes without allocating: LARGEINT and
 * DECIMAL of 19 to 38 digits, as the halves of {@link dev.basalt.common.vector.Int128} written into
 * a caller-owned {@code long[2]} ({@code high}, {@code low}). Each method gives exactly what {@link
 * Casts#convert} gives for the same text, or {@link #NOT_READ} for a shape it leaves to {@link
 * Casts} (an exponent, a byte outside ASCII); the caller then converts that row boxed.
 *
 * <p>The text is {@code [+-]digits[.digits]} or {@code [+-].digits} between whitespace ({@link
 * String#strip}'s ASCII whitespace); anything else does not convert (NULL), as {@link
 * Casts#parseNumber}'s pattern decides. Stateless and thread safe.
 */
final class Int128TextCasts {
  private Int128TextCasts() {}

  /** The value was read and written to the output halves. */
  static final int CONVERTED = 0;

  /** The text is no number, or the number is outside the type: the cast gives NULL. */
  static final int NULL = 1;

  /** A shape this class does not read: the caller takes {@link Casts#convert}. */
  static final int NOT_READ = 2;

  /** 2^127 / 10 rounded down, the largest magnitude that may take another digit. */
  private static final long TENTH_OF_LIMIT_HIGH = 0x0CCC_CCCC_CCCC_CCCCL;

  /**
   * CAST(text AS LARGEINT): the fraction is dropped (toward zero); NULL outside [-2^127, 2^127).
   */
  static int parseLargeInt(byte[] bytes, int start, int end, long[] out) {
    int shape = shape(bytes, start, end);
    if (shape != CONVERTED) {
      return shape;
    }
    while (isWhitespace(bytes[start])) {
      start++;
    }
    boolean negative = bytes[start] == '-';
    if (bytes[start] == '-' || bytes[start] == '+') {
      start++;
    }
    long high = 0;
    long low = 0;
    for (int i = start; i < end; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        // The point or the trailing whitespace: the fraction is truncated.
        break;
      }
      if (Long.compareUnsigned(high, TENTH_OF_LIMIT_HIGH) > 0) {
        return NULL;
      }
      long shiftedLow = low * 10;
      long nextHigh = high * 10 + Math.unsignedMultiplyHigh(low, 10);
      long nextLow = shiftedLow + digit;
      if (Long.compareUnsigned(nextLow, shiftedLow) < 0) {
        nextHigh++;
      }
      high = nextHigh;
      low = nextLow;
    }
    return signed(high, low, negative, out) ? CONVERTED : NULL;
  }

  /**
   * CAST(text AS DECIMAL(precision, scale)) for precision 19 to 39 (39: LARGEINT as plans type it):
   * the unscaled value at {@code scale}, digits beyond it rounded half up (away from zero); NULL
   * when it has {@code precision} digits or more (more integer digits than the type holds); {@link
   * #NOT_READ} for a magnitude of 2^127 or more below 10^39.
   */
  static int parseDecimal(byte[] bytes, int start, int end, int precision, int scale, long[] out) {
    int shape = shape(bytes, start, end);
    if (shape != CONVERTED) {
      return shape;
    }
    while (isWhitespace(bytes[start])) {
      start++;
    }
    boolean negative = bytes[start] == '-';
    if (bytes[start] == '-' || bytes[start] == '+') {
      start++;
    }
    // DECIMAL(39, 0) is LARGEINT in plans: its values between 2^127 and 10^39 are boxed.
    int beyond = precision > 38 ? NOT_READ : NULL;
    long high = 0;
    long low = 0;
    int fractionDigits = -1;
    boolean roundUp = false;
    int i = start;
    for (; i < end; i++) {
      byte b = bytes[i];
      if (b == '.') {
        fractionDigits = 0;
        continue;
      }
      int digit = b - '0';
      if (digit < 0 || digit > 9) {
        break;
      }
      if (fractionDigits >= 0) {
        if (fractionDigits == scale) {
          roundUp = digit >= 5;
          break;
        }
        fractionDigits++;
      }
      if (high == 0 && low == 0 && digit == 0) {
        continue;
      }
      if (Long.compareUnsigned(high, TENTH_OF_LIMIT_HIGH) > 0) {
        return beyond;
      }
      long shiftedLow = low * 10;
      long nextHigh = high * 10 + Math.unsignedMultiplyHigh(low, 10);
      long nextLow = shiftedLow + digit;
      if (Long.compareUnsigned(nextLow, shiftedLow) < 0) {
        nextHigh++;
      }
      high = nextHigh;
      low = nextLow;
    }
    for (int pad = Math.max(fractionDigits, 0); pad < scale; pad++) {
      if (Long.compareUnsigned(high, TENTH_OF_LIMIT_HIGH) > 0) {
        return beyond;
      }
      long shiftedLow = low * 10;
      high = high * 10 + Math.unsignedMultiplyHigh(low, 10);
      low = shiftedLow;
    }
    if (roundUp && ++low == 0) {
      high++;
    }
    if (high < 0) {
      return beyond;
    }
    if (!dev.basalt.common.vector.Int128.fitsDigits(high, low, precision)) {
      return NULL;
    }
    return signed(high, low, negative, out) ? CONVERTED : NULL;
  }

  /**
   * Whether the trimmed text is a number this class reads ({@link #CONVERTED}), no number ({@link
   * #NULL}) or a shape left to the boxed conversion ({@link #NOT_READ}).
   */
  private static int shape(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      if (bytes[i] < 0) {
        // Not ASCII: String#strip also removes Unicode whitespace; the boxed conversion decides.
        return NOT_READ;
      }
    }
    while (start < end && isWhitespace(bytes[start])) {
      start++;
    }
    while (end > start && isWhitespace(bytes[end - 1])) {
      end--;
    }
    int i = start;
    if (i < end && (bytes[i] == '-' || bytes[i] == '+')) {
      i++;
    }
    int digits = 0;
    while (i < end && isDigit(bytes[i])) {
      i++;
      digits++;
    }
    if (i < end && bytes[i] == '.') {
      i++;
      while (i < end && isDigit(bytes[i])) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return NULL;
    }
    if (i < end && (bytes[i] == 'e' || bytes[i] == 'E')) {
      return NOT_READ;
    }
    return i == end ? CONVERTED : NULL;
  }

  /** Writes {@code ±magnitude} to {@code out}; false when it is outside [-2^127, 2^127). */
  private static boolean signed(long high, long low, boolean negative, long[] out) {
    if (!negative) {
      if (high < 0) {
        return false;
      }
      out[0] = high;
      out[1] = low;
      return true;
    }
    if (high < 0 && (high != Long.MIN_VALUE || low != 0)) {
      return false;
    }
    out[0] = ~high + (low == 0 ? 1 : 0);
    out[1] = -low;
    return true;
  }

  /** {@link Character#isWhitespace} for ASCII, what {@link String#strip} removes there. */
  static boolean isWhitespace(byte b) {
    return b == ' ' || (b >= 9 && b <= 13) || (b >= 28 && b <= 31);
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
