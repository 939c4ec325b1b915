package dev.basalt.bench.query;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a fresh connection to one engine; the caller owns and closes it. */
@FunctionalInterface
public interface ConnectionFactory {

  /** Opens a new connection. */
  Connection open() throws SQLException;
}
