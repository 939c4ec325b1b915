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

  @Test
  void anInsertWhoseValuesAreAllPlaceholdersHasTheShapeOfItsRows() {
    StatementTemplate.ValuesInsert batch =
        StatementTemplate.parse("INSERT INTO t (a, b) VALUES (?, ?),(?,?) , ( ?,? ) ;")
            .valuesInsert();
    assertThat(batch)
        .isEqualTo(
            new StatementTemplate.ValuesInsert("INSERT INTO t (a, b) VALUES (NULL, NULL)", 2, 3));
    assertThat(StatementTemplate.parse("insert into `t`VALUE(?)").valuesInsert())
        .isEqualTo(new StatementTemplate.ValuesInsert("insert into `t`VALUE(NULL)", 1, 1));
  }

  @Test
  void otherStatementsHaveNoValuesShape() {
    for (String sql :
        List.of(
            "SELECT ?",
            "INSERT INTO t VALUES (?, 1)",
            "INSERT INTO t VALUES (?, ?), (?)",
            "INSERT INTO t VALUES (?), (?, ?)",
            "INSERT INTO t VALUES (?) ON DUPLICATE KEY UPDATE a = 1",
            "INSERT INTO t VALUES (? + 1)",
            "INSERT INTO t SELECT * FROM u WHERE a IN (?)",
            "INSERT INTO t VALUES ((?))",
            "INSERT INTO t VALUES (?) /* c */",
            "UPDATE t SET a = ? WHERE b IN (SELECT x FROM VALUES (?))")) {
      assertThat(StatementTemplate.parse(sql).valuesInsert()).as(sql).isNull();
    }
  }
}
