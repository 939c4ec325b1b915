package dev.basalt.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import org.junit.jupiter.api.Test;

/** EXPLAIN's words (Doris's plan types and levels, MySQL's ANALYZE) map to what is printed. */
class ExplainLevelTest {
  @Test
  void plainVerboseAndThePhysicalPlanTypesPrintTheOperatorTree() {
    for (String words :
        new String[] {
          "", "VERBOSE", "PHYSICAL PLAN", "OPTIMIZED PLAN", "SHAPE PLAN", "ALL PLAN", "GRAPH"
        }) {
      assertThat(ExplainLevel.of(words)).as(words).isEqualTo(ExplainLevel.PHYSICAL);
    }
  }

  @Test
  void theLogicalPlanTypesPrintCalcitesPlan() {
    for (String words :
        new String[] {"LOGICAL PLAN", "REWRITTEN PLAN", "ANALYZED PLAN", "PARSED PLAN"}) {
      assertThat(ExplainLevel.of(words)).as(words).isEqualTo(ExplainLevel.LOGICAL);
    }
  }

  @Test
  void analyzeRunsTheQuery() {
    assertThat(ExplainLevel.of("ANALYZE")).isEqualTo(ExplainLevel.ANALYZE);
  }

  @Test
  void anUnknownWordIsASyntaxError() {
    assertThatThrownBy(() -> ExplainLevel.of("FANCY PLAN"))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("unknown EXPLAIN option 'FANCY'");
  }
}
