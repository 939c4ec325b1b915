package dev.basalt.storage.segment;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.storage.encoding.FormatException;
import dev.basalt.storage.encoding.LittleEndianInput;
import dev.basalt.storage.encoding.LittleEndianOutput;
import dev.basalt.storage.encoding.StorageType;
import java.util.ArrayList;
import java.util.List;

/**
 * The footer: column directory, page directory, row count and (format version 2) the location of
 * the primary-key index (layout in docs/format.md). Serialization only; the reader validates the
 * parsed structure.
 */
record Footer(
    long rowCount,
    List<ColumnEntry> columns,
    long indexOffset,
    int indexLength,
    int indexChecksum) {
  private static final int ZONE_HAS_MIN = 1;
  private static final int ZONE_HAS_MAX = 2;

  Footer {
    columns = List.copyOf(columns);
  }

  /** Whether the segment has a primary-key index (format version 2 and a non-empty index). */
  boolean hasPrimaryKeyIndex() {
    return indexLength > 0;
  }

  byte[] serialize() {
    LittleEndianOutput output = new LittleEndianOutput(256);
    output.writeInt(columns.size());
    for (ColumnEntry entry : columns) {
      SegmentColumn column = entry.column();
      DataType type = column.type();
      StorageType storageType = StorageType.of(type);
      output.writeInt(column.uniqueId());
      output.writeByte(SegmentFormat.typeCode(type.kind()));
      output.writeByte(column.nullable() ? 1 : 0);
      output.writeInt(type.precision());
      output.writeInt(type.scale());
      output.writeInt(type.length());
      writeZoneMap(storageType, entry.nullCount(), entry.min(), entry.max(), output);
      output.writeInt(entry.pages().size());
      for (PageEntry page : entry.pages()) {
        output.writeLong(page.offset());
        output.writeInt(page.storedLength());
        output.writeInt(page.rowCount());
        output.writeLong(page.firstRow());
        output.writeInt(page.checksum());
        writeZoneMap(storageType, page.nullCount(), page.min(), page.max(), output);
      }
    }
    output.writeLong(rowCount);
    output.writeLong(indexOffset);
    output.writeInt(indexLength);
    output.writeInt(indexChecksum);
    return output.toByteArray();
  }

  private static void writeZoneMap(
      StorageType storageType, long nullCount, Object min, Object max, LittleEndianOutput output) {
    output.writeLong(nullCount);
    output.writeByte((min != null ? ZONE_HAS_MIN : 0) | (max != null ? ZONE_HAS_MAX : 0));
    if (min != null) {
      ZoneValues.write(storageType, min, output);
    }
    if (max != null) {
      ZoneValues.write(storageType, max, output);
    }
  }

  /** Parses a footer; structural problems are {@link FormatException}s. */
  static Footer parse(byte[] bytes, int formatVersion) {
    LittleEndianInput input = new LittleEndianInput(bytes);
    int columnCount = input.readCount("column count");
    // Each column entry takes at least 31 bytes, so a huge count is caught before allocating.
    input.require(31L * columnCount, columnCount + " column entries");
    List<ColumnEntry> columns = new ArrayList<>(columnCount);
    for (int index = 0; index < columnCount; index++) {
      int uniqueId = input.readInt();
      TypeKind kind = SegmentFormat.typeKind(input.readUnsignedByte());
      int nullableFlag = input.readUnsignedByte();
      if (nullableFlag > 1) {
        throw new FormatException("nullable flag " + nullableFlag + " of column " + uniqueId);
      }
      int precision = input.readInt();
      int scale = input.readInt();
      int length = input.readInt();
      if (kind == TypeKind.DECIMAL
          && (precision < 1
              || precision > DataType.MAX_DECIMAL_PRECISION
              || scale < 0
              || scale > precision)) {
        throw new FormatException(
            "impossible decimal(" + precision + "," + scale + ") for column " + uniqueId);
      }
      DataType type = new DataType(kind, precision, scale, length);
      StorageType storageType = StorageType.of(type);
      long[] nullCount = new long[1];
      Object[] bounds = readZoneMap(storageType, input, nullCount);
      int pageCount = input.readCount("page count");
      input.require(37L * pageCount, pageCount + " page entries");
      List<PageEntry> pages = new ArrayList<>(pageCount);
      for (int page = 0; page < pageCount; page++) {
        long offset = input.readLong();
        int storedLength = input.readInt();
        int rowCount = input.readInt();
        long firstRow = input.readLong();
        int checksum = input.readInt();
        long[] pageNulls = new long[1];
        Object[] pageBounds = readZoneMap(storageType, input, pageNulls);
        pages.add(
            new PageEntry(
                offset,
                storedLength,
                rowCount,
                firstRow,
                checksum,
                pageNulls[0],
                pageBounds[0],
                pageBounds[1]));
      }
      columns.add(
          new ColumnEntry(
              new SegmentColumn(uniqueId, type, nullableFlag == 1),
              nullCount[0],
              bounds[0],
              bounds[1],
              pages));
    }
    long rowCount = input.readLong();
    long indexOffset = 0;
    int indexLength = 0;
    int indexChecksum = 0;
    if (formatVersion >= 2) {
      indexOffset = input.readLong();
      indexLength = input.readInt();
      indexChecksum = input.readInt();
    }
    input.expectEnd("the footer");
    return new Footer(rowCount, columns, indexOffset, indexLength, indexChecksum);
  }

  private static Object[] readZoneMap(
      StorageType storageType, LittleEndianInput input, long[] nullCount) {
    nullCount[0] = input.readLong();
    int flags = input.readUnsignedByte();
    if ((flags & ~(ZONE_HAS_MIN | ZONE_HAS_MAX)) != 0) {
      throw new FormatException("zone map flags " + flags);
    }
    Object min = (flags & ZONE_HAS_MIN) != 0 ? ZoneValues.read(storageType, input) : null;
    Object max = (flags & ZONE_HAS_MAX) != 0 ? ZoneValues.read(storageType, input) : null;
    return new Object[] {min, max};
  }
}
