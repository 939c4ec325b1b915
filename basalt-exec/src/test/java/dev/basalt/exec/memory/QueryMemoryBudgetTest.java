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
    assertThat(pool.tryReserveReclaimable(450_000)).isTrue();
    cached[0] = 450_000;
    // A cache fills at most half the pool, and never displaces memory.
    assertThat(pool.tryReserveReclaimable(100_000)).isFalse();
    QueryMemoryBudget query = new QueryMemoryBudget(pool, 1_000_000, "q");
    MemoryReservation join = query.reservation("HashJoinOperator");
    join.add(300_000);
    // Past half the pool the cache gives back what lies beyond the half.
    assertThat(pool.used()).isEqualTo(query.used() + cached[0]).isLessThanOrEqualTo(500_000);
    assertThat(cached[0]).isPositive();
    join.add(500_000);
    // A query holding more than half the pool alone leaves the cache nothing.
    assertThat(cached[0]).isZero();
    assertThat(pool.used()).isEqualTo(query.used() + cached[0]).isLessThanOrEqualTo(pool.limit());
    query.close();
    assertThat(pool.used()).isEqualTo(cached[0]);
  }
}
