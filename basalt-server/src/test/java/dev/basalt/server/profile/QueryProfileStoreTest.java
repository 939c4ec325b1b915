package dev.basalt.server.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryProfileStoreTest {
  private static StoredProfile profile(String id, String user, int lines, int lineLength) {
    return new StoredProfile(
        id,
        user,
        "db",
        "SELECT 1",
        1_000,
        2_000,
        "OK",
        1,
        0,
        java.util.Collections.nCopies(lines, "x".repeat(lineLength)));
  }

  @Test
  void keepsTheNewestUpToItsCountAndItsSize() {
    QueryProfileStore store = new QueryProfileStore(3, 1_000_000);
    for (int i = 0; i < 5; i++) {
      store.add(profile("q" + i, "u", 2, 10));
    }
    assertThat(store.size()).isEqualTo(3);
    assertThat(store.newestFirst().stream().map(StoredProfile::queryId))
        .containsExactly("q4", "q3", "q2");
    assertThat(store.get("q1")).isEmpty();
    assertThat(store.get("q3")).isPresent();

    QueryProfileStore small = new QueryProfileStore(100, 5_000);
    for (int i = 0; i < 10; i++) {
      small.add(profile("q" + i, "u", 10, 100)); // about 1,150 characters each
    }
    assertThat(small.size()).isEqualTo(4);
    assertThat(small.get("q9")).isPresent();
  }

  @Test
  void cutsAProfileLargerThanItsShare() {
    QueryProfileStore store = new QueryProfileStore();
    store.add(profile("big", "u", 10_000, 100));
    List<String> lines = store.get("big").orElseThrow().execution();
    assertThat(lines.size()).isLessThan(10_000);
    assertThat(lines.getLast()).startsWith("... (profile cut at");
    assertThat(store.get("big").orElseThrow().text(java.time.ZoneOffset.UTC))
        .contains("Profile ID: big");
  }
}
