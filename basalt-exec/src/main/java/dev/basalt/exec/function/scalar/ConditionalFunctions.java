package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.ScalarFunctionResolver;
import dev.basalt.exec.function.TypeCoercion;
import dev.basalt.exec.function.cast.Casts;
import java.util.Collections;
import java.util.List;

/**
 * Conditional and NULL-handling functions, and {@code greatest}/{@code least}.
 *
 * <ul>
 *   <li>{@code if(c, a, b)}: {@link TypeCoercion#commonType} of a and b; a NULL or false condition
 *       picks b.
 *   <li>{@code ifnull(a, b)}, {@code nvl(a, b)}, {@code coalesce(a, ...)}: common type; first
 *       non-NULL argument.
 *   <li>{@code nullif(a, b)}: type of a; NULL when a equals b (compared as the {@code eq} operator
 *       does), else a.
 *   <li>{@code isnull(x)}, {@code isnotnull(x)}: BOOLEAN, never NULL.
 *   <li>{@code greatest(a, ...)}, {@code least(a, ...)}: common type; NULL if any argument is NULL
 *       (MySQL); strings compare by UTF-8 bytes.
 *   <li>{@code xor(a, b)} (the planner's form of MySQL's {@code a XOR b}): BOOLEAN; NULL if either
 *       side is NULL, else whether exactly one side is true (non-zero).
 *   <li>{@code nvl2(x, a, b)}: a when x is not NULL, else b; common type of a and b.
 * </ul>
 *
 * {@code if}, {@code ifnull}, {@code coalesce}, {@code nvl2}, {@code nullif}, {@code greatest},
 * {@code least} and {@code xor} run as typed kernels ({@link ConditionalKernels}) when their
 * arguments' vectors allow. Stateless and thread safe.
 */
public final class ConditionalFunctions {
  private ConditionalFunctions() {}

  public static void register(FunctionRegistry.Builder builder) {
    builder.scalar(
        types -> {
          ScalarFunction rowWise = IF_ROW_WISE.resolve(types);
          if (rowWise == null) {
            return null;
          }
          DataType type = rowWise.returnType();
          DataType condition = types.get(0);
          boolean typed =
              (condition.kind() == TypeKind.BOOLEAN || VectorKernels.isLongInteger(condition))
                  && type.kind() != TypeKind.NULL
                  && ConditionalKernels.convertsTyped(types.get(1), type)
                  && ConditionalKernels.convertsTyped(types.get(2), type);
          return typed ? ConditionalKernels.ifThenElse("if", type) : rowWise;
        },
        "if");
    builder.scalar(
        types -> types.size() != 2 ? null : typedCoalesce("ifnull", types), "ifnull", "nvl");
    ScalarFunction typedXor = ConditionalKernels.xor("xor");
    builder.scalar(
        types ->
            types.size() == 2
                    && types.stream()
                        .allMatch(
                            type ->
                                type.kind() == TypeKind.BOOLEAN
                                    || VectorKernels.isDoubleOrLongInteger(type))
                ? typedXor
                : XOR_ROW_WISE.resolve(types),
        "xor");
    builder.scalar(
        types -> {
          ScalarFunction rowWise = NVL2_ROW_WISE.resolve(types);
          if (rowWise == null) {
            return null;
          }
          DataType type = rowWise.returnType();
          boolean typed =
              type.kind() != TypeKind.NULL
                  && !type.kind().isSketch()
                  && ConditionalKernels.convertsTyped(types.get(1), type)
                  && ConditionalKernels.convertsTyped(types.get(2), type);
          return typed ? ConditionalKernels.nvl2("nvl2", type) : rowWise;
        },
        "nvl2");
    builder.scalar(types -> types.isEmpty() ? null : typedCoalesce("coalesce", types), "coalesce");
    builder.scalar(
        types -> {
          ScalarFunction rowWise = NULLIF_ROW_WISE.resolve(types);
          if (rowWise == null || types.get(0).kind() == TypeKind.NULL) {
            return rowWise;
          }
          ScalarFunction equals =
              ComparisonFunctions.resolve(ComparisonFunctions.Comparison.EQ, types);
          return equals == null
              ? rowWise
              : ConditionalKernels.nullIf("nullif", types.get(0), equals);
        },
        "nullif");
    builder.scalar(
        types ->
            types.size() != 1
                ? null
                : RowWiseScalarFunction.nullAware(
                    "isnull", DataType.BOOLEAN, types, types, (a, c) -> a[0] == null),
        "isnull");
    builder.scalar(
        types ->
            types.size() != 1
                ? null
                : RowWiseScalarFunction.nullAware(
                    "isnotnull", DataType.BOOLEAN, types, types, (a, c) -> a[0] != null),
        "isnotnull");
    builder.scalar(types -> extreme("greatest", types, 1), "greatest");
    builder.scalar(types -> extreme("least", types, -1), "least");
  }

  /** The row-wise {@code if}: the reference of its typed kernel. */
  static final ScalarFunctionResolver IF_ROW_WISE =
      types -> {
        if (types.size() != 3) {
          return null;
        }
        DataType type = TypeCoercion.commonType(types.get(1), types.get(2));
        return RowWiseScalarFunction.nullAware(
            "if",
            type,
            types,
            List.of(DataType.BOOLEAN, type, type),
            (a, c) -> Boolean.TRUE.equals(a[0]) ? a[1] : a[2]);
      };

