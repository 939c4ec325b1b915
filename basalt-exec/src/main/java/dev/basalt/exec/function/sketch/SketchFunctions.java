package dev.basalt.exec.function.sketch;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.exec.function.FunctionFamily;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunctionResolver;
import dev.basalt.exec.function.scalar.HashFunctions;
import dev.basalt.exec.function.scalar.RowWiseScalarFunction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.tdigest.TDigestDouble;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/**
 * The BITMAP, HLL and QUANTILE_STATE functions of Doris (docs/sql.md, "Sketch types"): the scalar
 * functions here, the aggregates in {@link SketchAggregates}. Constructors ({@code to_bitmap},
 * {@code bitmap_hash}, {@code hll_hash}, {@code to_quantile_state}) and the counting functions
 * ({@code bitmap_count}, {@code hll_cardinality}) are never NULL, as in Doris: a NULL or invalid
 * input makes an empty sketch, and an empty or NULL sketch counts 0. The set operations except
 * {@code bitmap_or} are NULL when an argument is; {@code bitmap_or} skips NULL arguments.
 * Stateless.
 */
public final class SketchFunctions implements FunctionFamily {

  @Override
  public void register(FunctionRegistry.Builder builder) {
    registerBitmapFunctions(builder);
    registerHllFunctions(builder);
    registerQuantileFunctions(builder);
    SketchAggregates.register(builder);
    builder.acceptSketches(SKETCH_NAMES);
    // Generic functions Doris also allows on sketches: they pass a value through unchanged.
    builder.acceptSketches("if", "ifnull", "nvl", "coalesce", "count", "any_value");
  }

  private static final String[] SKETCH_NAMES = {
    "to_bitmap",
    "bitmap_hash",
    "bitmap_hash64",
    "bitmap_empty",
    "bitmap_from_string",
    "bitmap_to_string",
    "bitmap_count",
    "bitmap_min",
    "bitmap_max",
    "bitmap_and",
    "bitmap_xor",
    "bitmap_or",
    "bitmap_and_not",
    "bitmap_andnot",
    "bitmap_not",
    "bitmap_has_any",
    "bitmap_has_all",
    "bitmap_contains",
    "hll_hash",
    "hll_empty",
    "hll_cardinality",
    "to_quantile_state",
    "quantile_percent",
    "bitmap_union",
    "bitmap_union_count",
    "bitmap_intersect",
    "intersect_count",
    "hll_union",
    "hll_raw_agg",
    "hll_union_agg",
    "quantile_union"
  };

