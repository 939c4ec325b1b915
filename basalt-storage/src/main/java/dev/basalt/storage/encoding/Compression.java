package dev.basalt.storage.encoding;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Block compression of one page body. The {@link #id()} is stored in the page header (see
 * docs/format.md) and must never change for an existing constant. Thread safe.
 */
public enum Compression {
  /** Stored as is. */
  NONE(0),
  /** LZ4 block format (no frame), the default: fast to decode. */
  LZ4(1),
  /** Zstandard frame at level 3: smaller, slower. */
  ZSTD(2);

  private static final int ZSTD_LEVEL = 3;
  private static final LZ4Factory LZ4_FACTORY = LZ4Factory.fastestInstance();
  private static final LZ4Compressor LZ4_COMPRESSOR = LZ4_FACTORY.fastCompressor();
  private static final LZ4SafeDecompressor LZ4_DECOMPRESSOR = LZ4_FACTORY.safeDecompressor();

  private final int id;

  Compression(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  public static Compression fromId(int id) {
    for (Compression compression : values()) {
      if (compression.id == id) {
        return compression;
      }
    }
    throw new FormatException("unknown compression id " + id);
  }

  /**
   * Compresses {@code source[offset, offset + length)}; returns the compressed bytes, or {@code
   * null} when compression would not make the data smaller (the caller then stores it as {@link
   * #NONE}). {@link #NONE} always returns {@code null}.
   */
  public byte[] compress(byte[] source, int offset, int length) {
    return switch (this) {
      case NONE -> null;
      case LZ4 -> {
        byte[] target = new byte[LZ4_COMPRESSOR.maxCompressedLength(length)];
        int written = LZ4_COMPRESSOR.compress(source, offset, length, target, 0, target.length);
        yield written < length ? java.util.Arrays.copyOf(target, written) : null;
      }
      case ZSTD -> {
        byte[] target = new byte[(int) Zstd.compressBound(length)];
        long written =
            Zstd.compressByteArray(target, 0, target.length, source, offset, length, ZSTD_LEVEL);
        if (Zstd.isError(written)) {
          throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(written));
        }
        yield written < length ? java.util.Arrays.copyOf(target, (int) written) : null;
      }
    };
  }

  /**
   * Decompresses {@code source[offset, offset + length)} into exactly {@code uncompressedLength}
   * bytes; anything else is a {@link FormatException}.
   */
  public byte[] decompress(byte[] source, int offset, int length, int uncompressedLength) {
    byte[] target = new byte[uncompressedLength];
    switch (this) {
      case NONE -> {
        if (length != uncompressedLength) {
          throw new FormatException(
              "uncompressed body of " + length + " bytes, header says " + uncompressedLength);
        }
        System.arraycopy(source, offset, target, 0, length);
      }
      case LZ4 -> {
        int written;
        try {
          written =
              LZ4_DECOMPRESSOR.decompress(source, offset, length, target, 0, uncompressedLength);
        } catch (LZ4Exception | IndexOutOfBoundsException e) {
          throw new FormatException("invalid LZ4 data: " + e.getMessage());
        }
        if (written != uncompressedLength) {
          throw new FormatException(
              "LZ4 data decompressed to " + written + " bytes, header says " + uncompressedLength);
        }
      }
      case ZSTD -> {
        long written;
        try {
          written = Zstd.decompressByteArray(target, 0, uncompressedLength, source, offset, length);
        } catch (ZstdException e) {
          throw new FormatException("invalid ZSTD data: " + e.getMessage());
        }
        if (Zstd.isError(written)) {
          throw new FormatException("invalid ZSTD data: " + Zstd.getErrorName(written));
        }
        if (written != uncompressedLength) {
          throw new FormatException(
              "ZSTD data decompressed to " + written + " bytes, header says " + uncompressedLength);
        }
      }
    }
    return target;
  }
}
