package dev.basalt.storage.tablet;

import dev.basalt.common.type.TypeKind;

/**
 * A running union of serialized sketches (HLL, BITMAP, QUANTILE_STATE): {@link #add} each value,
 * then {@link #serialize} once. Storage does not know the sketch formats; the execution layer's
 * sketch values implement this and are handed to a {@link TabletModel} by whoever builds it. Not
 * thread safe; one instance per merged key. Corrupt input throws a {@code BasaltException}.
 */
public interface SketchUnion {

  void add(byte[] bytes, int offset, int length);

  byte[] serialize();

  /** Makes a new, empty union for a sketch type. Thread safe. */
  @FunctionalInterface
  interface Factory {
    SketchUnion union(TypeKind kind);
  }
}
