package dev.basalt.sql.type;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Maps Basalt's {@link DataType} to Calcite's {@link RelDataType} and back.
 *
 * <p>LARGEINT has no Calcite counterpart; it is planned as DECIMAL(39, 0) and stored as LARGEINT.
 * STRING is an unbounded VARCHAR. Calcite's TIMESTAMP(p) is DATETIME(p).
 *
 * <p>BITMAP, HLL and QUANTILE_STATE have no Calcite counterpart either: they are planned as
 * VARBINARY with a precision that names the sketch ({@link #BITMAP_PRECISION} ...), so that {@link
 * #toBasalt} gives the sketch type back after validation and the function registry, which types
 * every function call, sees the real type. No Basalt type is a VARBINARY of another precision.
 */
public final class CalciteTypes {
  /** Digits of the largest LARGEINT, 2^127 - 1. */
  public static final int LARGEINT_PRECISION = 39;

  /** The VARBINARY precision that stands for BITMAP inside plans. */
  public static final int BITMAP_PRECISION = 65501;

  /** The VARBINARY precision that stands for HLL inside plans. */
  public static final int HLL_PRECISION = 65502;

  /** The VARBINARY precision that stands for QUANTILE_STATE inside plans. */
  public static final int QUANTILE_STATE_PRECISION = 65503;

  private CalciteTypes() {}

  /** The type a value of {@code type} has inside plans: itself, except LARGEINT. */
  public static DataType plannedType(DataType type) {
    return type.kind() == dev.basalt.common.type.TypeKind.LARGEINT
        ? DataType.decimal(LARGEINT_PRECISION, 0)
        : type;
  }

  public static RelDataType toCalcite(RelDataTypeFactory factory, DataType type, boolean nullable) {
    RelDataType result =
        switch (type.kind()) {
          case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
          case TINYINT -> factory.createSqlType(SqlTypeName.TINYINT);
          case SMALLINT -> factory.createSqlType(SqlTypeName.SMALLINT);
          case INT -> factory.createSqlType(SqlTypeName.INTEGER);
          case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
          case LARGEINT -> factory.createSqlType(SqlTypeName.DECIMAL, LARGEINT_PRECISION, 0);
          case FLOAT -> factory.createSqlType(SqlTypeName.REAL);
          case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
          case DECIMAL ->
              factory.createSqlType(SqlTypeName.DECIMAL, type.precision(), type.scale());
          case DATE -> factory.createSqlType(SqlTypeName.DATE);
          case DATETIME -> factory.createSqlType(SqlTypeName.TIMESTAMP, type.scale());
          case CHAR -> factory.createSqlType(SqlTypeName.CHAR, type.length());
          case VARCHAR -> factory.createSqlType(SqlTypeName.VARCHAR, type.length());
          case STRING -> factory.createSqlType(SqlTypeName.VARCHAR);
          case BITMAP -> factory.createSqlType(SqlTypeName.VARBINARY, BITMAP_PRECISION);
          case HLL -> factory.createSqlType(SqlTypeName.VARBINARY, HLL_PRECISION);
          case QUANTILE_STATE ->
              factory.createSqlType(SqlTypeName.VARBINARY, QUANTILE_STATE_PRECISION);
          case NULL -> factory.createSqlType(SqlTypeName.NULL);
        };
    return factory.createTypeWithNullability(result, nullable);
  }

  public static DataType toBasalt(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    return switch (name) {
      case BOOLEAN -> DataType.BOOLEAN;
      case TINYINT -> DataType.TINYINT;
      case SMALLINT -> DataType.SMALLINT;
      case INTEGER -> DataType.INT;
      case BIGINT -> DataType.BIGINT;
      case REAL, FLOAT -> DataType.FLOAT;
      case DOUBLE -> DataType.DOUBLE;
      case DECIMAL -> DataType.decimal(type.getPrecision(), Math.max(type.getScale(), 0));
      case DATE -> DataType.DATE;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
          DataType.datetime(Math.max(0, Math.min(type.getPrecision(), 6)));
      case TIME -> DataType.varchar(16);
      case CHAR -> DataType.character(Math.max(type.getPrecision(), 1));
      case VARCHAR -> {
        int precision = type.getPrecision();
        yield precision <= 0 || precision > DataType.MAX_VARCHAR_LENGTH
            ? DataType.STRING
            : DataType.varchar(precision);
      }
      case VARBINARY, BINARY ->
          switch (type.getPrecision()) {
            case BITMAP_PRECISION -> DataType.BITMAP;
            case HLL_PRECISION -> DataType.HLL;
            case QUANTILE_STATE_PRECISION -> DataType.QUANTILE_STATE;
            default -> throw new BasaltException(ErrorCode.UNSUPPORTED, "values of type " + name);
          };
      case NULL -> DataType.NULL;
      case SYMBOL -> DataType.STRING;
      default -> throw new BasaltException(ErrorCode.UNSUPPORTED, "values of type " + name);
    };
  }
}
