package dev.basalt.sql.type;

import java.nio.charset.Charset;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.SqlCollation;

/**
 * Calcite's type factory with every character type in {@link Utf8BinaryCollation}, so that the
 * planner compares string literals (constant folding, {@code Sarg} ranges) in the executor's UTF-8
 * byte order. Every path that gives a type a charset and collation (column types, literal types,
 * the validator's derived types) ends in {@link #createTypeWithCharsetAndCollation}; literals take
 * their type's collation when {@code RexBuilder} makes them. Not thread safe beyond what Calcite's
 * factory is; one per plan.
 */
public final class BasaltTypeFactory extends JavaTypeFactoryImpl {
  public BasaltTypeFactory(RelDataTypeSystem typeSystem) {
    super(typeSystem);
  }

  @Override
  public RelDataType createTypeWithCharsetAndCollation(
      RelDataType type, Charset charset, SqlCollation collation) {
    SqlCollation binary =
        collation instanceof Utf8BinaryCollation
            ? collation
            : Utf8BinaryCollation.of(collation.getCoercibility());
    return super.createTypeWithCharsetAndCollation(type, charset, binary);
  }
}