  /** The row-wise {@code xor}: the reference of its typed kernel. */
  static final ScalarFunctionResolver XOR_ROW_WISE =
      Signatures.rowWise(
          "xor",
          DataType.BOOLEAN,
          List.of(DataType.DOUBLE, DataType.DOUBLE),
          (a, c) -> ((Double) a[0] != 0) != ((Double) a[1] != 0));

  /** The row-wise {@code nvl2}: the reference of its typed kernel. */
  static final ScalarFunctionResolver NVL2_ROW_WISE =
      types -> {
        if (types.size() != 3) {
          return null;
        }
        DataType type = TypeCoercion.commonType(types.get(1), types.get(2));
        return RowWiseScalarFunction.nullAware(
            "nvl2",
            type,
            types,
            List.of(types.get(0), type, type),
            (a, c) -> a[0] != null ? a[1] : a[2]);
      };

  /** The row-wise {@code nullif}: the reference of its typed kernel. */
  static final ScalarFunctionResolver NULLIF_ROW_WISE =
      types -> {
        if (types.size() != 2) {
          return null;
        }
        DataType left = types.get(0);
        DataType right = types.get(1);
        DataType compareType = TypeCoercion.comparisonType(left, right);
        return RowWiseScalarFunction.nullAware(
            "nullif",
            left,
            types,
            List.of(left, right),
            (a, c) -> {
              if (a[0] == null || a[1] == null) {
                return a[0];
              }
              Object x = Casts.convert(a[0], left, compareType);
              Object y = Casts.convert(a[1], right, compareType);
              // -0.0 equals 0.0 here, as for the eq operator (MySQL: NULLIF(-0.0e0, 0) is NULL).
              boolean equal =
                  x instanceof Double first && y instanceof Double second
                      ? first.doubleValue() == second.doubleValue()
                      : x != null && y != null && compareValues(x, y) == 0;
              return equal ? null : a[0];
            });
      };

  /**
   * {@code coalesce} and {@code ifnull}: the typed kernel when every argument converts typed to the
   * common type, else the row-wise {@link #coalesce}.
   */
  private static ScalarFunction typedCoalesce(String name, List<DataType> types) {
    DataType type = commonTypeOf(types);
    boolean typed =
        type.kind() != TypeKind.NULL
            && !type.kind().isSketch()
            && types.stream()
                .allMatch(argument -> ConditionalKernels.convertsTyped(argument, type));
    return typed ? ConditionalKernels.coalesce(name, type) : coalesce(name, types);
  }

  /** The common type of all {@code types}. */
  static DataType commonTypeOf(List<DataType> types) {
    DataType type = DataType.NULL;
    for (DataType argument : types) {
      type = TypeCoercion.commonType(type, argument);
    }
    return type;
  }

  /** The row-wise {@code coalesce} and {@code ifnull}: the reference of their typed kernel. */
  static ScalarFunction coalesce(String name, List<DataType> types) {
    DataType type = commonTypeOf(types);
    return RowWiseScalarFunction.nullAware(
        name,
        type,
        types,
        Collections.nCopies(types.size(), type),
        (a, c) -> {
          for (Object value : a) {
            if (value != null) {
              return value;
            }
          }
          return null;
        });
  }

  /**
   * {@code greatest} and {@code least}: the typed kernel when every argument converts typed to the
   * common type, else the row-wise {@link #extremeRowWise}.
   */
  private static ScalarFunction extreme(String name, List<DataType> types, int direction) {
    ScalarFunction rowWise = extremeRowWise(name, types, direction);
    if (rowWise == null) {
      return null;
    }
    DataType type = rowWise.returnType();
    boolean typed =
        !type.kind().isSketch()
            && types.stream()
                .allMatch(argument -> ConditionalKernels.convertsTyped(argument, type));
    return typed ? ConditionalKernels.extreme(name, type, direction) : rowWise;
  }

  /** The row-wise {@code greatest} and {@code least}: the reference of their typed kernel. */
  static ScalarFunction extremeRowWise(String name, List<DataType> types, int direction) {
    if (types.size() < 2) {
      return null;
    }
    DataType type = commonTypeOf(types);
    if (type.kind() == TypeKind.NULL) {
      type = DataType.BIGINT;
    }
    return RowWiseScalarFunction.of(
        name,
        type,
        types,
        Collections.nCopies(types.size(), type),
        (a, c) -> {
          Object best = a[0];
          for (int i = 1; i < a.length; i++) {
            if (compareValues(a[i], best) * direction > 0) {
              best = a[i];
            }
          }
          return best;
        });
  }

  /**
   * Orders two non-null values of one type: strings by UTF-8 bytes (code point order), everything
   * else by its natural order.
   */
  @SuppressWarnings("unchecked")
  public static int compareValues(Object left, Object right) {
    if (left instanceof String a && right instanceof String b) {
      return compareUtf8(a, b);
    }
    return ((Comparable<Object>) left).compareTo(right);
  }

  /** Compares strings as their UTF-8 bytes would compare (the same as code point order). */
  public static int compareUtf8(String left, String right) {
    int i = 0;
    int j = 0;
    while (i < left.length() && j < right.length()) {
      int a = left.codePointAt(i);
      int b = right.codePointAt(j);
      if (a != b) {
        return Integer.compare(a, b);
      }
      i += Character.charCount(a);
      j += Character.charCount(b);
    }
    return Boolean.compare(i < left.length(), j < right.length());
  }
}
