package dev.basalt.storage.encoding;

/**
 * Encodes and decodes the non-null values of a {@link StorageType#FLOAT32} or {@link
 * StorageType#FLOAT64} page; only {@link Encoding#PLAIN} (raw IEEE 754 bits, so NaN payloads,
 * {@code -0.0} and infinities survive). Stateless.
 */
public final class DoublePageCodec {
  private DoublePageCodec() {}

  /**
   * Appends {@code values[0, count)}. For FLOAT32 every value must be exactly representable as a
   * {@code float} (FLOAT columns hold float values widened to double); anything else is a caller
   * bug and throws {@link IllegalArgumentException} rather than silently losing precision.
   */
  public static void encode(
      StorageType storageType, double[] values, int count, LittleEndianOutput output) {
    if (storageType == StorageType.FLOAT32) {
      output.ensureCapacity(4 * count);
      for (int i = 0; i < count; i++) {
        double value = values[i];
        float narrowed = (float) value;
        if (narrowed != value && !Double.isNaN(value)) {
          throw new IllegalArgumentException("FLOAT value " + value + " is not exactly a float");
        }
        output.writeInt(Float.floatToRawIntBits(narrowed));
      }
    } else {
      output.ensureCapacity(8 * count);
      for (int i = 0; i < count; i++) {
        output.writeLong(Double.doubleToRawLongBits(values[i]));
      }
    }
  }

  public static void decode(
      StorageType storageType,
      Encoding encoding,
      LittleEndianInput input,
      int count,
      double[] destination) {
    if (encoding != Encoding.PLAIN) {
      throw new FormatException(encoding + " encoding in a " + storageType + " page");
    }
    if (storageType == StorageType.FLOAT32) {
      input.require(4L * count, count + " floats");
      for (int i = 0; i < count; i++) {
        destination[i] = Float.intBitsToFloat(input.readInt());
      }
    } else {
      input.require(8L * count, count + " doubles");
      for (int i = 0; i < count; i++) {
        destination[i] = Double.longBitsToDouble(input.readLong());
      }
    }
  }
}
