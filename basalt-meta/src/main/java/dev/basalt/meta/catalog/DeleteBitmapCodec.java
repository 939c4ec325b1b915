package dev.basalt.meta.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * The stored form of one commit's delete layer in one tablet (the value under {@code
 * delete/<table>/<tablet>/<version>}): {@code count:i32} then per segment {@code path} (Java
 * modified UTF-8, {@link DataOutputStream#writeUTF}), {@code length:i32} and the bitmap in the
 * portable RoaringBitmap serialization. Big-endian. Stateless.
 */
final class DeleteBitmapCodec {
  private DeleteBitmapCodec() {}

  static byte[] encode(List<SegmentDeletes> layer) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream output = new DataOutputStream(bytes);
      output.writeInt(layer.size());
      for (SegmentDeletes deletes : layer) {
        RoaringBitmap rows = deletes.rows().clone();
        rows.runOptimize();
        output.writeUTF(deletes.segmentPath());
        output.writeInt(rows.serializedSizeInBytes());
        rows.serialize(output);
      }
      output.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<SegmentDeletes> decode(String key, long version, byte[] value) {
    try {
      DataInputStream input = new DataInputStream(new ByteArrayInputStream(value));
      int count = input.readInt();
      List<SegmentDeletes> layer = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String path = input.readUTF();
        int length = input.readInt();
        byte[] serialized = input.readNBytes(length);
        RoaringBitmap rows = new RoaringBitmap();
        rows.deserialize(java.nio.ByteBuffer.wrap(serialized));
        layer.add(new SegmentDeletes(path, version, rows));
      }
      return layer;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("corrupt delete bitmap record " + key, e);
    }
  }
}
