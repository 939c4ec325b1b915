package dev.basalt.meta.catalog;

import java.util.Objects;

/**
 * A database (schema).
 *
 * @param id the database id
 * @param name its name (case-sensitive)
 * @param createTime creation time, epoch milliseconds
 */
public record DatabaseMeta(long id, String name, long createTime) {
  public DatabaseMeta {
    Objects.requireNonNull(name, "name");
  }
}
