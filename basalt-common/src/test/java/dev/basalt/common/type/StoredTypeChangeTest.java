package dev.basalt.common.type;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which MODIFY COLUMN type changes read stored values unchanged, and which do not. */
class StoredTypeChangeTest {
  @Test
  void wideningChangesReadUnchanged() {
    assertThat(StoredTypeChange.readsUnchanged(DataType.TINYINT, DataType.SMALLINT)).isTrue();
    assertThat(StoredTypeChange.readsUnchanged(DataType.SMALLINT, DataType.BIGINT)).isTrue();
    assertThat(StoredTypeChange.readsUnchanged(DataType.INT, DataType.BIGINT)).isTrue();
    assertThat(StoredTypeChange.readsUnchanged(DataType.FLOAT, DataType.DOUBLE)).isTrue();
    assertThat(StoredTypeChange.readsUnchanged(DataType.decimal(9, 2), DataType.decimal(38, 2)))
        .isTrue();
    assertThat(StoredTypeChange.readsUnchanged(DataType.datetime(0), DataType.datetime(6)))
        .isTrue();
    assertThat(StoredTypeChange.readsUnchanged(DataType.varchar(5), DataType.varchar(5))).isTrue();
    assertThat(StoredTypeChange.readsUnchanged(DataType.varchar(5), DataType.STRING)).isTrue();
  }

  @Test
  void changesOfValueOrLayoutDoNot() {
    assertThat(StoredTypeChange.readsUnchanged(DataType.BIGINT, DataType.INT)).isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.INT, DataType.LARGEINT)).isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.INT, DataType.DOUBLE)).isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.BOOLEAN, DataType.INT)).isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.DATE, DataType.DATETIME)).isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.DOUBLE, DataType.FLOAT)).isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.decimal(9, 2), DataType.decimal(12, 4)))
        .isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.decimal(9, 2), DataType.decimal(8, 2)))
        .isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.datetime(6), DataType.datetime(3)))
        .isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.varchar(10), DataType.varchar(5)))
        .isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.character(5), DataType.varchar(5)))
        .isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.STRING, DataType.varchar(100))).isFalse();
    assertThat(StoredTypeChange.readsUnchanged(DataType.varchar(5), DataType.BITMAP)).isFalse();
  }
}
