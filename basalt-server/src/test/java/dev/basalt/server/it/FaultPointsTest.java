package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.fault.FaultPoints;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash harness's deterministic fault points stop a child server exactly where they say: a halt
 * before the metadata commit of {@code CREATE DATABASE} leaves no database, a halt after it leaves
 * the database although the client never got an answer; the process exits with {@link
 * FaultPoints#HALT_EXIT_CODE} and names the point.
 */
class FaultPointsTest {
  @TempDir Path directory;

  @Test
  void haltsBeforeAndAfterTheMetadataCommit() throws Exception {
    Path data = directory.resolve("data");
    ServerProcess setUp = ServerProcess.start(data, directory.resolve("setup.log"));
    setUp.terminate();

    ServerProcess before = startHaltingAt(data, "metadata-commit-before");
    try (Connection connection = before.connect()) {
      assertThatThrownBy(() -> execute(connection, "CREATE DATABASE lost_before_commit"))
          .isInstanceOf(SQLException.class);
    }
    assertThat(before.exitCode()).isEqualTo(FaultPoints.HALT_EXIT_CODE);
    assertThat(before.log()).contains("basalt fault point metadata-commit-before hit 2: halting");

    ServerProcess after = startHaltingAt(data, "metadata-commit-after");
    try (Connection connection = after.connect()) {
      assertThat(databases(connection)).doesNotContain("lost_before_commit");
      assertThatThrownBy(() -> execute(connection, "CREATE DATABASE kept_after_commit"))
          .isInstanceOf(SQLException.class);
    }
    assertThat(after.exitCode()).isEqualTo(FaultPoints.HALT_EXIT_CODE);

    ServerProcess check = ServerProcess.start(data, directory.resolve("check.log"));
    try (Connection connection = check.connect()) {
      assertThat(databases(connection))
          .contains("kept_after_commit")
          .doesNotContain("lost_before_commit");
    } finally {
      check.terminate();
    }
  }

  /**
   * A server that halts at the second hit of {@code point}: a fresh process's first metadata commit
   * reserves a block of catalog ids, its second is {@code CREATE DATABASE}'s own.
   */
  private ServerProcess startHaltingAt(Path data, String point) throws Exception {
    return ServerProcess.start(
        data,
        directory.resolve(point + ".log"),
        "512m",
        List.of(),
        List.of("-Dbasalt.fault.halt-at=2", "-Dbasalt.fault.points=" + point));
  }

  private static List<String> databases(Connection connection) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW DATABASES")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
