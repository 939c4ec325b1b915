package dev.basalt.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiteralTemplateTest {
  @Test
  void literalsBecomePlaceholdersWithTheirValues() {
    LiteralTemplate template =
        LiteralTemplate.of(
            "SELECT a FROM t WHERE k = 42 AND s = 'it''s' AND d = 1.50 AND e = 2e3 AND"
                + " h = 99999999999999999999");
    assertThat(template.sql())
        .isEqualTo("SELECT a FROM t WHERE k = ? AND s = ? AND d = ? AND e = ? AND h = ?");
    assertThat(template.values())
        .containsExactly(
            42L, "it's", new BigDecimal("1.50"), 2000.0, new BigInteger("99999999999999999999"));
  }

  @Test
  void statementsThatDifferOnlyInLiteralsShareATemplate() {
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE k = 1").sql())
        .isEqualTo(LiteralTemplate.of("SELECT v FROM t WHERE k = 2").sql());
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE k = 'x'").values())
        .isEqualTo(List.of("x"));
  }

  @Test
  void declinesWhatAPlaceholderCannotStandFor() {
    assertThat(LiteralTemplate.of("SELECT v FROM t")).isNull();
    assertThat(LiteralTemplate.of("SELECT /*+ SET_VAR(a=1) */ v FROM t WHERE k = 1")).isNull();
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE k = 1 -- note")).isNull();
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE k = \"x\"")).isNull();
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE k = 0x1F")).isNull();
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE d = DATE '2024-01-01'")).isNull();
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE d > now() - INTERVAL 1 DAY")).isNull();
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE k = _utf8'x'")).isNull();
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE k = X'0A'")).isNull();
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE k = ?")).isNull();
    assertThat(LiteralTemplate.of("SELECT v FROM t WHERE k = 'unterminated")).isNull();
  }
}
