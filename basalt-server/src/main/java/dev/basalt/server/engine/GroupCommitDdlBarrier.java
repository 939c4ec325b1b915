package dev.basalt.server.engine;

import dev.basalt.load.groupcommit.GroupCommitManager;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.sql.parser.Statement;
import dev.basalt.sql.parser.TableName;

/**
 * Before {@code TRUNCATE TABLE} or {@code ALTER TABLE}, commits the table's open group commit
 * group, so that the statement applies to every row acknowledged before it (Doris likewise waits
 * for a table's group commits before a schema change). A group that opens after this and before the
 * statement is still safe: its commit is refused and it is replayed from its write-ahead log
 * against the changed table ({@link GroupCommitManager}). Thread safe.
 */
final class GroupCommitDdlBarrier {
  private final Catalog catalog;
  private volatile GroupCommitManager manager;

  GroupCommitDdlBarrier(Catalog catalog) {
    this.catalog = catalog;
  }

  void manager(GroupCommitManager groupCommit) {
    this.manager = groupCommit;
  }

  /** Commits the open group of the table {@code statement} truncates or alters, if any. */
  void beforeDdl(Statement statement, String currentDatabase) {
    GroupCommitManager groups = manager;
    if (groups == null) {
      return;
    }
    TableName table =
        switch (statement) {
          case Statement.TruncateTable truncate -> truncate.table();
          case Statement.AlterTable alter -> alter.table();
          default -> null;
        };
    if (table == null || table.databaseOr(currentDatabase) == null) {
      return;
    }
    catalog
        .table(table.databaseOr(currentDatabase), table.name())
        .ifPresent(meta -> groups.flush(meta.id()));
  }
}
