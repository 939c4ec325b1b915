package dev.basalt.server.it;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database a sqllogictest file runs against: Basalt over the MySQL protocol in the real suite,
 * SQLite in the runner's own tests. The runner owns the connections it gets and closes them before
 * {@link #restart()}; the creator of the target closes it.
 */
interface SqlLogicTarget extends AutoCloseable {

  /** A new connection with no default database. */
  Connection connect() throws SQLException;

  /** Stops the database and starts it again on the same data; connections are closed first. */
  void restart() throws Exception;

  /** What failure messages call this target, e.g. "Basalt on 127.0.0.1:40123". */
  String describe();

  /** Stops the database and releases its resources. */
  @Override
  void close();
}