  private static void registerBitmapFunctions(FunctionRegistry.Builder builder) {
    builder.scalar(
        types ->
            types.size() == 1 && isIntegerOrText(types.get(0))
                ? RowWiseScalarFunction.nullAware(
                    "to_bitmap",
                    DataType.BITMAP,
                    types,
                    List.of(textOrBigint(types.get(0))),
                    (a, c) -> {
                      Roaring64NavigableMap bitmap = BitmapValues.empty();
                      Long value = unsignedValue(a[0]);
                      if (value != null) {
                        bitmap.addLong(value);
                      }
                      return BitmapValues.serialize(bitmap);
                    })
                : null,
        "to_bitmap");
    builder.scalar(
        hashToBitmap(
            "bitmap_hash",
            utf8 ->
                Integer.toUnsignedLong(
                    HashFunctions.murmur3x86Hash32(utf8, HashFunctions.MURMUR3_32_SEED))),
        "bitmap_hash");
    builder.scalar(hashToBitmap("bitmap_hash64", Murmur3::x64Hash64), "bitmap_hash64");
    builder.scalar(
        types ->
            types.isEmpty()
                ? RowWiseScalarFunction.of(
                    "bitmap_empty",
                    DataType.BITMAP,
                    types,
                    types,
                    (a, c) -> BitmapValues.serializedEmpty())
                : null,
        "bitmap_empty");
    builder.scalar(
        types ->
            types.size() == 1 && isTextArgument(types.get(0))
                ? RowWiseScalarFunction.of(
                    "bitmap_from_string",
                    DataType.BITMAP,
                    types,
                    List.of(DataType.STRING),
                    (a, c) -> {
                      Roaring64NavigableMap bitmap = BitmapValues.parse((String) a[0]);
                      return bitmap == null ? null : BitmapValues.serialize(bitmap);
                    })
                : null,
        "bitmap_from_string");
    builder.scalar(
        bitmapFunction(
            "bitmap_to_string", DataType.STRING, false, a -> BitmapValues.toText(bitmap(a[0]))),
        "bitmap_to_string");
    builder.scalar(
        bitmapFunction(
            "bitmap_count",
            DataType.BIGINT,
            true,
            a -> a[0] == null ? 0L : bitmap(a[0]).getLongCardinality()),
        "bitmap_count");
    builder.scalar(
        bitmapFunction(
            "bitmap_min",
            DataType.BIGINT,
            false,
            a -> {
              Roaring64NavigableMap bitmap = bitmap(a[0]);
              return bitmap.isEmpty() ? null : bitmap.first();
            }),
        "bitmap_min");
    builder.scalar(
        bitmapFunction(
            "bitmap_max",
            DataType.BIGINT,
            false,
            a -> {
              Roaring64NavigableMap bitmap = bitmap(a[0]);
              return bitmap.isEmpty() ? null : bitmap.last();
            }),
        "bitmap_max");
    builder.scalar(setOperation("bitmap_and", Roaring64NavigableMap::and), "bitmap_and");
    builder.scalar(setOperation("bitmap_xor", Roaring64NavigableMap::xor), "bitmap_xor");
    builder.scalar(
        types ->
            types.size() >= 2 && types.stream().allMatch(SketchFunctions::isBitmapArgument)
                ? RowWiseScalarFunction.nullAware(
                    "bitmap_or",
                    DataType.BITMAP,
                    types,
                    Collections.nCopies(types.size(), DataType.BITMAP),
                    (a, c) -> {
                      Roaring64NavigableMap result = null;
                      for (Object argument : a) {
                        if (argument == null) {
                          continue;
                        }
                        if (result == null) {
                          result = bitmap(argument);
                        } else {
                          result.or(bitmap(argument));
                        }
                      }
                      return result == null ? null : BitmapValues.serialize(result);
                    })
                : null,
        "bitmap_or");
    builder.scalar(
        binaryBitmapFunction(
            "bitmap_and_not",
            DataType.BITMAP,
            (left, right) -> {
              left.andNot(right);
              return BitmapValues.serialize(left);
            }),
        "bitmap_and_not",
        "bitmap_andnot",
        "bitmap_not");
    builder.scalar(
        binaryBitmapFunction(
            "bitmap_has_any",
            DataType.BOOLEAN,
            (left, right) -> {
              left.and(right);
              return !left.isEmpty();
            }),
        "bitmap_has_any");
    builder.scalar(
        binaryBitmapFunction(
            "bitmap_has_all",
            DataType.BOOLEAN,
            (left, right) -> {
              right.andNot(left);
              return right.isEmpty();
            }),
        "bitmap_has_all");
    builder.scalar(
        types ->
            types.size() == 2 && isBitmapArgument(types.get(0)) && isIntegerOrText(types.get(1))
                ? RowWiseScalarFunction.of(
                    "bitmap_contains",
                    DataType.BOOLEAN,
                    types,
                    List.of(DataType.BITMAP, textOrBigint(types.get(1))),
                    (a, c) -> {
                      Long value = unsignedValue(a[1]);
                      return value != null && bitmap(a[0]).contains(value);
                    })
                : null,
        "bitmap_contains");
  }

