package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.TypeCoercion;
import dev.basalt.exec.function.cast.Casts;
import java.util.List;

/**
 * Typed kernels of {@code coalesce}, {@code ifnull}, {@code if}, {@code nvl2}, {@code nullif},
 * {@code greatest}, {@code least} and {@code xor} ({@link ConditionalFunctions} registers them and
 * keeps the row-wise bodies as the reference). Each picks, per row, which argument gives the result
 * (or none: NULL), then {@link #choose} copies the picked values with one loop per physical layout.
 * The value arguments are first brought to the result type by {@link Casts#toRepresentation} (a
 * typed widening: integers to BIGINT, DECIMAL or DOUBLE, a DECIMAL to a larger scale); any may be a
 * constant vector. Stateless and thread safe.
 */
final class ConditionalKernels {
  private ConditionalKernels() {}

  /**
   * Whether a value of {@code from} reaches {@code to} by a typed conversion that gives what the
   * row-wise body's {@link Casts#convert} gives: the same representation, or a numeric widening.
   */
  static boolean convertsTyped(DataType from, DataType to) {
    if (from.kind() == TypeKind.NULL || Casts.isRepresentationCompatible(from, to)) {
      return true;
    }
    TypeKind source = from.kind();
    boolean integer = source.isInteger() && source != TypeKind.LARGEINT;
    return switch (to.kind()) {
      case BIGINT -> integer;
      case DECIMAL ->
          (integer || source == TypeKind.DECIMAL)
              && TypeCoercion.asDecimal(from).scale() <= to.scale();
      case DOUBLE -> integer || source == TypeKind.FLOAT || source == TypeKind.DECIMAL;
      default -> false;
    };
  }

