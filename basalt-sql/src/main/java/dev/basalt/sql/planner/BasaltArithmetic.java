package dev.basalt.sql.planner;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.sql.type.CalciteTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.calcite.plan.Strong;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * Arithmetic operators whose result types follow Doris instead of Calcite: {@code INT + INT} is
 * BIGINT, {@code 1 / 2} is DOUBLE 0.5, decimal division keeps four more digits. The planner swaps
 * them in for Calcite's before validation; the registry functions of the same name compute them.
 */
final class BasaltArithmetic {
  final SqlOperator plus;
  final SqlOperator minus;
  final SqlOperator times;
  final SqlOperator divide;
  final SqlOperator modulo;

  BasaltArithmetic(FunctionRegistry registry) {
    plus = operator("+", SqlKind.PLUS, 40, "add", registry);
    minus = operator("-", SqlKind.MINUS, 40, "subtract", registry);
    times = operator("*", SqlKind.TIMES, 60, "multiply", registry);
    divide = operator("/", SqlKind.DIVIDE, 60, "divide", registry);
    modulo = operator("%", SqlKind.MOD, 60, "mod", registry);
  }

  private static SqlOperator operator(
      String symbol, SqlKind kind, int precedence, String function, FunctionRegistry registry) {
    SqlReturnTypeInference returnType =
        (SqlOperatorBinding binding) -> {
          List<DataType> types = new ArrayList<>();
          boolean nullable = false;
          for (int i = 0; i < binding.getOperandCount(); i++) {
            RelDataType operand = binding.getOperandType(i);
            nullable |= operand.isNullable() || operand.getSqlTypeName() == SqlTypeName.NULL;
            types.add(CalciteTypes.toBasalt(operand));
          }
          // A NULL literal takes the other operand's type when converted (InferTypes.FIRST_KNOWN);
          // typing it so here too keeps the validated and the converted types equal.
          DataType known =
              types.stream().filter(type -> type.kind() != TypeKind.NULL).findFirst().orElse(null);
          if (known != null) {
            types.replaceAll(type -> type.kind() == TypeKind.NULL ? known : type);
          }
          DataType result = registry.resolveScalar(function, types).returnType();
          // Division and modulo by zero yield NULL, so they are always nullable.
          boolean mayBeNull = nullable || kind == SqlKind.DIVIDE || kind == SqlKind.MOD;
          return CalciteTypes.toCalcite(binding.getTypeFactory(), result, mayBeNull);
        };
    return new SqlBinaryOperator(
        symbol, kind, precedence, true, returnType, InferTypes.FIRST_KNOWN, OperandTypes.ANY_ANY) {
      /**
       * Calcite's default looks the operator up again by its symbol and would swap in the standard
       * one; derive the type with this operator instead.
       */
      @Override
      public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
        for (SqlNode operand : call.getOperandList()) {
          validator.deriveType(scope, operand);
        }
        return validateOperands(validator, scope, call);
      }

      /**
       * Division and modulo by zero are NULL for non-NULL operands, so Calcite's simplifier must
       * not conclude {@code (0 / x) IS NULL} is false from the operands alone.
       */
      @Override
      public Supplier<Strong.Policy> getStrongPolicyInference() {
        return kind == SqlKind.DIVIDE || kind == SqlKind.MOD
            ? () -> Strong.Policy.AS_IS
            : super.getStrongPolicyInference();
      }
    };
  }
}