  private static void registerHllFunctions(FunctionRegistry.Builder builder) {
    builder.scalar(
        types ->
            types.size() == 1 && hashable(types.get(0))
                ? RowWiseScalarFunction.nullAware(
                    "hll_hash",
                    DataType.HLL,
                    types,
                    List.of(DataType.STRING),
                    (a, c) -> {
                      HllSketch sketch = HllValues.empty();
                      if (a[0] != null) {
                        sketch.update(((String) a[0]).getBytes(StandardCharsets.UTF_8));
                      }
                      return HllValues.serialize(sketch);
                    })
                : null,
        "hll_hash");
    builder.scalar(
        types ->
            types.isEmpty()
                ? RowWiseScalarFunction.of(
                    "hll_empty", DataType.HLL, types, types, (a, c) -> HllValues.serializedEmpty())
                : null,
        "hll_empty");
    builder.scalar(
        types ->
            types.size() == 1 && isKind(types.get(0), TypeKind.HLL)
                ? RowWiseScalarFunction.nullAware(
                    "hll_cardinality",
                    DataType.BIGINT,
                    types,
                    List.of(DataType.HLL),
                    (a, c) ->
                        a[0] == null
                            ? 0L
                            : HllValues.cardinality(HllValues.deserialize((byte[]) a[0])))
                : null,
        "hll_cardinality");
  }

  private static void registerQuantileFunctions(FunctionRegistry.Builder builder) {
    builder.scalar(
        types ->
            (types.size() == 1 || types.size() == 2 && isInteger(types.get(1)))
                    && (isNumericArgument(types.get(0)) || types.get(0).kind().isString())
                ? RowWiseScalarFunction.nullAware(
                    "to_quantile_state",
                    DataType.QUANTILE_STATE,
                    types,
                    types.size() == 1
                        ? List.of(DataType.DOUBLE)
                        : List.of(DataType.DOUBLE, DataType.BIGINT),
                    (a, c) -> {
                      int compression = compression(a.length == 1 ? null : a[1]);
                      TDigestDouble digest = QuantileStates.empty(compression);
                      if (a[0] != null) {
                        digest.update((Double) a[0]);
                      }
                      return QuantileStates.serialize(digest);
                    })
                : null,
        "to_quantile_state");
    builder.scalar(
        types ->
            types.size() == 2
                    && isKind(types.get(0), TypeKind.QUANTILE_STATE)
                    && isNumericArgument(types.get(1))
                ? RowWiseScalarFunction.of(
                    "quantile_percent",
                    DataType.DOUBLE,
                    types,
                    List.of(DataType.QUANTILE_STATE, DataType.DOUBLE),
                    (a, c) -> {
                      double fraction = (Double) a[1];
                      if (!(fraction >= 0 && fraction <= 1)) {
                        throw new BasaltException(
                            ErrorCode.ANALYSIS_ERROR,
                            "quantile_percent: the percentile must be between 0 and 1, not "
                                + fraction);
                      }
                      return QuantileStates.percent(
                          QuantileStates.deserialize((byte[]) a[0]), fraction);
                    })
                : null,
        "quantile_percent");
  }

