package dev.basalt.meta.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link MetaStore} must have; subclasses supply a fresh, empty store. */
abstract class MetaStoreContract {

  /** A new, empty store. */
  abstract MetaStore store();

  /** Closes {@code store} and opens the same storage again (a restart). */
  abstract MetaStore reopen(MetaStore store);

  static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, UTF_8);
  }

  @Test
  void putGetDeleteAndScanInKeyOrder() {
    MetaStore store = store();
    store.commit(
        new WriteBatch()
            .put("table/2", bytes("b"))
            .put("table/1", bytes("a"))
            .put("tablet/1", bytes("x"))
            .put("db/1", bytes("d")));
    assertThat(store.get("table/1")).map(MetaStoreContract::text).contains("a");
    assertThat(store.get("table/3")).isEmpty();
    assertThat(store.scan("table/"))
        .extracting(KeyValue::key)
        .containsExactly("table/1", "table/2");
    assertThat(store.scan(""))
        .extracting(KeyValue::key)
        .containsExactly("db/1", "table/1", "table/2", "tablet/1");
    store.commit(new WriteBatch().delete("table/1").put("table/2", bytes("c")));
    assertThat(store.scan("table/"))
        .extracting(e -> e.key() + "=" + text(e.value()))
        .containsExactly("table/2=c");
  }

  @Test
  void failedPreconditionWritesNothing() {
    MetaStore store = store();
    store.commit(
        new WriteBatch()
            .requireAbsent("label/1/a")
            .put("label/1/a", bytes("1"))
            .put("seq", bytes("1")));
    assertThatThrownBy(
            () ->
                store.commit(
                    new WriteBatch()
                        .requireAbsent("label/1/a")
                        .put("label/1/a", bytes("2"))
                        .put("other", bytes("x"))))
        .isInstanceOf(MetaStoreConflictException.class)
        .hasMessageContaining("label/1/a");
    assertThat(store.get("label/1/a")).map(MetaStoreContract::text).contains("1");
    assertThat(store.get("other")).isEmpty();

    assertThatThrownBy(
            () ->
                store.commit(
                    new WriteBatch().requireValue("seq", bytes("0")).put("seq", bytes("2"))))
        .isInstanceOf(MetaStoreConflictException.class);
    assertThatThrownBy(
            () ->
                store.commit(
                    new WriteBatch()
                        .requireValue("missing", bytes("0"))
                        .put("missing", bytes("2"))))
        .isInstanceOf(MetaStoreConflictException.class);
    store.commit(new WriteBatch().requireValue("seq", bytes("1")).put("seq", bytes("2")));
    assertThat(store.get("seq")).map(MetaStoreContract::text).contains("2");
  }

  @Test
  void prefixScanHandlesNonAsciiKeys() {
    MetaStore store = store();
    store.commit(
        new WriteBatch()
            .put("label/数据/a", bytes("1"))
            .put("label/数据/b", bytes("2"))
            .put("label/数据x", bytes("3")));
    assertThat(store.scan("label/数据/"))
        .extracting(KeyValue::key)
        .containsExactly("label/数据/a", "label/数据/b");
    assertThat(store.scan("label/数")).hasSize(3);
  }

  @Test
  void randomCommitsMatchAModelAcrossRestart() {
    long seed = 20240611L;
    RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    MetaStore store = store();
    TreeMap<String, String> model = new TreeMap<>();
    for (int round = 0; round < 60; round++) {
      WriteBatch batch = new WriteBatch();
      TreeMap<String, String> next = new TreeMap<>(model);
      for (int write = 0; write < 1 + random.nextInt(4); write++) {
        String key = "k/" + random.nextInt(20);
        if (random.nextInt(3) == 0) {
          batch.delete(key);
          next.remove(key);
        } else {
          String value = "v" + random.nextInt(1000);
          batch.put(key, bytes(value));
          next.put(key, value);
        }
      }
      boolean conflict = random.nextInt(5) == 0;
      if (conflict) {
        String key = "k/" + random.nextInt(20);
        if (model.containsKey(key)) {
          batch.requireAbsent(key);
        } else {
          batch.requireValue(key, bytes("nothing"));
        }
        MetaStore current = store;
        assertThatThrownBy(() -> current.commit(batch))
            .as("seed %d round %d", seed, round)
            .isInstanceOf(MetaStoreConflictException.class);
      } else {
        store.commit(batch);
        model = next;
      }
      if (round == 30) {
        store = reopen(store);
      }
    }
    store = reopen(store);
    List<String> actual =
        store.scan("k/").stream().map(e -> e.key() + "=" + text(e.value())).toList();
    List<String> expected =
        model.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    assertThat(actual).as("seed %d", seed).isEqualTo(expected);
    store.close();
  }
}
