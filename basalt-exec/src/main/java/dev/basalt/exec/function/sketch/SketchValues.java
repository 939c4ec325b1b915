package dev.basalt.exec.function.sketch;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.storage.tablet.SketchUnion;

/**
 * Sketch values for the storage side: the empty value a sketch column defaults to, and the union
 * the AGGREGATE model applies to HLL_UNION, BITMAP_UNION and QUANTILE_UNION columns when it merges
 * rows of one key (at read, at compaction). Stateless; each {@link Union} belongs to one caller.
 */
public final class SketchValues {
  private SketchValues() {}

  /** The serialized empty sketch of {@code type} (BITMAP, HLL or QUANTILE_STATE). */
  public static byte[] empty(DataType type) {
    return switch (type.kind()) {
      case BITMAP -> BitmapValues.serializedEmpty();
      case HLL -> HllValues.serializedEmpty();
      case QUANTILE_STATE -> SketchOps.QUANTILE_UNION.serialize(null);
      default -> throw new IllegalArgumentException("not a sketch type: " + type);
    };
  }

  /** A new union of serialized sketches of {@code kind}. */
  public static Union union(TypeKind kind) {
    return new Union(
        switch (kind) {
          case BITMAP -> SketchOps.BITMAP_UNION;
          case HLL -> SketchOps.HLL_UNION;
          case QUANTILE_STATE -> SketchOps.QUANTILE_UNION;
          default -> throw new IllegalArgumentException("not a sketch type: " + kind);
        });
  }

  /** The union of two serialized sketches of {@code kind}. */
  public static byte[] union(TypeKind kind, byte[] left, byte[] right) {
    Union union = union(kind);
    union.add(left, 0, left.length);
    union.add(right, 0, right.length);
    return union.serialize();
  }

  /**
   * A running union: {@link #add} serialized sketches, then {@link #serialize}. Corrupt input
   * throws {@link dev.basalt.common.error.ErrorCode#STORAGE_CORRUPTION}. Not thread safe.
   */
  public static final class Union implements SketchUnion {
    private final SketchOps ops;
    private Object state;

    private Union(SketchOps ops) {
      this.ops = ops;
      this.state = ops.empty();
    }

    @Override
    public void add(byte[] bytes, int offset, int length) {
      state = ops.add(state, bytes, offset, length);
    }

    @Override
    public byte[] serialize() {
      return ops.serialize(state);
    }
  }
}
