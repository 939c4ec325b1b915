package dev.basalt.sql.parser;

import dev.basalt.meta.catalog.KeysType;
import java.util.List;

/**
 * {@code DUPLICATE|AGGREGATE|UNIQUE KEY(columns)}.
 *
 * @param type the data model
 * @param columns the key columns in order
 */
public record KeysClause(KeysType type, List<String> columns) {
  public KeysClause {
    columns = List.copyOf(columns);
  }
}
