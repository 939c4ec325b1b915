package dev.basalt.common.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The 128-bit kernels of {@link Int128} against {@link BigInteger} as the reference: seeded random
 * values mixed with edge values (±(10^38 - 1), ±2^127 bounds, the long boundaries and the carries
 * between the halves), every pair through add, subtract, multiply, compare, hash and the key bytes.
 */
class Int128Test {
  private static final long SEED = 20261207L;
  private static final BigInteger MIN = BigInteger.ONE.shiftLeft(127).negate();
  private static final BigInteger MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  private static List<BigInteger> values(Random random, int randomCount) {
    List<BigInteger> values = new ArrayList<>();
    BigInteger maxDecimal = BigInteger.TEN.pow(38).subtract(BigInteger.ONE);
    for (BigInteger edge :
        List.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            BigInteger.TEN,
            maxDecimal,
            MAX,
            MIN,
            BigInteger.valueOf(Long.MAX_VALUE),
            BigInteger.valueOf(Long.MIN_VALUE),
            TWO_TO_64,
            TWO_TO_64.subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(63),
            BigInteger.ONE.shiftLeft(100),
            BigInteger.TEN.pow(19),
            BigInteger.TEN.pow(18),
            BigInteger.valueOf(3037000500L))) {
      values.add(edge);
      values.add(edge.negate());
      values.add(edge.add(BigInteger.ONE));
      values.add(edge.subtract(BigInteger.ONE));
    }
    for (int i = 0; i < randomCount; i++) {
      int bits = 1 + random.nextInt(127);
      BigInteger value = new BigInteger(bits, random);
      values.add(random.nextBoolean() ? value.negate() : value);
    }
    values.removeIf(value -> !Int128.fits(value));
    return values;
  }

  @Test
  void arithmeticComparisonAndHashMatchBigInteger() {
    Random random = new Random(SEED);
    List<BigInteger> values = values(random, 150);
    long[] highs = new long[1];
    long[] lows = new long[1];
    for (BigInteger a : values) {
      long aHigh = Int128.high(a);
      long aLow = Int128.low(a);
      assertEquals(a, Int128.toBigInteger(aHigh, aLow), "seed " + SEED);
      assertEquals(a.toString(), Int128.toString(aHigh, aLow));
      assertEquals(a.bitLength() < 64, Int128.fitsLong(aHigh, aLow), a.toString());
      byte[] bytes = a.toByteArray();
      assertEquals(bytes.length, Int128.minimalByteLength(aHigh, aLow), a.toString());
      byte[] written = new byte[bytes.length];
      Int128.writeBigEndian(aHigh, aLow, written, 0, written.length);
      assertArrayEquals(bytes, written, a.toString());
      if (a.bitLength() < 64) {
        assertEquals(Int128.hashLong(a.longValue()), Int128.hash(aHigh, aLow));
      }
      for (int digits = 0; digits <= 38; digits += 1) {
        assertEquals(
            a.abs().compareTo(BigInteger.TEN.pow(digits)) < 0,
            Int128.fitsDigits(aHigh, aLow, digits),
            a + " within " + digits + " digits");
      }
      for (BigInteger b : values) {
        long bHigh = Int128.high(b);
        long bLow = Int128.low(b);
        String pair = "seed " + SEED + ": " + a + ", " + b;
        assertEquals(
            Integer.signum(a.compareTo(b)),
            Integer.signum(Int128.compare(aHigh, aLow, bHigh, bLow)),
            pair);
        assertEquals(a.equals(b), Int128.hash(aHigh, aLow) == Int128.hash(bHigh, bLow), pair);

        BigInteger sum = a.add(b);
        if (Int128.fits(sum)) {
          assertEquals(
              sum,
              Int128.toBigInteger(Int128.addHigh(aHigh, aLow, bHigh, bLow), aLow + bLow),
              pair);
        } else {
          assertThrows(ArithmeticException.class, () -> Int128.addHigh(aHigh, aLow, bHigh, bLow));
        }
        BigInteger difference = a.subtract(b);
        if (Int128.fits(difference)) {
          assertEquals(
              difference,
              Int128.toBigInteger(Int128.subtractHigh(aHigh, aLow, bHigh, bLow), aLow - bLow),
              pair);
        } else {
          assertThrows(
              ArithmeticException.class, () -> Int128.subtractHigh(aHigh, aLow, bHigh, bLow));
        }
        BigInteger product = a.multiply(b);
        if (Int128.fits(product)) {
          Int128.multiply(aHigh, aLow, bHigh, bLow, highs, lows, 0);
          assertEquals(product, Int128.toBigInteger(highs[0], lows[0]), pair);
        } else {
          assertThrows(
              ArithmeticException.class,
              () -> Int128.multiply(aHigh, aLow, bHigh, bLow, highs, lows, 0));
        }
      }
    }
  }

  @Test
  void divisionMatchesBigInteger() {
    Random random = new Random(SEED + 2);
    List<BigInteger> values = values(random, 300);
    // Quotients near a divisor's multiples exercise the estimate's corrections.
    for (int i = 0; i < 300; i++) {
      BigInteger divisor = new BigInteger(1 + random.nextInt(126), random).add(BigInteger.ONE);
      BigInteger quotient = new BigInteger(1 + random.nextInt(64), random);
      for (BigInteger offset : List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate())) {
        BigInteger value = divisor.multiply(quotient).add(offset);
        if (Int128.fits(value)) {
          values.add(value);
          values.add(divisor);
        }
      }
    }
    long[] out = new long[4];
    for (BigInteger a : values) {
      for (BigInteger b : values) {
        if (b.signum() == 0) {
          continue;
        }
        String pair = "seed " + (SEED + 2) + ": " + a + " / " + b;
        long aHigh = Int128.high(a);
        long aLow = Int128.low(a);
        long bHigh = Int128.high(b);
        long bLow = Int128.low(b);
        BigInteger[] expected = a.divideAndRemainder(b);
        if (Int128.fits(expected[0])) {
          Int128.divide(aHigh, aLow, bHigh, bLow, out);
          assertEquals(expected[0], Int128.toBigInteger(out[0], out[1]), pair);
          assertEquals(expected[1], Int128.toBigInteger(out[2], out[3]), pair);
        } else {
          assertThrows(
              ArithmeticException.class, () -> Int128.divide(aHigh, aLow, bHigh, bLow, out));
        }
        BigInteger rounded =
            new BigDecimal(a)
                .divide(new BigDecimal(b), 0, RoundingMode.HALF_UP)
                .toBigIntegerExact();
        if (Int128.fits(rounded)) {
          Int128.divideRoundHalfUp(aHigh, aLow, bHigh, bLow, out);
          assertEquals(rounded, Int128.toBigInteger(out[0], out[1]), pair + " rounded");
        } else {
          assertThrows(
              ArithmeticException.class,
              () -> Int128.divideRoundHalfUp(aHigh, aLow, bHigh, bLow, out),
              pair);
        }
      }
    }
  }

  @Test
  void toDoubleRoundsAsBigDecimal() {
    Random random = new Random(SEED + 3);
    List<BigInteger> values = values(random, 2000);
    // Values halfway between two doubles, where a second rounding would show.
    for (int i = 0; i < 200; i++) {
      BigInteger mantissa = new BigInteger(53, random).setBit(52);
      values.add(mantissa.shiftLeft(1).add(BigInteger.ONE).shiftLeft(random.nextInt(70)));
    }
    long[] scratch = new long[4];
    for (BigInteger value : values) {
      if (!Int128.fits(value)) {
        continue;
      }
      for (int scale = 0; scale <= 38; scale++) {
        double expected = new BigDecimal(value, scale).doubleValue();
        assertEquals(
            expected,
            Int128.toDouble(Int128.high(value), Int128.low(value), scale, scratch),
            "seed " + (SEED + 3) + ": " + value + " scale " + scale);
      }
    }
  }

  @Test
  void negationOfTheMinimumOverflows() {
    assertThrows(
        ArithmeticException.class, () -> Int128.negateHigh(Int128.high(MIN), Int128.low(MIN)));
    assertEquals(
        MAX.negate(),
        Int128.toBigInteger(
            Int128.negateHigh(Int128.high(MAX), Int128.low(MAX)), -Int128.low(MAX)));
  }

  @Test
  void vectorsRoundTripThroughTheBuilderWithoutBoxing() {
    Random random = new Random(SEED + 1);
    List<BigInteger> values = values(random, 200);
    ColumnVectorBuilder largeInts =
        new ColumnVectorBuilder(dev.basalt.common.type.DataType.LARGEINT);
    ColumnVectorBuilder decimals =
        new ColumnVectorBuilder(dev.basalt.common.type.DataType.decimal(38, 2));
    BigInteger maxDecimal = BigInteger.TEN.pow(38);
    List<BigInteger> decimalValues = new ArrayList<>();
    for (BigInteger value : values) {
      largeInts.appendLargeInt(value);
      if (value.abs().compareTo(maxDecimal) < 0) {
        decimals.appendDecimal(new java.math.BigDecimal(value, 2));
        decimalValues.add(value);
      }
    }
    largeInts.appendNull();
    LargeIntVector builtInts = (LargeIntVector) largeInts.build();
    for (int i = 0; i < values.size(); i++) {
      assertEquals(values.get(i), builtInts.getLargeInt(i));
    }
    assertEquals(null, builtInts.getLargeInt(values.size()));
    DecimalVector builtDecimals = (DecimalVector) decimals.build();
    assertEquals(true, builtDecimals.isInt128());
    for (int i = 0; i < decimalValues.size(); i++) {
      assertEquals(new java.math.BigDecimal(decimalValues.get(i), 2), builtDecimals.getDecimal(i));
      assertEquals(
          decimalValues.get(i),
          Int128.toBigInteger(builtDecimals.getHigh(i), builtDecimals.getLow(i)));
    }
  }
}
