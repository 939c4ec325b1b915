package dev.basalt.sql.parser;

import dev.basalt.meta.catalog.ColumnPosition;
import java.util.List;

/** One operation of {@code ALTER TABLE}. */
public sealed interface AlterOperation {

  /**
   * {@code ADD COLUMN def [FIRST|AFTER c]} or {@code ADD COLUMN (def, ...)}.
   *
   * @param columns the columns to add
   * @param position where (only for a single column), {@link ColumnPosition#DEFAULT} otherwise
   */
  record AddColumns(List<ColumnDefinition> columns, ColumnPosition position)
      implements AlterOperation {
    public AddColumns {
      columns = List.copyOf(columns);
    }
  }

  /** {@code DROP COLUMN name}. @param name the column */
  record DropColumn(String name) implements AlterOperation {}

  /**
   * {@code MODIFY COLUMN def [FIRST|AFTER c]}.
   *
   * @param column the new definition
   * @param position where to move it, {@link ColumnPosition#DEFAULT} to stay
   */
  record ModifyColumn(ColumnDefinition column, ColumnPosition position) implements AlterOperation {}

  /** {@code RENAME new_name}. @param newName the new table name */
  record RenameTable(String newName) implements AlterOperation {}

  /**
   * {@code RENAME COLUMN old new}.
   *
   * @param oldName the current name
   * @param newName the new name
   */
  record RenameColumn(String oldName, String newName) implements AlterOperation {}
}
