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
  }
}
