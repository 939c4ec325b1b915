package dev.basalt.exec.function.sketch;

import dev.basalt.common.type.DataType;
import org.apache.datasketches.hll.HllUnion;
import org.apache.datasketches.tdigest.TDigestDouble;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/** One sketch family's state: how it starts, reads a serialized sketch, merges and ends. */
enum SketchOps {
  BITMAP_UNION(DataType.BITMAP) {
    @Override
    Object empty() {
      return BitmapValues.empty();
    }

    @Override
    Object add(Object state, byte[] bytes, int offset, int length) {
      ((Roaring64NavigableMap) state).or(BitmapValues.deserialize(bytes, offset, length));
      return state;
    }

    @Override
    byte[] serialize(Object state) {
      return BitmapValues.serialize((Roaring64NavigableMap) state);
    }

    @Override
    long count(Object state) {
      return ((Roaring64NavigableMap) state).getLongCardinality();
    }
  },
  /** The state is {@code null} until the first bitmap, which the others then narrow. */
  BITMAP_INTERSECT(DataType.BITMAP) {
    @Override
    Object empty() {
      return null;
    }

    @Override
    Object add(Object state, byte[] bytes, int offset, int length) {
      Roaring64NavigableMap bitmap = BitmapValues.deserialize(bytes, offset, length);
      if (state == null) {
        return bitmap;
      }
      ((Roaring64NavigableMap) state).and(bitmap);
      return state;
    }

    @Override
    byte[] serialize(Object state) {
      return BitmapValues.serialize(
          state == null ? BitmapValues.empty() : (Roaring64NavigableMap) state);
    }

    @Override
    long count(Object state) {
      return state == null ? 0 : ((Roaring64NavigableMap) state).getLongCardinality();
    }

    @Override
    boolean mergeable() {
      // An empty partial state (no rows in that part) would wrongly empty the intersection.
      return false;
    }
  },
  HLL_UNION(DataType.HLL) {
    @Override
    Object empty() {
      return HllValues.emptyUnion();
    }

    @Override
    Object add(Object state, byte[] bytes, int offset, int length) {
      ((HllUnion) state).update(HllValues.deserialize(bytes, offset, length));
      return state;
    }

    @Override
    byte[] serialize(Object state) {
      return HllValues.serialize((HllUnion) state);
    }

    @Override
    long count(Object state) {
      return Math.round(((HllUnion) state).getEstimate());
    }
  },
  /** The state is {@code null} until the first digest, whose compression the union keeps. */
  QUANTILE_UNION(DataType.QUANTILE_STATE) {
    @Override
    Object empty() {
      return null;
    }

    @Override
    Object add(Object state, byte[] bytes, int offset, int length) {
      TDigestDouble digest = QuantileStates.deserialize(bytes, offset, length);
      if (state == null) {
        return digest;
      }
      ((TDigestDouble) state).merge(digest);
      return state;
    }

    @Override
    byte[] serialize(Object state) {
      return QuantileStates.serialize(
          state == null
              ? QuantileStates.empty(QuantileStates.DEFAULT_COMPRESSION)
              : (TDigestDouble) state);
    }

    @Override
    long count(Object state) {
      throw new UnsupportedOperationException("quantile_union has no count form");
    }
  };

  final DataType stateType;

  SketchOps(DataType stateType) {
    this.stateType = stateType;
  }

  abstract Object empty();

  /** Folds the serialized sketch into {@code state}; returns the new state. */
  abstract Object add(Object state, byte[] bytes, int offset, int length);

  abstract byte[] serialize(Object state);

  abstract long count(Object state);

  boolean mergeable() {
    return true;
  }
}
