package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;

/**
 * {@code uuid()}: a random (version 4) UUID as 36 characters, a new one per row, as in MySQL and
 * Doris. The planner treats it as non-deterministic, so it is never folded into a constant, and it
 * is not {@linkplain dev.basalt.exec.function.ScalarFunction#isDeterministic deterministic}: a call
 * is computed for every row. The typed kernel draws 16 random bytes per row from one {@link
 * SecureRandom} call per batch (the generator of {@link UUID#randomUUID}), sets the version and
 * variant bits as it does, and writes the lower-case hexadecimal text straight into the result's
 * bytes. Thread safe ({@link SecureRandom} is).
 */
public final class UuidFunctions {
  private UuidFunctions() {}

  private static final DataType TYPE = DataType.varchar(36);
  private static final int TEXT_LENGTH = 36;
  private static final byte[] HEX = "0123456789abcdef".getBytes();
  private static final SecureRandom GENERATOR = new SecureRandom();

  public static void register(FunctionRegistry.Builder builder) {
    ScalarFunction typed = typed();
    builder.scalar(types -> types.isEmpty() ? typed : null, "uuid");
  }

  /** The row-wise {@code uuid()} through {@link UUID#randomUUID}: the typed kernel's reference. */
  static ScalarFunction rowWise() {
    return RowWiseScalarFunction.varying(
        "uuid", TYPE, List.of(), List.of(), (a, c) -> UUID.randomUUID().toString());
  }

  private static ScalarFunction typed() {
    return new KernelFunction("uuid", TYPE) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        byte[] random = new byte[16 * rowCount];
        GENERATOR.nextBytes(random);
        byte[] out = new byte[TEXT_LENGTH * rowCount];
        int[] offsets = new int[rowCount + 1];
        for (int row = 0; row < rowCount; row++) {
          int from = 16 * row;
          random[from + 6] = (byte) ((random[from + 6] & 0x0f) | 0x40); // version 4
          random[from + 8] = (byte) ((random[from + 8] & 0x3f) | 0x80); // IETF variant
          int at = TEXT_LENGTH * row;
          for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
              out[at++] = '-';
            }
            int value = random[from + i];
            out[at++] = HEX[(value >> 4) & 0xf];
            out[at++] = HEX[value & 0xf];
          }
          offsets[row + 1] = at;
        }
        return new BytesVector(TYPE, out, offsets, null, rowCount);
      }

      @Override
      public boolean isDeterministic() {
        return false;
      }
    };
  }
}
