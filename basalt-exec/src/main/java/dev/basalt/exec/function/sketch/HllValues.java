package dev.basalt.exec.function.sketch;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.util.Arrays;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.HllUnion;
import org.apache.datasketches.hll.TgtHllType;

/**
 * The serialized form of an HLL value (docs/format.md, "Sketch values"): one format byte ({@link
 * #FORMAT}) followed by the compact image of an Apache DataSketches HLL sketch with 2^{@link #LG_K}
 * registers of 8 bits (HLL_8). Small sets are kept as a list of hashes, so their cardinality is
 * exact; larger ones estimate with about 0.8% relative error. Stateless and thread safe.
 */
public final class HllValues {
  /** The first byte of every serialized HLL. */
  public static final byte FORMAT = 1;

  /** log2 of the register count, 16384 registers as Doris's HLL. */
  public static final int LG_K = 14;

  private HllValues() {}

  /** A new empty sketch. */
  public static HllSketch empty() {
    return new HllSketch(LG_K, TgtHllType.HLL_8);
  }

  /** A new empty union of sketches. */
  public static HllUnion emptyUnion() {
    return new HllUnion(LG_K);
  }

  public static byte[] serialize(HllSketch sketch) {
    byte[] image = sketch.toCompactByteArray();
    byte[] bytes = new byte[image.length + 1];
    bytes[0] = FORMAT;
    System.arraycopy(image, 0, bytes, 1, image.length);
    return bytes;
  }

  public static byte[] serialize(HllUnion union) {
    return serialize(union.getResult(TgtHllType.HLL_8));
  }

  public static byte[] serializedEmpty() {
    return serialize(empty());
  }

  /** Reads a serialized HLL; corrupt bytes throw {@link ErrorCode#STORAGE_CORRUPTION}. */
  public static HllSketch deserialize(byte[] bytes) {
    return deserialize(bytes, 0, bytes.length);
  }

  public static HllSketch deserialize(byte[] bytes, int offset, int length) {
    if (length < 2 || bytes[offset] != FORMAT) {
      throw corrupt(length < 1 ? "empty value" : "unknown format byte " + (bytes[offset] & 0xff));
    }
    HllSketch sketch;
    try {
      sketch = HllSketch.heapify(Arrays.copyOfRange(bytes, offset + 1, offset + length));
    } catch (RuntimeException bad) {
      throw corrupt(bad.toString());
    }
    if (sketch.getLgConfigK() != LG_K) {
      throw corrupt("a sketch of 2^" + sketch.getLgConfigK() + " registers, not 2^" + LG_K);
    }
    return sketch;
  }

  /** The estimated number of distinct values, rounded to an integer. */
  public static long cardinality(HllSketch sketch) {
    return Math.round(sketch.getEstimate());
  }

  private static BasaltException corrupt(String detail) {
    return new BasaltException(ErrorCode.STORAGE_CORRUPTION, "HLL value", detail);
  }
}
