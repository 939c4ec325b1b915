package dev.basalt.load.groupcommit;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.TableMeta;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a write-ahead log file says about itself: its group ({@code walId}, the {@code label} its
 * commit records), the table, and the table's columns when the group began (unique id, SQL type,
 * physical type), so that a replay can lay the rows out for the table's columns of that later day.
 * Immutable.
 */
record WalHeader(
    long walId, long databaseId, long tableId, String label, List<WalHeader.Column> columns) {

  /**
   * One column of the logged rows.
   *
   * @param name the column's name, or null in a log written before headers carried names
   * @param type the column's type, or null in such a log
   */
  record Column(int uniqueId, String typeName, PhysicalType physical, String name, DataType type) {}

  WalHeader {
    columns = List.copyOf(columns);
  }

  /** The header of a new group of {@code table}'s rows. */
  static WalHeader of(long walId, String label, TableMeta table) {
    List<Column> columns = new ArrayList<>();
    for (ColumnMeta column : table.columns()) {
      columns.add(
          new Column(
              column.uniqueId(),
              column.type().sqlName(),
              column.type().physical(),
              column.name(),
              column.type()));
    }
    return new WalHeader(walId, table.databaseId(), table.id(), label, columns);
  }

  void write(DataOutputStream out) throws IOException {
    out.writeLong(walId);
    out.writeLong(databaseId);
    out.writeLong(tableId);
    out.writeUTF(label);
    out.writeInt(columns.size());
    for (Column column : columns) {
      out.writeInt(column.uniqueId());
      out.writeUTF(column.typeName());
      out.writeByte(column.physical().ordinal());
    }
    // Appended after the original layout, so logs written before still read: the names and
    // types let a replay convert a column a schema change rewrote since (new unique id).
    for (Column column : columns) {
      out.writeUTF(column.name());
      out.writeUTF(column.type().kind().name());
      out.writeInt(column.type().precision());
      out.writeInt(column.type().scale());
      out.writeInt(column.type().length());
    }
  }

  static WalHeader read(DataInputStream in) throws IOException {
    long walId = in.readLong();
    long databaseId = in.readLong();
    long tableId = in.readLong();
    String label = in.readUTF();
    int count = in.readInt();
    if (count < 0 || count > 100_000) {
      throw new IOException("bad column count " + count);
    }
    List<Column> columns = new ArrayList<>(count);
    PhysicalType[] physical = PhysicalType.values();
    for (int i = 0; i < count; i++) {
      int uniqueId = in.readInt();
      String typeName = in.readUTF();
      int ordinal = in.readUnsignedByte();
      if (ordinal >= physical.length) {
        throw new IOException("bad physical type " + ordinal);
      }
      columns.add(new Column(uniqueId, typeName, physical[ordinal], null, null));
    }
    if (in.available() > 0) {
      for (int i = 0; i < count; i++) {
        Column column = columns.get(i);
        String name = in.readUTF();
        TypeKind kind;
        try {
          kind = TypeKind.valueOf(in.readUTF());
        } catch (IllegalArgumentException e) {
          throw new IOException("bad type of column " + name, e);
        }
        DataType type = new DataType(kind, in.readInt(), in.readInt(), in.readInt());
        columns.set(
            i, new Column(column.uniqueId(), column.typeName(), column.physical(), name, type));
      }
    }
    return new WalHeader(walId, databaseId, tableId, label, columns);
  }
}