  /** The t-digest compression of {@code to_quantile_state}: 2048 to 10000, default 2048. */
  private static int compression(Object value) {
    if (value == null) {
      return QuantileStates.DEFAULT_COMPRESSION;
    }
    long compression = (Long) value;
    if (compression < QuantileStates.MIN_COMPRESSION
        || compression > QuantileStates.MAX_COMPRESSION) {
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR,
          "to_quantile_state: compression must be between "
              + QuantileStates.MIN_COMPRESSION
              + " and "
              + QuantileStates.MAX_COMPRESSION
              + ", not "
              + compression);
    }
    return (int) compression;
  }

  /** A function of BITMAP arguments given as deserialized bitmaps through {@code a}. */
  @FunctionalInterface
  private interface BitmapBody {
    Object apply(Object[] arguments);
  }

  @FunctionalInterface
  private interface PairBody {
    Object apply(Roaring64NavigableMap left, Roaring64NavigableMap right);
  }

  @FunctionalInterface
  private interface SetUpdate {
    void apply(Roaring64NavigableMap into, Roaring64NavigableMap other);
  }

  @FunctionalInterface
  private interface TextHash {
    long hash(byte[] utf8);
  }

  private static ScalarFunctionResolver bitmapFunction(
      String name, DataType returnType, boolean seesNull, BitmapBody body) {
    return types -> {
      if (types.size() != 1 || !isBitmapArgument(types.get(0))) {
        return null;
      }
      RowWiseScalarFunction.Body rowBody = (a, c) -> body.apply(a);
      return seesNull
          ? RowWiseScalarFunction.nullAware(
              name, returnType, types, List.of(DataType.BITMAP), rowBody)
          : RowWiseScalarFunction.of(name, returnType, types, List.of(DataType.BITMAP), rowBody);
    };
  }

  private static ScalarFunctionResolver binaryBitmapFunction(
      String name, DataType returnType, PairBody body) {
    return types ->
        types.size() == 2 && isBitmapArgument(types.get(0)) && isBitmapArgument(types.get(1))
            ? RowWiseScalarFunction.of(
                name,
                returnType,
                types,
                List.of(DataType.BITMAP, DataType.BITMAP),
                (a, c) -> body.apply(bitmap(a[0]), bitmap(a[1])))
            : null;
  }

  /** {@code bitmap_and}, {@code bitmap_xor}: two or more bitmaps, NULL when any is. */
  private static ScalarFunctionResolver setOperation(String name, SetUpdate update) {
    return types ->
        types.size() >= 2 && types.stream().allMatch(SketchFunctions::isBitmapArgument)
            ? RowWiseScalarFunction.of(
                name,
                DataType.BITMAP,
                types,
                Collections.nCopies(types.size(), DataType.BITMAP),
                (a, c) -> {
                  Roaring64NavigableMap result = bitmap(a[0]);
                  for (int i = 1; i < a.length; i++) {
                    update.apply(result, bitmap(a[i]));
                  }
                  return BitmapValues.serialize(result);
                })
            : null;
  }

  /** {@code bitmap_hash}, {@code bitmap_hash64}: the bitmap of one hash of the text. */
  private static ScalarFunctionResolver hashToBitmap(String name, TextHash hash) {
    return types ->
        types.size() == 1 && hashable(types.get(0))
            ? RowWiseScalarFunction.nullAware(
                name,
                DataType.BITMAP,
                types,
                List.of(DataType.STRING),
                (a, c) -> {
                  Roaring64NavigableMap bitmap = BitmapValues.empty();
                  if (a[0] != null) {
                    bitmap.addLong(hash.hash(((String) a[0]).getBytes(StandardCharsets.UTF_8)));
                  }
                  return BitmapValues.serialize(bitmap);
                })
            : null;
  }

  private static Roaring64NavigableMap bitmap(Object serialized) {
    return BitmapValues.deserialize((byte[]) serialized);
  }

  /**
   * A BIGINT or the text of an unsigned integer as a bitmap member; {@code null} for NULL, a
   * negative number or text that is no unsigned integer.
   */
  private static Long unsignedValue(Object value) {
    return switch (value) {
      case null -> null;
      case Long number -> number < 0 ? null : number;
      case String text -> BitmapValues.parseUnsigned(text.strip());
      default -> null;
    };
  }

  private static DataType textOrBigint(DataType type) {
    return type.kind().isString() ? DataType.STRING : DataType.BIGINT;
  }

  private static boolean isKind(DataType type, TypeKind kind) {
    return type.kind() == kind || type.kind() == TypeKind.NULL;
  }

  private static boolean isBitmapArgument(DataType type) {
    return isKind(type, TypeKind.BITMAP);
  }

  private static boolean isTextArgument(DataType type) {
    return type.kind().isString() || type.kind() == TypeKind.NULL;
  }

  private static boolean isInteger(DataType type) {
    return type.kind().isInteger() && type.kind() != TypeKind.LARGEINT
        || type.kind() == TypeKind.BOOLEAN
        || type.kind() == TypeKind.NULL;
  }

  private static boolean isIntegerOrText(DataType type) {
    return isInteger(type) || type.kind().isString();
  }

  private static boolean isNumericArgument(DataType type) {
    return type.kind().isNumeric() || type.kind() == TypeKind.NULL;
  }

  /** Whether {@code hll_hash} and {@code bitmap_hash} take the type: any value with a text form. */
  private static boolean hashable(DataType type) {
    return !type.kind().isSketch();
  }
}
