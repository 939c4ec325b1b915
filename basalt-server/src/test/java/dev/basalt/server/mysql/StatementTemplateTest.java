package dev.basalt.server.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementTemplateTest {

  @Test
  void countsPlaceholdersOutsideLiteralsIdentifiersAndComments() {
    String sql =
        "SELECT ?, '?', \"?\", `a?b`, 'it''s ?', 'back\\'slash ?' /* ? */ -- ?\n, ? # ?\n FROM t WHERE x = ?";
    StatementTemplate template = StatementTemplate.parse(sql);
    assertThat(template.parameterCount()).isEqualTo(3);
    assertThat(template.render(List.of("1", "2", "3")))
        .isEqualTo(
            "SELECT 1, '?', \"?\", `a?b`, 'it''s ?', 'back\\'slash ?' /* ? */ -- ?\n, 2 # ?\n FROM t WHERE x = 3");
  }

  @Test
  void doubleDashWithoutSpaceIsAnOperatorNotAComment() {
    assertThat(StatementTemplate.parse("SELECT 1--?").parameterCount()).isEqualTo(1);
    assertThat(StatementTemplate.parse("SELECT 1-- ?").parameterCount()).isZero();
  }

  @Test
  void unterminatedLiteralsSwallowTheRest() {
    assertThat(StatementTemplate.parse("SELECT 'abc ?").parameterCount()).isZero();
    assertThat(StatementTemplate.parse("SELECT /* ?").parameterCount()).isZero();
  }

  @Test
  void renderingWithoutPlaceholdersReturnsTheText() {
    StatementTemplate template = StatementTemplate.parse("SELECT 1");
    assertThat(template.render(List.of())).isEqualTo("SELECT 1");
    assertThatThrownBy(() -> template.render(List.of("1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
