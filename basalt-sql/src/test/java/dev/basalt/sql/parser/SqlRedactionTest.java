package dev.basalt.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlRedactionTest {
  @Test
  void stringAndNumberLiteralsBecomePlaceholders() {
    assertThat(
            SqlRedaction.redact(
                "INSERT INTO users VALUES (1, 'alice@example.com', -2.5e3, \"x\") -- note"))
        .isEqualTo("INSERT INTO users VALUES (?, ?, -?, ?)");
    assertThat(SqlRedaction.redact("ALTER USER bob IDENTIFIED BY 'hunter2'"))
        .isEqualTo("ALTER USER bob IDENTIFIED BY ?")
        .doesNotContain("hunter2");
    assertThat(SqlRedaction.redact("SELECT `a`, b FROM t WHERE c = 'it''s'"))
        .isEqualTo("SELECT `a`, b FROM t WHERE c = ?");
    assertThat(SqlRedaction.redact("SELECT /* the key is 42 */ k FROM t # trailing 'x'"))
        .isEqualTo("SELECT k FROM t");
  }

  @Test
  void anUnterminatedLiteralIsCutAtItsQuote() {
    assertThat(SqlRedaction.redact("SELECT 'secret without end"))
        .isEqualTo("SELECT ?")
        .doesNotContain("secret");
  }

  @Test
  void longStatementsAreCut() {
    String redacted = SqlRedaction.redact("SELECT " + "x, ".repeat(1000) + "y FROM t");
    assertThat(redacted).hasSize(SqlRedaction.MAX_LOGGED_CHARACTERS + 3).endsWith("...");
  }
}
