package dev.basalt.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The statement kinds audit records carry ({@link AuditLog#kindOf}). */
class AuditLogKindTest {
  @Test
  void firstKeywordOrTwoForDdlAndShow() {
    assertThat(AuditLog.kindOf("select id from t where id = 1")).isEqualTo("SELECT");
    assertThat(AuditLog.kindOf("  INSERT INTO t VALUES (1)")).isEqualTo("INSERT");
    assertThat(AuditLog.kindOf("create\n\ttable `t` (id INT)")).isEqualTo("CREATE TABLE");
    assertThat(AuditLog.kindOf("show grants;")).isEqualTo("SHOW GRANTS");
    assertThat(AuditLog.kindOf("SHOW`x`")).isEqualTo("SHOW X");
    assertThat(AuditLog.kindOf("SET")).isEqualTo("SET");
    assertThat(AuditLog.kindOf("drop(")).isEqualTo("DROP ");
    assertThat(AuditLog.kindOf("(SELECT 1)")).isEmpty();
    assertThat(AuditLog.kindOf("   ")).isEmpty();
    assertThat(AuditLog.kindOf("KILL QUERY 5")).isEqualTo("KILL QUERY");
  }
}
