package dev.basalt.exec.function.cast;

/**
 * The text of a DOUBLE or FLOAT written as ASCII bytes into a caller-owned buffer, byte for byte
 * what {@link dev.basalt.common.type.ValueText#formatDouble} returns: the shortest decimal that
 * reads back to the same value (as {@link Double#toString} and {@link Float#toString} choose it),
 * plain for decimal exponents -5 to 15 ({@code 0.00001}, {@code 1000000000000000.1}), otherwise one
 * digit, a point and the rest, {@code e}, a sign and at least two exponent digits ({@code 1e+20},
 * {@code 1.5e-07}); {@code -0}, {@code NaN}, {@code Infinity}, {@code -Infinity}.
 *
 * <p>The common case allocates nothing: a double between 10^-8 and 10^37 whose shortest form has at
 * most 15 significant digits is found as the integer {@code m} nearest {@code |v| * 10^k} for the
 * {@code k} that gives {@code m} 15 digits, kept when {@code m / 10^k} (or {@code m * 10^-k}), one
 * correctly rounded IEEE operation on exact operands, gives {@code |v|} back. Then {@code m} with
 * its trailing zeros dropped is the shortest form: no two different decimals of at most 15
 * significant digits round to the same double (DBL_DIG is 15). Every other value (17-digit sums
 * such as {@code 0.1 + 0.2}, FLOATs, values beyond the range) takes its digits from {@link
 * Double#toString} or {@link Float#toString} and lays them out here. Not thread safe: one instance
 * per kernel call.
 */
final class DoubleText {
  /** The longest text: sign, 17 digits, point, {@code e}, sign, three exponent digits. */
  static final int MAX_LENGTH = 32;

  private static final double[] POWERS_OF_TEN = new double[23];

  private static final long FIFTEEN_DIGITS = 1_000_000_000_000_000L;

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  private final byte[] digits = new byte[24];
  private int digitCount;

  /** The scientific exponent of the first digit: the value is {@code 0.d1d2... * 10^(e + 1)}. */
  private int exponent;

  /**
   * Writes the text of {@code value} ({@code isFloat}: a FLOAT, printed with float precision) at
   * {@code target[0..]} and returns its length; {@code target} has room for {@link #MAX_LENGTH}.
   */
  int write(double value, boolean isFloat, byte[] target) {
    if (Double.isNaN(value)) {
      return ascii("NaN", target, 0);
    }
    if (Double.isInfinite(value)) {
      return ascii(value > 0 ? "Infinity" : "-Infinity", target, 0);
    }
    if (value == 0) {
      return ascii(1 / value < 0 ? "-0" : "0", target, 0);
    }
    int position = 0;
    if (value < 0) {
      target[position++] = '-';
    }
    double magnitude = Math.abs(value);
    if (isFloat || !shortestFromFifteenDigits(magnitude)) {
      digitsFromJava(isFloat ? Float.toString((float) magnitude) : Double.toString(magnitude));
    }
    return layOut(target, position);
  }

  /** The fast path of the class comment; false when it does not apply. */
  private boolean shortestFromFifteenDigits(double magnitude) {
    if (magnitude < 1e-8 || magnitude >= 1e37) {
      return false;
    }
    int scientific = (int) Math.floor(Math.log10(magnitude));
    // k such that magnitude * 10^k has 15 integer digits (log10 may be off by one: m is checked).
    int k = 14 - scientific;
    if (k > 22 || k < -22) {
      return false;
    }
    double scaled = k >= 0 ? magnitude * POWERS_OF_TEN[k] : magnitude / POWERS_OF_TEN[-k];
    double rounded = Math.rint(scaled);
    if (rounded < 1 || rounded >= FIFTEEN_DIGITS) {
      return false;
    }
    double back = k >= 0 ? rounded / POWERS_OF_TEN[k] : rounded * POWERS_OF_TEN[-k];
    if (back != magnitude) {
      return false;
    }
    long mantissa = (long) rounded;
    int count = 0;
    for (long rest = mantissa; rest > 0; rest /= 10) {
      count++;
    }
    for (int i = count - 1; i >= 0; i--) {
      digits[i] = (byte) ('0' + mantissa % 10);
      mantissa /= 10;
    }
    exponent = count - 1 - k;
    digitCount = count;
    while (digitCount > 1 && digits[digitCount - 1] == '0') {
      digitCount--;
    }
    return true;
  }

  /** The digits and exponent of Java's shortest text ({@code 123.45}, {@code 1.0E-5}). */
  private void digitsFromJava(String text) {
    int length = text.length();
    int exponentAt = text.indexOf('E');
    int decimalExponent = 0;
    if (exponentAt >= 0) {
      decimalExponent = Integer.parseInt(text, exponentAt + 1, length, 10);
      length = exponentAt;
    }
    int count = 0;
    int integerDigits = -1;
    int leadingZeros = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c == '.') {
        integerDigits = count + leadingZeros;
        continue;
      }
      if (c == '0' && count == 0) {
        leadingZeros++;
        continue;
      }
      digits[count++] = (byte) c;
    }
    if (integerDigits < 0) {
      integerDigits = count + leadingZeros;
    }
    while (count > 1 && digits[count - 1] == '0') {
      count--;
    }
    digitCount = count;
    exponent = integerDigits - leadingZeros - 1 + decimalExponent;
  }

  /** Plain or exponent form of the digits, after a sign already at {@code position}. */
  private int layOut(byte[] target, int position) {
    if (exponent >= -5 && exponent < 16) {
      if (exponent < 0) {
        target[position++] = '0';
        target[position++] = '.';
        for (int i = exponent + 1; i < 0; i++) {
          target[position++] = '0';
        }
        System.arraycopy(digits, 0, target, position, digitCount);
        return position + digitCount;
      }
      int integerDigits = exponent + 1;
      for (int i = 0; i < integerDigits; i++) {
        target[position++] = i < digitCount ? digits[i] : (byte) '0';
      }
      if (digitCount > integerDigits) {
        target[position++] = '.';
        System.arraycopy(digits, integerDigits, target, position, digitCount - integerDigits);
        position += digitCount - integerDigits;
      }
      return position;
    }
    target[position++] = digits[0];
    if (digitCount > 1) {
      target[position++] = '.';
      System.arraycopy(digits, 1, target, position, digitCount - 1);
      position += digitCount - 1;
    }
    target[position++] = 'e';
    target[position++] = (byte) (exponent < 0 ? '-' : '+');
    int magnitude = Math.abs(exponent);
    if (magnitude >= 100) {
      target[position++] = (byte) ('0' + magnitude / 100);
    }
    target[position++] = (byte) ('0' + magnitude / 10 % 10);
    target[position++] = (byte) ('0' + magnitude % 10);
    return position;
  }

  private static int ascii(String text, byte[] target, int position) {
    for (int i = 0; i < text.length(); i++) {
      target[position + i] = (byte) text.charAt(i);
    }
    return position + text.length();
  }
}
