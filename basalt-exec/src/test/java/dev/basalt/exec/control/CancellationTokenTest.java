package dev.basalt.exec.control;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import org.junit.jupiter.api.Test;

class CancellationTokenTest {
  @Test
  void aCancelledTokenFailsItsNextCheckWith1317() {
    CancellationToken token = CancellationToken.withoutDeadline();
    assertThatCode(token::check).doesNotThrowAnyException();
    token.cancel();
    assertThatThrownBy(token::check)
        .isInstanceOfSatisfying(
            BasaltException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.code())
                    .isEqualTo(ErrorCode.QUERY_INTERRUPTED))
        .hasMessage("Query execution was interrupted");
  }

  @Test
  void aTokenPastItsDeadlineFailsWith3024NamingTheVariable() throws InterruptedException {
    CancellationToken token = CancellationToken.withTimeout(1, "max_execution_time", 1);
    Thread.sleep(5);
    assertThatThrownBy(token::check)
        .isInstanceOfSatisfying(
            BasaltException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.code().mysqlErrorNumber())
                    .isEqualTo(3024))
        .hasMessageContaining("max_execution_time = 1");
  }

  @Test
  void noTimeoutAndTheSharedNoneTokenNeverStop() {
    CancellationToken unlimited = CancellationToken.withTimeout(0, "query_timeout", 0);
    CancellationToken.NONE.cancel();
    assertThatCode(
            () -> {
              unlimited.check();
              CancellationToken.NONE.check();
            })
        .doesNotThrowAnyException();
  }
}
