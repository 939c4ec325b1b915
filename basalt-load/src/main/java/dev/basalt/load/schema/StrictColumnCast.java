package dev.basalt.load.schema;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.type.ValueText;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.cast.Casts;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.ColumnRewrite;
import java.time.ZoneId;
import java.util.List;

/**
 * Converts a column's stored values to the column's new definition after a schema change, with
 * CAST's vectorized kernel ({@link Casts}) and strict checks, as an INSERT's values are checked: a
 * value CAST turns into NULL (it does not convert, or is out of the new type's range), a NULL where
 * the column is NOT NULL, or a string longer than a CHAR/VARCHAR length is refused with {@link
 * ColumnRewrite.Cancelled} naming the value. The one conversion of a schema change, for the rewrite
 * of stored segments ({@link ColumnRewriter}) and the replay of group-commit logs written before
 * it. Immutable; thread safe.
 */
public final class StrictColumnCast {
  private final ColumnMeta target;
  private final DataType castType;
  private final ScalarFunction cast;
  private final EvaluationContext context =
      EvaluationContext.now(ZoneId.systemDefault(), "schema-change");

  /** Converts values of {@code from} into {@code target}'s type and nullability. */
  public StrictColumnCast(DataType from, ColumnMeta target) {
    this.target = target;
    // A string target is cast to STRING first, so that a value longer than the new length is seen
    // (CAST truncates) and refused instead.
    this.castType = isLengthLimited(target.type().kind()) ? DataType.STRING : target.type();
    this.cast = Casts.resolve(from, castType);
  }

  /**
   * The values of {@code source} (its first {@code rows}) as the target type.
   *
   * @throws ColumnRewrite.Cancelled at the first value that does not fit, naming it
   */
  public ColumnVector convert(ColumnVector source, int rows) {
    ColumnVector result = cast.evaluate(List.of(source), rows, context);
    DataType type = target.type();
    boolean checkNulls = source.mayHaveNulls() || result.mayHaveNulls();
    for (int row = 0; checkNulls && row < rows; row++) {
      if (!result.isNull(row)) {
        continue;
      }
      if (!source.isNull(row)) {
        throw new ColumnRewrite.Cancelled(
            "value '"
                + ValueText.format(source.type(), source.getObject(row))
                + "' of column "
                + target.name()
                + " does not convert to "
                + type.sqlName());
      }
      if (!target.nullable()) {
        throw new ColumnRewrite.Cancelled(
            "column "
                + target.name()
                + " holds NULL, which NOT NULL does not allow; set the rows' values first");
      }
    }
    if (castType != type) {
      result = checkedLength((BytesVector) result, rows, type);
    }
    return result.type().equals(type) ? result : result.withType(type);
  }

  private ColumnVector checkedLength(BytesVector strings, int rows, DataType type) {
    for (int row = 0; row < rows; row++) {
      // A value of at most `length` bytes has at most `length` characters: no decoding.
      if (!strings.isNull(row) && strings.byteLength(row) > type.length()) {
        String value = strings.getString(row);
        if (value.codePointCount(0, value.length()) > type.length()) {
          throw new ColumnRewrite.Cancelled(
              "value '"
                  + value
                  + "' of column "
                  + target.name()
                  + " is longer than "
                  + type.sqlName());
        }
      }
    }
    return strings.withType(type);
  }

  private static boolean isLengthLimited(TypeKind kind) {
    return kind == TypeKind.CHAR || kind == TypeKind.VARCHAR;
  }
}
