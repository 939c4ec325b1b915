package dev.basalt.exec.function.scalar;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The characters of an ASCII row of a {@link dev.basalt.common.vector.BytesVector} as a {@link
 * CharSequence} over its bytes (character positions are byte positions), so that {@link
 * java.util.regex.Matcher} and text parsers read a row without a {@code String} per row. Kernels
 * {@link #set} it for each row; not thread safe.
 */
final class AsciiText implements CharSequence {
  private byte[] bytes;
  private int start;
  private int length;

  /** Views {@code bytes[start, start + length)}; a negative length marks a decoded row. */
  void set(byte[] bytes, int start, int length) {
    this.bytes = bytes;
    this.start = start;
    this.length = length;
  }

  /** Whether the row last set is an ASCII row, viewed here (not a decoded one). */
  boolean isAsciiRow() {
    return length >= 0;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    return (char) bytes[start + Objects.checkIndex(index, length)];
  }

  @Override
  public CharSequence subSequence(int from, int to) {
    Objects.checkFromToIndex(from, to, length);
    return new String(bytes, start + from, to - from, StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return new String(bytes, start, length, StandardCharsets.ISO_8859_1);
  }
}
