package dev.basalt.common.type;

/**
 * Which column type changes ({@code ALTER TABLE MODIFY COLUMN}) are metadata only: segments written
 * before the change keep their stored type, and every reader relabels their values as the new type
 * ({@link dev.basalt.common.vector.ColumnVector#withType}) because the new type has the same
 * physical layout and reads each stored value unchanged. Stateless.
 */
public final class StoredTypeChange {
  private StoredTypeChange() {}

  /**
   * Whether values stored as {@code stored} read unchanged as {@code current}: the same type; a
   * wider integer (TINYINT, SMALLINT, INT, BIGINT in that order); FLOAT to DOUBLE; a DECIMAL with
   * the same scale and at least as many digits; a DATETIME with at least as many fractional digits;
   * a VARCHAR at least as long, or STRING, from VARCHAR or STRING.
   */
  public static boolean readsUnchanged(DataType stored, DataType current) {
    if (stored.equals(current)) {
      return true;
    }
    TypeKind from = stored.kind();
    TypeKind to = current.kind();
    if (from.physical() == PhysicalType.LONG && isWidenedInteger(from, to)) {
      return true;
    }
    return switch (from) {
      case FLOAT -> to == TypeKind.DOUBLE;
      case DECIMAL ->
          to == TypeKind.DECIMAL
              && current.scale() == stored.scale()
              && current.precision() >= stored.precision();
      case DATETIME -> to == TypeKind.DATETIME && current.scale() >= stored.scale();
      case VARCHAR ->
          to == TypeKind.STRING || (to == TypeKind.VARCHAR && current.length() >= stored.length());
      case STRING -> to == TypeKind.STRING;
      default -> false;
    };
  }

  private static boolean isWidenedInteger(TypeKind from, TypeKind to) {
    int fromRank = integerRank(from);
    int toRank = integerRank(to);
    return fromRank >= 0 && toRank > fromRank;
  }

  /** TINYINT 0, SMALLINT 1, INT 2, BIGINT 3; -1 for other kinds. */
  private static int integerRank(TypeKind kind) {
    return switch (kind) {
      case TINYINT -> 0;
      case SMALLINT -> 1;
      case INT -> 2;
      case BIGINT -> 3;
      default -> -1;
    };
  }
}
