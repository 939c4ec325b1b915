package dev.basalt.exec.function;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;

/**
 * The implicit type rules of the function library: which type two operands meet in for a
 * comparison, for arithmetic and for a result that can come from either (if, coalesce, greatest).
 * The planner may use the same rules (e.g. for CASE and UNION) so that the whole product agrees.
 *
 * <p>A bare NULL literal ({@link TypeKind#NULL}) takes the other operand's type. BOOLEAN counts as
 * a one-digit integer. Stateless and thread safe.
 */
public final class TypeCoercion {
  private TypeCoercion() {}

  /** Decimal digits needed for any value of an integer-like kind (BOOLEAN and NULL included). */
  public static int integerDigits(TypeKind kind) {
    return switch (kind) {
      case BOOLEAN, NULL -> 1;
      case TINYINT -> 3;
      case SMALLINT -> 5;
      case INT -> 10;
      case BIGINT -> 19;
      case LARGEINT -> 39;
      default -> throw new IllegalArgumentException("not an integer kind: " + kind);
    };
  }

  /** Integers, BOOLEAN and the NULL type: kinds whose values are whole numbers. */
  public static boolean isIntegerLike(TypeKind kind) {
    return kind.isInteger() || kind == TypeKind.BOOLEAN || kind == TypeKind.NULL;
  }

  /** Numbers, BOOLEAN and NULL. */
  public static boolean isNumericLike(TypeKind kind) {
    return kind.isNumeric() || kind == TypeKind.BOOLEAN || kind == TypeKind.NULL;
  }

  public static boolean isFloating(TypeKind kind) {
    return kind == TypeKind.FLOAT || kind == TypeKind.DOUBLE;
  }

  /** DECIMAL with {@code integerDigits + scale} digits, both capped so that precision ≤ 38. */
  public static DataType decimal(int integerDigits, int scale) {
    int cappedScale = Math.min(Math.max(scale, 0), DataType.MAX_DECIMAL_PRECISION);
    int precision =
        Math.min(Math.max(integerDigits, 0) + cappedScale, DataType.MAX_DECIMAL_PRECISION);
    return DataType.decimal(Math.max(precision, 1), cappedScale);
  }

  /** An exact numeric type seen as a decimal: DECIMAL itself, integers as DECIMAL(digits, 0). */
  public static DataType asDecimal(DataType type) {
    if (type.kind() == TypeKind.DECIMAL) {
      return type;
    }
    return decimal(integerDigits(type.kind()), 0);
  }

  /** Digits before the decimal point of an exact numeric type. */
  public static int integerDigitsOf(DataType type) {
    return type.kind() == TypeKind.DECIMAL
        ? type.precision() - type.scale()
        : integerDigits(type.kind());
  }

  /**
   * The type in which {@code left} and {@code right} are compared: strings with strings as strings;
   * dates with datetimes, and either with a string or number, as DATETIME(6) (the string is
   * parsed); any floating operand, or a number with a string, as DOUBLE; decimals with exact
   * numbers as a DECIMAL that holds both; LARGEINT with integers as LARGEINT; other integers as
   * BIGINT. Returns {@code null} when the two cannot be compared.
   */
  public static DataType comparisonType(DataType left, DataType right) {
    TypeKind a = left.kind();
    TypeKind b = right.kind();
    if (a == TypeKind.NULL && b == TypeKind.NULL) {
      return DataType.BIGINT;
    }
    if (a == TypeKind.NULL) {
      return comparisonType(right, right);
    }
    if (b == TypeKind.NULL) {
      return comparisonType(left, left);
    }
    if (a.isString() && b.isString()) {
      return DataType.STRING;
    }
    if (a == TypeKind.DATE && b == TypeKind.DATE) {
      return DataType.DATE;
    }
    if (a.isTemporal() || b.isTemporal()) {
      return DataType.datetime(DataType.MAX_DATETIME_SCALE);
    }
    if (a.isString() || b.isString() || isFloating(a) || isFloating(b)) {
      return DataType.DOUBLE;
    }
    if (a == TypeKind.DECIMAL || b == TypeKind.DECIMAL) {
      return commonDecimal(left, right);
    }
    if (a == TypeKind.LARGEINT || b == TypeKind.LARGEINT) {
      return DataType.LARGEINT;
    }
    return DataType.BIGINT;
  }

  /**
   * The type of a value that comes from either operand (if, ifnull, coalesce, greatest, least):
   * equal types stay; integers widen; decimals widen to hold both; any floating → DOUBLE; DATE with
   * DATETIME → DATETIME; strings → the longer VARCHAR, or STRING; any other mix (number with
   * string, date with string) → VARCHAR(65533), as MySQL returns a string there.
   */
  public static DataType commonType(DataType left, DataType right) {
    TypeKind a = left.kind();
    TypeKind b = right.kind();
    if (a == TypeKind.NULL) {
      return right;
    }
    if (b == TypeKind.NULL || left.equals(right)) {
      return left;
    }
    if (a.isString() && b.isString()) {
      if (a == TypeKind.STRING || b == TypeKind.STRING) {
        return DataType.STRING;
      }
      return DataType.varchar(Math.max(left.length(), right.length()));
    }
    if (a.isTemporal() && b.isTemporal()) {
      if (a == TypeKind.DATE && b == TypeKind.DATE) {
        return DataType.DATE;
      }
      int scale =
          Math.max(
              a == TypeKind.DATETIME ? left.scale() : 0,
              b == TypeKind.DATETIME ? right.scale() : 0);
      return DataType.datetime(scale);
    }
    if (isNumericLike(a) && isNumericLike(b)) {
      if (isFloating(a) || isFloating(b)) {
        return a == TypeKind.FLOAT && b == TypeKind.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
      }
      if (a == TypeKind.DECIMAL || b == TypeKind.DECIMAL) {
        return commonDecimal(left, right);
      }
      if (a == TypeKind.BOOLEAN && b == TypeKind.BOOLEAN) {
        return DataType.BOOLEAN;
      }
      return integerDigits(a) >= integerDigits(b) ? widenBoolean(left) : widenBoolean(right);
    }
    return DataType.varchar(DataType.MAX_VARCHAR_LENGTH);
  }

  private static DataType widenBoolean(DataType type) {
    return type.kind() == TypeKind.BOOLEAN ? DataType.TINYINT : type;
  }

  /** The decimal that holds every value of two exact numeric types. */
  public static DataType commonDecimal(DataType left, DataType right) {
    DataType a = asDecimal(left);
    DataType b = asDecimal(right);
    int scale = Math.max(a.scale(), b.scale());
    int digits = Math.max(a.precision() - a.scale(), b.precision() - b.scale());
    return decimal(digits, scale);
  }
}