  /** {@code coalesce(a, ...)} and {@code ifnull(a, b)}: the first non-NULL argument. */
  static ScalarFunction coalesce(String name, DataType type) {
    return new KernelFunction(name, type) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        ColumnVector[] sources = converted(arguments, 0, type);
        int[] masks = masks(sources, rowCount);
        int[] which = new int[rowCount];
        java.util.Arrays.fill(which, -1);
        int undecided = rowCount;
        for (int source = 0; source < sources.length && undecided > 0; source++) {
          ColumnVector vector = sources[source];
          int mask = masks[source];
          for (int row = 0; row < rowCount; row++) {
            if (which[row] < 0 && !vector.isNull(row & mask)) {
              which[row] = source;
              undecided--;
            }
          }
        }
        return choose(type, sources, masks, which, rowCount);
      }
    };
  }

  /** {@code if(condition, a, b)}: a where the condition is TRUE, else b (also for NULL). */
  static ScalarFunction ifThenElse(String name, DataType type) {
    return new KernelFunction(name, type) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector condition = (LongVector) arguments.get(0);
        int conditionMask = Kernels.rowMask(condition, rowCount);
        ColumnVector[] sources = converted(arguments, 1, type);
        int[] which = new int[rowCount];
        for (int row = 0; row < rowCount; row++) {
          int at = row & conditionMask;
          which[row] = !condition.isNull(at) && condition.getLong(at) != 0 ? 0 : 1;
        }
        return choose(type, sources, masks(sources, rowCount), which, rowCount);
      }
    };
  }

  /** {@code nvl2(x, a, b)}: a where x is not NULL, else b. */
  static ScalarFunction nvl2(String name, DataType type) {
    return new KernelFunction(name, type) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        ColumnVector tested = arguments.get(0);
        int testedMask = Kernels.rowMask(tested, rowCount);
        ColumnVector[] sources = converted(arguments, 1, type);
        int[] which = new int[rowCount];
        for (int row = 0; row < rowCount; row++) {
          which[row] = tested.isNull(row & testedMask) ? 1 : 0;
        }
        return choose(type, sources, masks(sources, rowCount), which, rowCount);
      }
    };
  }

  /**
   * {@code xor(a, b)} of BOOLEAN, integer or DOUBLE arguments: NULL if either is NULL, else whether
   * exactly one is non-zero (NaN is non-zero, -0.0 is zero, as the row-wise body's DOUBLEs).
   */
  static ScalarFunction xor(String name) {
    return new KernelFunction(name, DataType.BOOLEAN) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        boolean[] nulls = Kernels.mergeNulls(arguments, rowCount);
        long[] out = new long[rowCount];
        for (ColumnVector argument : arguments) {
          int mask = Kernels.rowMask(argument, rowCount);
          if (argument instanceof DoubleVector doubles) {
            for (int row = 0; row < rowCount; row++) {
              out[row] ^= doubles.getDouble(row & mask) != 0 ? 1 : 0;
            }
          } else {
            LongVector longs = (LongVector) argument;
            for (int row = 0; row < rowCount; row++) {
              out[row] ^= longs.getLong(row & mask) != 0 ? 1 : 0;
            }
          }
        }
        return new LongVector(DataType.BOOLEAN, out, nulls, rowCount);
      }
    };
  }

  /**
   * {@code nullif(a, b)}: NULL where {@code equals} (the {@code eq} operator bound to the two
   * argument types) is TRUE, else a.
   */
  static ScalarFunction nullIf(String name, DataType type, ScalarFunction equals) {
    return new KernelFunction(name, type) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        ColumnVector left = arguments.get(0);
        ColumnVector right = arguments.get(1);
        boolean leftConstant = Kernels.isConstant(left, rowCount);
        boolean rightConstant = Kernels.isConstant(right, rowCount);
        int[] which = new int[rowCount];
        int kept = -1;
        if (leftConstant != rightConstant) {
          // The comparison's own kernel for a column against a constant: the rows it keeps are
          // equal.
          int[] positions = new int[rowCount];
          for (int row = 0; row < rowCount; row++) {
            positions[row] = row;
          }
          kept =
              rightConstant
                  ? equals.selectWithConstant(left, right, false, positions, rowCount)
                  : equals.selectWithConstant(right, left, true, positions, rowCount);
          for (int i = 0; i < kept; i++) {
            which[positions[i]] = -1;
          }
        }
        if (kept < 0) {
          LongVector equal =
              (LongVector)
                  equals.evaluate(
                      List.of(expand(left, rowCount), expand(right, rowCount)), rowCount, context);
          for (int row = 0; row < rowCount; row++) {
            which[row] = !equal.isNull(row) && equal.getLong(row) != 0 ? -1 : 0;
          }
        }
        ColumnVector[] sources = {left};
        return choose(type, sources, masks(sources, rowCount), which, rowCount);
      }
    };
  }

  /**
   * {@code greatest(a, ...)} ({@code direction} 1) or {@code least} (-1): NULL if any argument is,
   * else the first of the largest (smallest) arguments, compared as the row-wise body's {@link
   * ConditionalFunctions#compareValues} does: integers, dates and scaled decimals as longs, DOUBLEs
   * by {@link Double#compare}, strings by unsigned UTF-8 bytes, anything else by its boxed value.
   */
  static ScalarFunction extreme(String name, DataType type, int direction) {
    return new KernelFunction(name, type) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        ColumnVector[] sources = converted(arguments, 0, type);
        int[] masks = masks(sources, rowCount);
        boolean[] nulls = Kernels.mergeNulls(java.util.Arrays.asList(sources), rowCount);
        int[] which = new int[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            which[row] = -1;
            continue;
          }
          int best = 0;
          for (int source = 1; source < sources.length; source++) {
            if (compare(sources, masks, source, best, row) * direction > 0) {
              best = source;
            }
          }
          which[row] = best;
        }
        return choose(type, sources, masks, which, rowCount);
      }
    };
  }

  /** Orders row {@code row} of {@code sources[a]} and {@code sources[b]} (neither NULL). */
  private static int compare(ColumnVector[] sources, int[] masks, int a, int b, int row) {
    int rowA = row & masks[a];
    int rowB = row & masks[b];
    return switch (sources[a]) {
      case LongVector left when sources[b] instanceof LongVector right ->
          Long.compare(left.getLong(rowA), right.getLong(rowB));
      case DoubleVector left when sources[b] instanceof DoubleVector right ->
          Double.compare(left.getDouble(rowA), right.getDouble(rowB));
      case DecimalVector left
          when left.isScaledLong()
              && sources[b] instanceof DecimalVector right
              && right.isScaledLong() ->
          Long.compare(left.getUnscaled(rowA), right.getUnscaled(rowB));
      case BytesVector left when sources[b] instanceof BytesVector right ->
          ComparisonFunctions.compareBytes(
              left.rawBytes(),
              left.offset(rowA),
              left.byteLength(rowA),
              right.rawBytes(),
              right.offset(rowB),
              right.byteLength(rowB),
              false);
      default ->
          ConditionalFunctions.compareValues(
              sources[a].getObject(rowA), sources[b].getObject(rowB));
    };
  }

  /** {@code vector} with {@code rowCount} rows: a constant vector repeated. */
  private static ColumnVector expand(ColumnVector vector, int rowCount) {
    return vector.size() == rowCount
        ? vector
        : ColumnVectorBuilder.constant(vector.type(), vector.getObject(0), rowCount);
  }

  private static ColumnVector[] converted(List<ColumnVector> arguments, int from, DataType type) {
    ColumnVector[] sources = new ColumnVector[arguments.size() - from];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = Casts.toRepresentation(arguments.get(from + i), type);
    }
    return sources;
  }

  private static int[] masks(ColumnVector[] sources, int rowCount) {
    int[] masks = new int[sources.length];
    for (int i = 0; i < sources.length; i++) {
      masks[i] = Kernels.rowMask(sources[i], rowCount);
    }
    return masks;
  }

  /**
   * A vector of {@code type} whose row r is row r of {@code sources[which[r]]} (read through its
   * mask), or NULL where {@code which[r]} is negative. The sources have {@code type}'s
   * representation.
   */
  static ColumnVector choose(
      DataType type, ColumnVector[] sources, int[] masks, int[] which, int rowCount) {
    boolean[] nulls = null;
    for (int row = 0; row < rowCount; row++) {
      int source = which[row];
      if (source < 0 || sources[source].isNull(row & masks[source])) {
        nulls = Kernels.setNull(nulls, row, rowCount);
      }
    }
    switch (sources[0]) {
      case LongVector ignored when allInstances(sources, LongVector.class) -> {
        long[] values = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (!Kernels.isNull(nulls, row)) {
            int source = which[row];
            values[row] = ((LongVector) sources[source]).getLong(row & masks[source]);
          }
        }
        return new LongVector(type, values, nulls, rowCount);
      }
      case DoubleVector ignored when allInstances(sources, DoubleVector.class) -> {
        double[] values = new double[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (!Kernels.isNull(nulls, row)) {
            int source = which[row];
            values[row] = ((DoubleVector) sources[source]).getDouble(row & masks[source]);
          }
        }
        return new DoubleVector(type, values, nulls, rowCount);
      }
      case DecimalVector ignored when allScaledLongs(sources) -> {
        long[] values = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (!Kernels.isNull(nulls, row)) {
            int source = which[row];
            values[row] = ((DecimalVector) sources[source]).getUnscaled(row & masks[source]);
          }
        }
        return new DecimalVector(type, values, nulls, rowCount);
      }
      case BytesVector ignored when allInstances(sources, BytesVector.class) -> {
        int total = 0;
        for (int row = 0; row < rowCount; row++) {
          if (!Kernels.isNull(nulls, row)) {
            int source = which[row];
            total += ((BytesVector) sources[source]).byteLength(row & masks[source]);
          }
        }
        byte[] bytes = new byte[total];
        int[] offsets = new int[rowCount + 1];
        int written = 0;
        for (int row = 0; row < rowCount; row++) {
          if (!Kernels.isNull(nulls, row)) {
            int source = which[row];
            BytesVector strings = (BytesVector) sources[source];
            int at = row & masks[source];
            int length = strings.byteLength(at);
            System.arraycopy(strings.rawBytes(), strings.offset(at), bytes, written, length);
            written += length;
          }
          offsets[row + 1] = written;
        }
        return new BytesVector(type, bytes, offsets, nulls, rowCount);
      }
      default -> {
        // 128-bit and boxed decimals, LARGEINT: typed appends per row.
        ColumnVectorBuilder builder = new ColumnVectorBuilder(type, Math.max(rowCount, 1));
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            builder.appendNull();
          } else {
            int source = which[row];
            builder.appendFrom(sources[source], row & masks[source]);
          }
        }
        return builder.build();
      }
    }
  }

  private static boolean allInstances(ColumnVector[] sources, Class<?> layout) {
    for (ColumnVector source : sources) {
      if (!layout.isInstance(source)) {
        return false;
      }
    }
    return true;
  }

  private static boolean allScaledLongs(ColumnVector[] sources) {
    for (ColumnVector source : sources) {
      if (!(source instanceof DecimalVector decimals) || !decimals.isScaledLong()) {
        return false;
      }
    }
    return true;
  }
}
