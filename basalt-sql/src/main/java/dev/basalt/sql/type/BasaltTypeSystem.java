package dev.basalt.sql.type;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Calcite's type rules adjusted to Doris: DECIMAL up to 38 digits, DATETIME up to 6 fractional
 * digits, SUM of integers is BIGINT and of decimals DECIMAL(38, s), AVG of integers is DOUBLE and
 * of decimals DECIMAL(38, max(s, 4)), CASE/UNION of strings of different lengths is VARCHAR.
 */
public final class BasaltTypeSystem extends RelDataTypeSystemImpl {
  public static final BasaltTypeSystem INSTANCE = new BasaltTypeSystem();

  private BasaltTypeSystem() {}

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      // 39 digits so that LARGEINT (planned as DECIMAL(39, 0)) fits; DDL limits DECIMAL to 38.
      case DECIMAL -> 39;
      case TIMESTAMP, TIME, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 6;
      case VARCHAR, CHAR -> Integer.MAX_VALUE;
      default -> super.getMaxPrecision(typeName);
    };
  }

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case TIMESTAMP, TIME, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 0;
      default -> super.getDefaultPrecision(typeName);
    };
  }

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(typeName);
  }

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }

  @Override
  public RelDataType deriveSumType(RelDataTypeFactory factory, RelDataType argumentType) {
    RelDataType result;
    if (SqlTypeUtil.isExactNumeric(argumentType)
        && argumentType.getSqlTypeName() != SqlTypeName.DECIMAL) {
      result = factory.createSqlType(SqlTypeName.BIGINT);
    } else if (argumentType.getSqlTypeName() == SqlTypeName.DECIMAL) {
      // LARGEINT (DECIMAL(39, 0)) sums stay LARGEINT; other decimals widen to 38 digits.
      result =
          factory.createSqlType(
              SqlTypeName.DECIMAL,
              Math.max(38, argumentType.getPrecision()),
              argumentType.getScale());
    } else if (SqlTypeUtil.isApproximateNumeric(argumentType)) {
      result = factory.createSqlType(SqlTypeName.DOUBLE);
    } else {
      return super.deriveSumType(factory, argumentType);
    }
    return factory.createTypeWithNullability(result, argumentType.isNullable());
  }

  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory factory, RelDataType argumentType) {
    RelDataType result;
    if (argumentType.getSqlTypeName() == SqlTypeName.DECIMAL) {
      result = factory.createSqlType(SqlTypeName.DECIMAL, 38, Math.max(argumentType.getScale(), 4));
    } else if (SqlTypeUtil.isNumeric(argumentType)) {
      result = factory.createSqlType(SqlTypeName.DOUBLE);
    } else {
      return super.deriveAvgAggType(factory, argumentType);
    }
    return factory.createTypeWithNullability(result, argumentType.isNullable());
  }
}
