package dev.basalt.sql.schema;

import dev.basalt.common.type.DataType;

/** A column as the planner sees it. */
public record ColumnDescriptor(String name, DataType type, boolean nullable) {}
