package dev.basalt.exec.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import org.junit.jupiter.api.Test;

class QueryMemoryBudgetTest {

  @Test
  void aReservationPastTheQueryLimitFailsNamingTheOperatorAndTheLimit() {
    MemoryPool pool = new MemoryPool(10_000_000);
    QueryMemoryBudget budget = new QueryMemoryBudget(pool, 1_000_000, "q1");
    MemoryReservation sort = budget.reservation("SortOperator");
    sort.add(900_000);
    assertThat(budget.used()).isGreaterThanOrEqualTo(900_000);
    assertThatThrownBy(() -> sort.add(200_000))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("MEM_LIMIT_EXCEEDED")
        .hasMessageContaining("SortOperator")
        .hasMessageContaining("exec_mem_limit = 1000000 bytes");
    sort.close();
    assertThat(budget.used()).isZero();
    assertThat(pool.used()).isZero();
    assertThat(budget.peak()).isGreaterThanOrEqualTo(900_000);
  }

  @Test
  void queriesShareTheServerWidePool() {
    MemoryPool pool = new MemoryPool(1_000_000);
    QueryMemoryBudget first = new QueryMemoryBudget(pool, 800_000, "first");
    QueryMemoryBudget second = new QueryMemoryBudget(pool, 800_000, "second");
    first.reservation("HashJoinOperator").add(700_000);
    MemoryReservation aggregate = second.reservation("HashAggregateOperator");
    assertThatThrownBy(() -> aggregate.add(400_000))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("server-wide query memory limit of 1000000 bytes");
    first.close();
    aggregate.add(400_000);
    assertThat(pool.used()).isEqualTo(second.used());
    second.close();
    assertThat(pool.used()).isZero();
  }

  @Test
  void freedBytesGoBackInChunksAndTheLimitIsCappedAtTheSingleQueryShareOfThePool() {
    MemoryPool pool = new MemoryPool(5_000_000);
    QueryMemoryBudget budget = new QueryMemoryBudget(pool, 2L << 30, "q");
    assertThat(budget.limit()).isEqualTo(4_500_000);
    MemoryReservation reservation = budget.reservation("TopN");
    for (int i = 0; i < 1000; i++) {
      reservation.add(1000);
      reservation.free(1000);
    }
    assertThat(reservation.held()).isZero();
    assertThat(budget.used()).isLessThanOrEqualTo(2 * MemoryReservation.CHUNK_BYTES);
    reservation.add(3_000_000);
    reservation.free(3_000_000);
    assertThat(budget.used()).isLessThanOrEqualTo(2 * MemoryReservation.CHUNK_BYTES);
    reservation.close();
    assertThat(pool.used()).isZero();
  }

  @Test
  void aQueryTakesBackWhatACacheHoldsInThePool() {
    MemoryPool pool = new MemoryPool(1_000_000);
    long[] cached = {0};
    pool.addReclaimable(
        bytes -> {
          long given = Math.min(bytes, cached[0]);
          cached[0] -= given;
          pool.releaseReclaimable(given);
          return given;
        });
    assertThat(pool.tryReserveReclaimable(900_000)).isTrue();
    cached[0] = 900_000;
    // A cache never displaces memory: the pool has no room for more of it.
    assertThat(pool.tryReserveReclaimable(200_000)).isFalse();
    QueryMemoryBudget query = new QueryMemoryBudget(pool, 1_000_000, "q");
    query.reservation("HashJoinOperator").add(500_000);
    assertThat(cached[0]).isLessThanOrEqualTo(500_000);
    assertThat(pool.used()).isEqualTo(query.used() + cached[0]).isLessThanOrEqualTo(pool.limit());
    query.close();
    assertThat(pool.used()).isEqualTo(cached[0]);
  }
}
