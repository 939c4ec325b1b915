package dev.basalt.exec.function.sketch;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.roaringbitmap.longlong.LongIterator;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/**
 * The serialized form of a BITMAP value (docs/format.md, "Sketch values"): one format byte ({@link
 * #FORMAT}) followed by the 64-bit Roaring portable serialization of the set. Values are unsigned
 * 64-bit integers, ordered as unsigned. Stateless and thread safe; the bitmaps it returns belong to
 * the caller.
 */
public final class BitmapValues {
  /** The first byte of every serialized BITMAP. */
  public static final byte FORMAT = 1;

  private BitmapValues() {}

  /** A new empty bitmap with unsigned ordering. */
  public static Roaring64NavigableMap empty() {
    return new Roaring64NavigableMap(false);
  }

  /** The serialized bytes of {@code bitmap}. */
  public static byte[] serialize(Roaring64NavigableMap bitmap) {
    bitmap.runOptimize();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      bitmap.serializePortable(out);
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return bytes.toByteArray();
  }

  /** The serialized empty bitmap. */
  public static byte[] serializedEmpty() {
    return serialize(empty());
  }

  /** Reads a serialized bitmap; corrupt bytes throw {@link ErrorCode#STORAGE_CORRUPTION}. */
  public static Roaring64NavigableMap deserialize(byte[] bytes) {
    return deserialize(bytes, 0, bytes.length);
  }

  /** Reads the serialized bitmap at {@code bytes[offset .. offset + length)}. */
  public static Roaring64NavigableMap deserialize(byte[] bytes, int offset, int length) {
    if (length < 1 || bytes[offset] != FORMAT) {
      throw corrupt(length < 1 ? "empty value" : "unknown format byte " + (bytes[offset] & 0xff));
    }
    Roaring64NavigableMap bitmap = empty();
    ByteArrayInputStream stream = new ByteArrayInputStream(bytes, offset + 1, length - 1);
    try {
      bitmap.deserializePortable(new DataInputStream(stream));
    } catch (IOException | RuntimeException bad) {
      throw corrupt(bad.toString());
    }
    if (stream.available() != 0) {
      throw corrupt(stream.available() + " bytes after the bitmap");
    }
    return bitmap;
  }

  /** The values in ascending unsigned order, comma-separated, as {@code bitmap_to_string}. */
  public static String toText(Roaring64NavigableMap bitmap) {
    StringBuilder text = new StringBuilder();
    LongIterator values = bitmap.getLongIterator();
    while (values.hasNext()) {
      if (!text.isEmpty()) {
        text.append(',');
      }
      text.append(Long.toUnsignedString(values.next()));
    }
    return text.toString();
  }

  /**
   * Parses {@code bitmap_from_string}'s input: unsigned integers separated by commas (spaces around
   * them allowed); the empty string is the empty bitmap. Returns {@code null} for anything else, as
   * Doris does.
   */
  public static Roaring64NavigableMap parse(String text) {
    Roaring64NavigableMap bitmap = empty();
    if (text.isBlank()) {
      return bitmap;
    }
    for (String part : text.split(",", -1)) {
      Long value = parseUnsigned(part.strip());
      if (value == null) {
        return null;
      }
      bitmap.addLong(value);
    }
    return bitmap;
  }

  /** An unsigned 64-bit integer in decimal, or {@code null} when {@code text} is not one. */
  static Long parseUnsigned(String text) {
    if (text.isEmpty() || text.length() > 20) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return null;
      }
    }
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException tooLarge) {
      return null;
    }
  }

  private static BasaltException corrupt(String detail) {
    return new BasaltException(ErrorCode.STORAGE_CORRUPTION, "BITMAP value", detail);
  }
}
