package dev.basalt.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementSplitterTest {
  @Test
  void splitsOnTopLevelSemicolonsOnly() {
    String script =
        """
        CREATE TABLE `a;b` (k INT COMMENT 'x;y');
        -- a comment; with a semicolon
        INSERT INTO t VALUES ("it\\"s;"), ('it''s;');
        /* block; comment */ SELECT 1;;
        # another; comment
        SELECT 2""";
    assertThat(StatementSplitter.split(script))
        .containsExactly(
            "CREATE TABLE `a;b` (k INT COMMENT 'x;y')",
            "-- a comment; with a semicolon\nINSERT INTO t VALUES (\"it\\\"s;\"), ('it''s;')",
            "/* block; comment */ SELECT 1",
            "# another; comment\nSELECT 2");
  }

  @Test
  void emptyScriptHasNoStatements() {
    assertThat(StatementSplitter.split(" ;\n; ")).isEmpty();
    assertThat(StatementSplitter.split("SELECT 1")).containsExactly("SELECT 1");
    assertThat(StatementSplitter.split(" -- only a comment\n "))
        .containsExactly("-- only a comment");
  }

  @Test
  void aScriptWithoutSemicolonsIsOneStatement() {
    assertThat(StatementSplitter.split("\n INSERT INTO t VALUES ('a\\'b', \"c\") /* x */ \n"))
        .containsExactly("INSERT INTO t VALUES ('a\\'b', \"c\") /* x */");
    assertThat(StatementSplitter.split("/*!40101 SELECT 1 */")).containsExactly("SELECT 1");
  }

  @Test
  void versionCommentsRunUpToTheServerVersion() {
    assertThat(expanded("SELECT /*!40101 1 + */ 1")).isEqualTo("SELECT 1 + 1");
    assertThat(expanded("SELECT /*!80000 1 + */ 1")).isEqualTo("SELECT 1");
    assertThat(expanded("SELECT /*!50799 2 */")).isEqualTo("SELECT 2");
    assertThat(expanded("SELECT /*!50800 2 */ 3")).isEqualTo("SELECT 3");
    assertThat(expanded("SELECT /*! 3 */")).isEqualTo("SELECT 3");
    // Hints, ordinary comments and quoted text are left alone.
    String untouched = "SELECT /*+ X */ '/*!40101 q */' /* c */ 1 -- /*!1\n";
    assertThat(StatementSplitter.expandVersionComments(untouched)).isEqualTo(untouched);
    assertThat(StatementSplitter.split("/*!40101 SET NAMES utf8mb4 */;/*!90000 SET x = 1 */;"))
        .containsExactly("SET NAMES utf8mb4");
  }

  private static String expanded(String sql) {
    return StatementSplitter.expandVersionComments(sql).strip().replaceAll("\\s+", " ");
  }
}
