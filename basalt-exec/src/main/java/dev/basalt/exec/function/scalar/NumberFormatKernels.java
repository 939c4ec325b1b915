package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.ScaledDecimals;
import dev.basalt.exec.function.ScalarFunction;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The typed kernel of {@code format(x, decimals [, locale])} and {@code money_format(x)} ({@link
 * StringFunctions#formatNumber}: rounded half up, thousands separated by commas) for an integer or
 * DECIMAL {@code x}: a value held as a long (an integer, or a DECIMAL's unscaled long) is rounded
 * and printed on its digits; a wider DECIMAL takes the {@link BigDecimal} body per row. The locale
 * is not read (MySQL's default, en_US). Stateless and thread safe.
 */
final class NumberFormatKernels {
  private NumberFormatKernels() {}

  /** The largest number of decimals {@code format} prints. */
  private static final int MAX_DECIMALS = 30;

  /** Whether the kernel takes a first argument of {@code type}. */
  static boolean takes(DataType type) {
    TypeKind kind = type.kind();
    return kind == TypeKind.DECIMAL
        || VectorKernels.isLongInteger(type) && kind != TypeKind.BOOLEAN;
  }

  /**
   * {@code format(x, decimals [, locale])}, or with {@code fixedDecimals} of 0 or more {@code
   * money_format(x)} with that many decimals.
   */
  static ScalarFunction format(String name, DataType returnType, int fixedDecimals) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return (int) Math.min(Integer.MAX_VALUE / 2, 24L * rowCount);
      }

      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        ColumnVector numbers = arguments.get(0);
        int numberMask = Kernels.rowMask(numbers, rowCount);
        LongVector decimals = fixedDecimals >= 0 ? null : (LongVector) arguments.get(1);
        int decimalsMask = decimals == null ? 0 : Kernels.rowMask(decimals, rowCount);
        LongVector longs = numbers instanceof LongVector vector ? vector : null;
        DecimalVector scaled =
            numbers instanceof DecimalVector vector
                    && vector.isScaledLong()
                    && vector.scale() <= ScaledDecimals.MAX_LONG_PRECISION
                ? vector
                : null;
        int scale = scaled == null ? 0 : scaled.scale();
        byte[] digits = new byte[20];
        return (row, output) -> {
          int numberRow = row & numberMask;
          long wanted = decimals == null ? fixedDecimals : decimals.getLong(row & decimalsMask);
          int places = (int) Math.max(0, Math.min(wanted, MAX_DECIMALS));
          long value =
              longs != null
                  ? longs.getLong(numberRow)
                  : scaled != null ? scaled.getUnscaled(numberRow) : 0;
          if (longs == null && scaled == null || value == Long.MIN_VALUE) {
            BigDecimal decimal =
                longs != null
                    ? BigDecimal.valueOf(value)
                    : ((DecimalVector) numbers).getDecimal(numberRow);
            byte[] text =
                StringFunctions.formatNumber(decimal, wanted).getBytes(StandardCharsets.US_ASCII);
            output.append(text, 0, text.length);
            return true;
          }
          long magnitude = Math.abs(value);
          int kept = Math.min(places, scale);
          if (places < scale) {
            long unit = ScaledDecimals.powerOfTen(scale - places);
            long remainder = magnitude % unit;
            magnitude = magnitude / unit + (remainder * 2 >= unit ? 1 : 0);
          }
          long fractionUnit = ScaledDecimals.powerOfTen(kept);
          long whole = magnitude / fractionUnit;
          long fraction = magnitude % fractionUnit;
          output.ensure(28 + places);
          if (value < 0 && magnitude != 0) {
            output.appendByte('-');
          }
          appendGrouped(whole, digits, output);
          if (places > 0) {
            output.appendByte('.');
            for (int i = kept - 1; i >= 0; i--) {
              output.bytes[output.size + i] = (byte) ('0' + fraction % 10);
              fraction /= 10;
            }
            output.size += kept;
            for (int i = kept; i < places; i++) {
              output.bytes[output.size++] = '0';
            }
          }
          return true;
        };
      }
    };
  }

  /** Writes {@code whole} (not negative) with a comma before every group of three digits. */
  private static void appendGrouped(long whole, byte[] digits, BytesOutput output) {
    int count = 0;
    do {
      digits[count++] = (byte) ('0' + whole % 10);
      whole /= 10;
    } while (whole != 0);
    for (int i = count - 1; i >= 0; i--) {
      output.bytes[output.size++] = digits[i];
      if (i > 0 && i % 3 == 0) {
        output.bytes[output.size++] = ',';
      }
    }
  }
}
