package dev.basalt.exec.function.sketch;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.apache.datasketches.tdigest.TDigestDouble;

/**
 * The serialized form of a QUANTILE_STATE value (docs/format.md, "Sketch values"): one format byte
 * ({@link #FORMAT}) followed by the image of an Apache DataSketches t-digest of DOUBLE values,
 * which carries its compression. Doris's QUANTILE_STATE is also a t-digest; its compression (2048
 * to 10000, default {@link #DEFAULT_COMPRESSION}) is the digest's k. Stateless and thread safe.
 */
public final class QuantileStates {
  /** The first byte of every serialized QUANTILE_STATE. */
  public static final byte FORMAT = 1;

  public static final int DEFAULT_COMPRESSION = 2048;
  public static final int MIN_COMPRESSION = 2048;
  public static final int MAX_COMPRESSION = 10000;

  private QuantileStates() {}

  public static TDigestDouble empty(int compression) {
    return new TDigestDouble((short) compression);
  }

  public static byte[] serialize(TDigestDouble digest) {
    byte[] image = digest.toByteArray();
    byte[] bytes = new byte[image.length + 1];
    bytes[0] = FORMAT;
    System.arraycopy(image, 0, bytes, 1, image.length);
    return bytes;
  }

  /** Reads a serialized state; corrupt bytes throw {@link ErrorCode#STORAGE_CORRUPTION}. */
  public static TDigestDouble deserialize(byte[] bytes) {
    return deserialize(bytes, 0, bytes.length);
  }

  public static TDigestDouble deserialize(byte[] bytes, int offset, int length) {
    if (length < 2 || bytes[offset] != FORMAT) {
      throw corrupt(length < 1 ? "empty value" : "unknown format byte " + (bytes[offset] & 0xff));
    }
    try {
      return TDigestDouble.heapify(
          MemorySegment.ofArray(Arrays.copyOfRange(bytes, offset + 1, offset + length)));
    } catch (RuntimeException bad) {
      throw corrupt(bad.toString());
    }
  }

  /** The value at {@code fraction} (0 to 1) of the state's values, or {@code null} when empty. */
  public static Double percent(TDigestDouble digest, double fraction) {
    if (digest.isEmpty()) {
      return null;
    }
    return digest.getQuantile(fraction);
  }

  private static BasaltException corrupt(String detail) {
    return new BasaltException(ErrorCode.STORAGE_CORRUPTION, "QUANTILE_STATE value", detail);
  }
}
