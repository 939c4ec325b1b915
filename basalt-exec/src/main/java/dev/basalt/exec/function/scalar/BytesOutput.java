package dev.basalt.exec.function.scalar;

import java.util.Arrays;

/**
 * A growable byte buffer for the UTF-8 results of string kernels (a {@link
 * java.io.ByteArrayOutputStream} without locks, whose array the kernel hands to a {@link
 * dev.basalt.common.vector.BytesVector}). Kernels keep the row offsets themselves. One per kernel
 * call; not thread safe.
 */
final class BytesOutput {
  byte[] bytes;
  int size;

  BytesOutput(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  void ensure(int extra) {
    if (size + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
    }
  }

  void append(byte[] source, int offset, int length) {
    ensure(length);
    System.arraycopy(source, offset, bytes, size, length);
    size += length;
  }

  void appendByte(int value) {
    ensure(1);
    bytes[size++] = (byte) value;
  }
}
