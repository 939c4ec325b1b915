package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.ScaledDecimals;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.TypeCoercion;
import dev.basalt.exec.function.cast.Casts;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * The comparison operators {@code eq}, {@code ne}, {@code lt}, {@code le}, {@code gt}, {@code ge}
 * and {@code null_safe_eq} ({@code <=>}), all returning BOOLEAN (0/1 in a {@link LongVector}).
 *
 * <p>Operands meet in {@link TypeCoercion#comparisonType}: numbers compare numerically across
 * types; a string with a number compares as DOUBLE (a string that is not a number is NULL, as in
 * Doris, so the comparison is NULL); a date or datetime with a string parses the string as a
 * datetime; DATE with DATETIME compares as DATETIME; strings compare by their UTF-8 bytes (Doris's
 * {@code utf8mb4_0900_bin}: case-sensitive), ignoring trailing spaces when either operand is CHAR.
 * A NULL operand gives NULL, except for {@code null_safe_eq}, which is never NULL.
 *
 * <p>LONG, DOUBLE, string and scaled-long DECIMAL layouts run tight loops over the vectors
 * (decimals of different scales meet at the larger scale); boxed decimals and LARGEINT compare
 * their objects. Stateless and thread safe.
 */
public final class ComparisonFunctions {
  private ComparisonFunctions() {}

  /** The comparison operators. */
  public enum Comparison {
    EQ("eq"),
    NE("ne"),
    LT("lt"),
    LE("le"),
    GT("gt"),
    GE("ge"),
    NULL_SAFE_EQ("null_safe_eq");

    private final String functionName;

    Comparison(String functionName) {
      this.functionName = functionName;
    }

    public String functionName() {
      return functionName;
    }

    /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
    public Comparison flipped() {
      return switch (this) {
        case LT -> GT;
        case LE -> GE;
        case GT -> LT;
        case GE -> LE;
        case EQ, NE, NULL_SAFE_EQ -> this;
      };
    }

    /** Whether a three-way comparison result {@code order} satisfies this operator. */
    public boolean test(int order) {
      return switch (this) {
        case EQ, NULL_SAFE_EQ -> order == 0;
        case NE -> order != 0;
        case LT -> order < 0;
        case LE -> order <= 0;
        case GT -> order > 0;
        case GE -> order >= 0;
      };
    }
  }

  public static void register(FunctionRegistry.Builder builder) {
    for (Comparison comparison : Comparison.values()) {
      builder.scalar(types -> resolve(comparison, types), comparison.functionName);
    }
  }

  static ScalarFunction resolve(Comparison comparison, List<DataType> types) {
    if (types.size() != 2) {
      return null;
    }
    DataType compareType = TypeCoercion.comparisonType(types.get(0), types.get(1));
    if (compareType == null) {
      return null;
    }
    boolean padSpace = types.get(0).kind() == TypeKind.CHAR || types.get(1).kind() == TypeKind.CHAR;
    return new Compare(comparison, compareType, padSpace);
  }

  /**
   * Three-way comparison of two UTF-8 byte ranges, unsigned, optionally ignoring trailing spaces.
   */
  static int compareBytes(
      byte[] left,
      int leftStart,
      int leftLength,
      byte[] right,
      int rightStart,
      int rightLength,
      boolean padSpace) {
    if (padSpace) {
      while (leftLength > 0 && left[leftStart + leftLength - 1] == ' ') {
        leftLength--;
      }
      while (rightLength > 0 && right[rightStart + rightLength - 1] == ' ') {
        rightLength--;
      }
    }
    int common = Math.min(leftLength, rightLength);
    int mismatch =
        java.util.Arrays.mismatch(
            left, leftStart, leftStart + common, right, rightStart, rightStart + common);
    if (mismatch >= 0) {
      return Integer.compare(
          left[leftStart + mismatch] & 0xff, right[rightStart + mismatch] & 0xff);
    }
    return Integer.compare(leftLength, rightLength);
  }

  /** One bound comparison. */
  private record Compare(Comparison comparison, DataType compareType, boolean padSpace)
      implements ScalarFunction {

    @Override
    public String name() {
      return comparison.functionName;
    }

    @Override
    public DataType returnType() {
      return DataType.BOOLEAN;
    }

    /**
     * Either operand may be a constant vector (a literal), read at {@code row & mask} ({@link
     * Kernels#rowMask}); a constant is converted or rescaled to the comparison's representation
     * once, not once per row.
     */
    @Override
    public boolean takesConstantVectors() {
      return true;
    }

    @Override
    public ColumnVector evaluate(
        List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
      ColumnVector left = operand(arguments.get(0));
      ColumnVector right = operand(arguments.get(1));
      long[] out = new long[rowCount];
      boolean nullSafe = comparison == Comparison.NULL_SAFE_EQ;
      boolean[] nulls = nullSafe ? null : Kernels.mergeNulls(left, right, rowCount);
      PhysicalType physical = compareType.physical();
      int leftMask = Kernels.rowMask(left, rowCount);
      int rightMask = Kernels.rowMask(right, rowCount);
      LongVector[] scaled = sameScaleLongs(left, right);
      LargeIntVector[] wide = scaled == null ? sameScaleInt128s(left, right) : null;
      if (physical == PhysicalType.LONG) {
        compareLongs((LongVector) left, (LongVector) right, out, rowCount);
      } else if (scaled != null) {
        compareLongs(scaled[0], scaled[1], out, rowCount);
      } else if (wide != null) {
        LargeIntVector a = wide[0];
        LargeIntVector b = wide[1];
        for (int i = 0; i < rowCount; i++) {
          int x = i & leftMask;
          int y = i & rightMask;
          int order = Int128.compare(a.getHigh(x), a.getLow(x), b.getHigh(y), b.getLow(y));
          out[i] = comparison.test(order) ? 1 : 0;
        }
      } else if (physical == PhysicalType.DOUBLE) {
        compareDoubles((DoubleVector) left, (DoubleVector) right, out, rowCount);
      } else if (physical == PhysicalType.BYTES) {
        BytesVector a = (BytesVector) left;
        BytesVector b = (BytesVector) right;
        byte[] leftBytes = a.rawBytes();
        byte[] rightBytes = b.rawBytes();
        for (int i = 0; i < rowCount; i++) {
          int x = i & leftMask;
          int y = i & rightMask;
          int order =
              compareBytes(
                  leftBytes,
                  a.offset(x),
                  a.byteLength(x),
                  rightBytes,
                  b.offset(y),
                  b.byteLength(y),
                  padSpace);
          out[i] = comparison.test(order) ? 1 : 0;
        }
      } else {
        for (int i = 0; i < rowCount; i++) {
          Object a = left.getObject(i & leftMask);
          Object b = right.getObject(i & rightMask);
          if (a != null && b != null) {
            @SuppressWarnings("unchecked")
            int order = ((Comparable<Object>) a).compareTo(b);
            out[i] = comparison.test(order) ? 1 : 0;
          }
        }
      }
      if (nullSafe && (left.mayHaveNulls() || right.mayHaveNulls())) {
        for (int i = 0; i < rowCount; i++) {
          boolean leftNull = left.isNull(i & leftMask);
          boolean rightNull = right.isNull(i & rightMask);
          if (leftNull || rightNull) {
            out[i] = leftNull && rightNull ? 1 : 0;
          }
        }
      }
      return new LongVector(DataType.BOOLEAN, out, nulls, rowCount);
    }

    /**
     * Kernels for {@code column <op> constant}: integers, dates and datetimes as longs, scaled-long
     * decimals against the constant rounded to the column's scale (toward the side that keeps the
     * comparison exact), strings by their bytes. Other layouts, {@code <=>} and decimal constants
     * beyond 64 bits at the column's scale have none.
     */
    @Override
    public int selectWithConstant(
        ColumnVector column,
        ColumnVector constant,
        boolean constantFirst,
        int[] positions,
        int count) {
      if (comparison == Comparison.NULL_SAFE_EQ) {
        return -1;
      }
      Comparison op = constantFirst ? comparison.flipped() : comparison;
      ColumnVector values = operand(column);
      ColumnVector bound = operand(constant);
      if (bound.isNull(0)) {
        return 0;
      }
      PhysicalType physical = compareType.physical();
      if (physical == PhysicalType.LONG
          && values instanceof LongVector longs
          && bound instanceof LongVector boundLongs) {
        return selectLongs(op, longs, boundLongs.getLong(0), positions, count);
      }
      if (compareType.kind() == TypeKind.DECIMAL
          && values instanceof DecimalVector decimals
          && decimals.isScaledLong()
          && bound instanceof DecimalVector boundDecimals) {
        return selectDecimals(op, decimals, boundDecimals.getDecimal(0), positions, count);
      }
      if (compareType.kind() == TypeKind.DECIMAL
          && values instanceof DecimalVector decimals
          && decimals.isInt128()
          && bound instanceof DecimalVector boundDecimals) {
        return selectInt128Decimals(op, decimals, boundDecimals.getDecimal(0), positions, count);
      }
      if (values instanceof LargeIntVector integers && bound instanceof LargeIntVector boundInts) {
        return selectInt128s(
            op,
            integers,
            integers::getHigh,
            integers::getLow,
            boundInts.getHigh(0),
            boundInts.getLow(0),
            positions,
            count);
      }
      if (physical == PhysicalType.BYTES
          && values instanceof BytesVector strings
          && bound instanceof BytesVector boundStrings) {
        byte[] target = boundStrings.getBytes(0);
        byte[] bytes = strings.rawBytes();
        boolean nullable = strings.mayHaveNulls();
        int kept = 0;
        if (!padSpace && (op == Comparison.EQ || op == Comparison.NE)) {
          // Equality on the bytes: a length that differs decides it without a byte compared.
          boolean equal = op == Comparison.EQ;
          for (int i = 0; i < count; i++) {
            int row = positions[i];
            if (nullable && strings.isNull(row)) {
              continue;
            }
            if (sameBytes(bytes, strings.offset(row), strings.byteLength(row), target) == equal) {
              positions[kept++] = row;
            }
          }
          return kept;
        }
        for (int i = 0; i < count; i++) {
          int row = positions[i];
          if (nullable && strings.isNull(row)) {
            continue;
          }
          int order =
              compareBytes(
                  bytes,
                  strings.offset(row),
                  strings.byteLength(row),
                  target,
                  0,
                  target.length,
                  padSpace);
          if (op.test(order)) {
            positions[kept++] = row;
          }
        }
        return kept;
      }
      return -1;
    }

    private static boolean sameBytes(byte[] bytes, int start, int length, byte[] target) {
      if (length != target.length) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if (bytes[start + i] != target[i]) {
          return false;
        }
      }
      return true;
    }

    /**
     * {@code decimals <op> value} on the unscaled longs: {@code value} at the column's scale,
     * rounded up for {@code <} and {@code >=} and down for {@code <=} and {@code >}, which keeps
     * each comparison exact ({@code u < 0.055} at scale 2 is {@code u < 6}).
     */
    private static int selectDecimals(
        Comparison op, DecimalVector decimals, BigDecimal value, int[] positions, int count) {
      int scale = decimals.scale();
      BigDecimal floor = value.setScale(scale, RoundingMode.FLOOR);
      boolean exact = floor.compareTo(value) == 0;
      BigDecimal threshold =
          switch (op) {
            case LT, GE -> exact ? floor : value.setScale(scale, RoundingMode.CEILING);
            default -> floor;
          };
      Long unscaled = DecimalVector.unscaledLong(threshold, scale);
      if (unscaled == null) {
        return -1;
      }
      long bound = unscaled;
      if (!exact && (op == Comparison.EQ || op == Comparison.NE)) {
        if (op == Comparison.EQ) {
          return 0;
        }
        return selectLongs(Comparison.NE, decimals, Long.MIN_VALUE, positions, count, true);
      }
      return selectLongs(op, decimals, bound, positions, count, false);
    }

    /** As {@link #selectDecimals}, on a 128-bit decimal column. */
    private static int selectInt128Decimals(
        Comparison op, DecimalVector decimals, BigDecimal value, int[] positions, int count) {
      int scale = decimals.scale();
      BigDecimal floor = value.setScale(scale, RoundingMode.FLOOR);
      boolean exact = floor.compareTo(value) == 0;
      if (!exact && op == Comparison.EQ) {
        return 0;
      }
      if (!exact && op == Comparison.NE) {
        return selectLongs(Comparison.NE, decimals, Long.MIN_VALUE, positions, count, true);
      }
      BigDecimal threshold =
          switch (op) {
            case LT, GE -> exact ? floor : value.setScale(scale, RoundingMode.CEILING);
            default -> floor;
          };
      BigInteger unscaled = threshold.unscaledValue();
      if (!Int128.fits(unscaled)) {
        return -1;
      }
      return selectInt128s(
          op,
          decimals,
          decimals::getHigh,
          decimals::getLow,
          Int128.high(unscaled),
          Int128.low(unscaled),
          positions,
          count);
    }

    /** Keeps the positions whose 128-bit value (read by the two halves) satisfies {@code op}. */
    private static int selectInt128s(
        Comparison op,
        ColumnVector values,
        IntToLongFunction high,
        IntToLongFunction low,
        long boundHigh,
        long boundLow,
        int[] positions,
        int count) {
      boolean nullable = values.mayHaveNulls();
      int kept = 0;
      for (int i = 0; i < count; i++) {
        int row = positions[i];
        if (nullable && values.isNull(row)) {
          continue;
        }
        int order =
            Int128.compare(high.applyAsLong(row), low.applyAsLong(row), boundHigh, boundLow);
        if (op.test(order)) {
          positions[kept++] = row;
        }
      }
      return kept;
    }

    private static int selectLongs(
        Comparison op,
        DecimalVector decimals,
        long bound,
        int[] positions,
        int count,
        boolean everyNonNull) {
      boolean nullable = decimals.mayHaveNulls();
      int kept = 0;
      for (int i = 0; i < count; i++) {
        int row = positions[i];
        if (nullable && decimals.isNull(row)) {
          continue;
        }
        if (everyNonNull || op.test(Long.compare(decimals.getUnscaled(row), bound))) {
          positions[kept++] = row;
        }
      }
      return kept;
    }

    private static int selectLongs(
        Comparison op, LongVector longs, long bound, int[] positions, int count) {
      if (longs.mayHaveNulls()) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
          int row = positions[i];
          if (!longs.isNull(row) && op.test(Long.compare(longs.getLong(row), bound))) {
            positions[kept++] = row;
          }
        }
        return kept;
      }
      int kept = 0;
      switch (op) {
        case EQ -> {
          for (int i = 0; i < count; i++) {
            int row = positions[i];
            positions[kept] = row;
            kept += longs.getLong(row) == bound ? 1 : 0;
          }
        }
        case NE -> {
          for (int i = 0; i < count; i++) {
            int row = positions[i];
            positions[kept] = row;
            kept += longs.getLong(row) != bound ? 1 : 0;
          }
        }
        case LT -> {
          for (int i = 0; i < count; i++) {
            int row = positions[i];
            positions[kept] = row;
            kept += longs.getLong(row) < bound ? 1 : 0;
          }
        }
        case LE -> {
          for (int i = 0; i < count; i++) {
            int row = positions[i];
            positions[kept] = row;
            kept += longs.getLong(row) <= bound ? 1 : 0;
          }
        }
        case GT -> {
          for (int i = 0; i < count; i++) {
            int row = positions[i];
            positions[kept] = row;
            kept += longs.getLong(row) > bound ? 1 : 0;
          }
        }
        case GE -> {
          for (int i = 0; i < count; i++) {
            int row = positions[i];
            positions[kept] = row;
            kept += longs.getLong(row) >= bound ? 1 : 0;
          }
        }
        case NULL_SAFE_EQ -> throw new IllegalStateException("<=> has no selection kernel");
      }
      return kept;
    }

    /**
     * The operand in the comparison's representation; decimals of any scale compare as they are.
     */
    private ColumnVector operand(ColumnVector argument) {
      if (compareType.kind() == TypeKind.DECIMAL && argument.type().kind() == TypeKind.DECIMAL) {
        return argument;
      }
      return Casts.toRepresentation(argument, compareType);
    }

    /**
     * Two scaled-long decimal operands as longs at their common scale, or {@code null} when either
     * is boxed or rescaling overflows (they then compare as {@link java.math.BigDecimal}s).
     */
    private static LongVector[] sameScaleLongs(ColumnVector left, ColumnVector right) {
      if (!(left instanceof DecimalVector a && a.isScaledLong())
          || !(right instanceof DecimalVector b && b.isScaledLong())) {
        return null;
      }
      int scale = Math.max(a.scale(), b.scale());
      try {
        return new LongVector[] {atScale(a, scale), atScale(b, scale)};
      } catch (ArithmeticException beyondLong) {
        return null;
      }
    }

    /**
     * Two 128-bit operands (LARGEINTs, or unboxed decimals as unscaled integers at their common
     * scale) as halves, or {@code null} when either is boxed or rescaling leaves 128 bits.
     */
    private static LargeIntVector[] sameScaleInt128s(ColumnVector left, ColumnVector right) {
      if (left instanceof LargeIntVector a && right instanceof LargeIntVector b) {
        return new LargeIntVector[] {a, b};
      }
      if (!(left instanceof DecimalVector a && a.isUnboxed())
          || !(right instanceof DecimalVector b && b.isUnboxed())) {
        return null;
      }
      int scale = Math.max(a.scale(), b.scale());
      try {
        return new LargeIntVector[] {int128AtScale(a, scale), int128AtScale(b, scale)};
      } catch (ArithmeticException beyond128Bits) {
        return null;
      }
    }

    /** The unscaled 128-bit values of {@code decimals} at the larger or equal {@code scale}. */
    private static LargeIntVector int128AtScale(DecimalVector decimals, int scale) {
      int size = decimals.size();
      long[] highs = new long[size];
      long[] lows = new long[size];
      int shift = scale - decimals.scale();
      long factorHigh = Int128.powerOfTenHigh(shift);
      long factorLow = Int128.powerOfTenLow(shift);
      boolean nullable = decimals.mayHaveNulls();
      for (int i = 0; i < size; i++) {
        if (!nullable || !decimals.isNull(i)) {
          if (shift == 0) {
            highs[i] = decimals.getHigh(i);
            lows[i] = decimals.getLow(i);
          } else {
            Int128.multiply(
                decimals.getHigh(i), decimals.getLow(i), factorHigh, factorLow, highs, lows, i);
          }
        }
      }
      return new LargeIntVector(DataType.LARGEINT, highs, lows, null, size);
    }

    /** The unscaled values of {@code decimals} at {@code scale}; null rows are left as they are. */
    private static LongVector atScale(DecimalVector decimals, int scale) {
      int size = decimals.size();
      long[] values = new long[size];
      int from = decimals.scale();
      boolean nullable = decimals.mayHaveNulls();
      for (int i = 0; i < size; i++) {
        if (!nullable || !decimals.isNull(i)) {
          values[i] = ScaledDecimals.scaleUp(decimals.getUnscaled(i), from, scale);
        }
      }
      return new LongVector(DataType.BIGINT, values, null, size);
    }

    /**
     * Compares two LONG-layout operands; a constant one (either side, {@link Kernels#rowMask}) gets
     * a loop that holds it in a local, the others index their vectors by the row alone.
     */
    private void compareLongs(LongVector a, LongVector b, long[] out, int rowCount) {
      boolean leftConstant = Kernels.isConstant(a, rowCount);
      boolean rightConstant = Kernels.isConstant(b, rowCount);
      if (leftConstant && rightConstant) {
        java.util.Arrays.fill(
            out, comparison.test(Long.compare(a.getLong(0), b.getLong(0))) ? 1 : 0);
      } else if (rightConstant) {
        compareWithConstant(comparison, a, b.getLong(0), out, rowCount);
      } else if (leftConstant) {
        compareWithConstant(comparison.flipped(), b, a.getLong(0), out, rowCount);
      } else {
        switch (comparison) {
          case EQ, NULL_SAFE_EQ -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getLong(i) == b.getLong(i) ? 1 : 0;
            }
          }
          case NE -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getLong(i) != b.getLong(i) ? 1 : 0;
            }
          }
          case LT -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getLong(i) < b.getLong(i) ? 1 : 0;
            }
          }
          case LE -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getLong(i) <= b.getLong(i) ? 1 : 0;
            }
          }
          case GT -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getLong(i) > b.getLong(i) ? 1 : 0;
            }
          }
          case GE -> {
            for (int i = 0; i < rowCount; i++) {
              out[i] = a.getLong(i) >= b.getLong(i) ? 1 : 0;
            }
          }
        }
      }
    }

    /** {@code column <op> constant} for every row. */
    private static void compareWithConstant(
        Comparison op, LongVector column, long constant, long[] out, int rowCount) {
      switch (op) {
        case EQ, NULL_SAFE_EQ -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getLong(i) == constant ? 1 : 0;
          }
        }
        case NE -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getLong(i) != constant ? 1 : 0;
          }
        }
        case LT -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getLong(i) < constant ? 1 : 0;
          }
        }
        case LE -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getLong(i) <= constant ? 1 : 0;
          }
        }
        case GT -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getLong(i) > constant ? 1 : 0;
          }
        }
        case GE -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getLong(i) >= constant ? 1 : 0;
          }
        }
      }
    }

    /**
     * Compares two DOUBLE operands as {@link #compareLongs} compares longs: a constant one (either
     * side; flipping the comparison is exact, NaN included) is held in a local.
     */
    private void compareDoubles(DoubleVector a, DoubleVector b, long[] out, int rowCount) {
      int leftMask = Kernels.rowMask(a, rowCount);
      int rightMask = Kernels.rowMask(b, rowCount);
      if ((leftMask == 0) != (rightMask == 0)) {
        boolean rightConstant = rightMask == 0;
        compareWithConstant(
            rightConstant ? comparison : comparison.flipped(),
            rightConstant ? a : b,
            (rightConstant ? b : a).getDouble(0),
            out,
            rowCount);
        return;
      }
      switch (comparison) {
        case EQ, NULL_SAFE_EQ -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = a.getDouble(i & leftMask) == b.getDouble(i & rightMask) ? 1 : 0;
          }
        }
        case NE -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = a.getDouble(i & leftMask) != b.getDouble(i & rightMask) ? 1 : 0;
          }
        }
        case LT -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = a.getDouble(i & leftMask) < b.getDouble(i & rightMask) ? 1 : 0;
          }
        }
        case LE -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = a.getDouble(i & leftMask) <= b.getDouble(i & rightMask) ? 1 : 0;
          }
        }
        case GT -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = a.getDouble(i & leftMask) > b.getDouble(i & rightMask) ? 1 : 0;
          }
        }
        case GE -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = a.getDouble(i & leftMask) >= b.getDouble(i & rightMask) ? 1 : 0;
          }
        }
      }
    }

    /** {@code column <op> constant} for every row of a DOUBLE column. */
    private static void compareWithConstant(
        Comparison op, DoubleVector column, double constant, long[] out, int rowCount) {
      switch (op) {
        case EQ, NULL_SAFE_EQ -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getDouble(i) == constant ? 1 : 0;
          }
        }
        case NE -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getDouble(i) != constant ? 1 : 0;
          }
        }
        case LT -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getDouble(i) < constant ? 1 : 0;
          }
        }
        case LE -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getDouble(i) <= constant ? 1 : 0;
          }
        }
        case GT -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getDouble(i) > constant ? 1 : 0;
          }
        }
        case GE -> {
          for (int i = 0; i < rowCount; i++) {
            out[i] = column.getDouble(i) >= constant ? 1 : 0;
          }
        }
      }
    }
  }
}
