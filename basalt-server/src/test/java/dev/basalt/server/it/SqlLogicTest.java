package dev.basalt.server.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The SQL golden tests: every {@code src/test/sql/**}{@code /*.test} file is one dynamic test that
 * runs on its own Basalt server (fresh temporary data directory, loopback, free ports) over MySQL
 * Connector/J, as a client would.
 *
 * <p>Run a subset with {@code -Dsqllogictest.filter=TEXT}: only files whose path relative to {@code
 * src/test/sql} (with {@code /}) contains TEXT, e.g. {@code -Dsqllogictest.filter=basic/}.
 */
class SqlLogicTest {

  static final String FILTER_PROPERTY = "sqllogictest.filter";

  @TestFactory
  Stream<DynamicTest> sqlLogicTests() throws IOException {
    Path root = corpusRoot();
    String filter = System.getProperty(FILTER_PROPERTY, "");
    List<Path> files;
    try (Stream<Path> paths = Files.walk(root)) {
      files =
          paths
              .filter(path -> path.toString().endsWith(".test") && Files.isRegularFile(path))
              .filter(path -> relativeName(root, path).contains(filter))
              .sorted()
              .toList();
    }
    if (files.isEmpty()) {
      return Stream.of(
          DynamicTest.dynamicTest(
              "no .test files",
              () -> {
                throw new AssertionError(
                    "no .test files under "
                        + root
                        + " match "
                        + FILTER_PROPERTY
                        + "='"
                        + filter
                        + "'");
              }));
    }
    return files.stream()
        .map(
            file ->
                // No test source URI: Surefire reports only tests whose source is a method, and
                // would drop a dynamic test whose source is the .test file.
                DynamicTest.dynamicTest(relativeName(root, file), () -> runFile(root, file)));
  }

  /** {@code src/test/sql} of this module; Surefire runs tests in the module directory. */
  static Path corpusRoot() {
    return Path.of(System.getProperty("basedir", ".")).resolve("src/test/sql").toAbsolutePath();
  }

  private static String relativeName(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  private static void runFile(Path root, Path file) throws Exception {
    String name = relativeName(root, file);
    List<SqlLogicRecord> records =
        SqlLogicTestParser.parse(name, Files.readAllLines(file, StandardCharsets.UTF_8));
    try (BasaltTarget target = new BasaltTarget()) {
      new SqlLogicTestRunner(name, records, target, System.out).run();
    }
  }

  /** Basalt over the MySQL protocol with MySQL Connector/J. */
  private static final class BasaltTarget implements SqlLogicTarget {
    private final TestServer server = TestServer.start();

    @Override
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
    }

    @Override
    public void restart() {
      server.restart();
    }

    @Override
    public String describe() {
      return "Basalt with data in " + server.dataDirectory();
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
