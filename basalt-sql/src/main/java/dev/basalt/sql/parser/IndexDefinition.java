package dev.basalt.sql.parser;

import java.util.List;
import java.util.Map;

/**
 * {@code INDEX name (columns) [USING type] [PROPERTIES(...)] [COMMENT '...']} inside CREATE TABLE.
 * Parsed so that Doris DDL is accepted; Basalt does not build these indexes yet.
 *
 * @param name the index name
 * @param columns indexed columns
 * @param using the index type (e.g. INVERTED, NGRAM_BF), "" when omitted
 * @param properties index properties
 * @param comment the comment, "" when none
 */
public record IndexDefinition(
    String name,
    List<String> columns,
    String using,
    Map<String, String> properties,
    String comment) {
  public IndexDefinition {
    columns = List.copyOf(columns);
    properties = Map.copyOf(properties);
  }
}
