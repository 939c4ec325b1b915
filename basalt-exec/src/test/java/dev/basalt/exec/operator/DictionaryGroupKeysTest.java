package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GROUP BY on string keys that carry dictionary codes against the same batches without codes:
 * seeded random batches of one or two CHAR / VARCHAR keys (NULLs, empty strings, trailing spaces,
 * multibyte UTF-8, dictionaries repeating entries), some with codes and some without, some too
 * small for the code table; the group ids of every row and the stored keys must be the same.
 */
class DictionaryGroupKeysTest {
  private static final long SEED = 20261207L;
  private static final String[] WORDS = {
    "R", "A", "N", "O", "F", "", " ", "R ", "日本語", "Ärger", "MAIL", "SHIP"
  };

  @Test
  void dictionaryAndBytePathsGiveTheSameGroups() {
    Random random = new Random(SEED);
    for (int round = 0; round < 60; round++) {
      int keyCount = 1 + random.nextInt(2);
      List<DataType> types = new ArrayList<>();
      for (int i = 0; i < keyCount; i++) {
        types.add(random.nextBoolean() ? DataType.character(10) : DataType.varchar(12));
      }
      GroupKeys coded = new GroupKeys(types);
      GroupKeys plain = new GroupKeys(types);
      for (int batch = 0; batch < 8; batch++) {
        int rows = 1 + random.nextInt(random.nextBoolean() ? 20 : 3000);
        List<ColumnVector> codedKeys = new ArrayList<>();
        List<ColumnVector> plainKeys = new ArrayList<>();
        for (DataType type : types) {
          BytesVector vector = randomDictionaryVector(random, type, rows);
          plainKeys.add(withoutDictionary(vector));
          codedKeys.add(random.nextInt(5) == 0 ? withoutDictionary(vector) : vector);
        }
        int[] codedIds = new int[rows];
        int[] plainIds = new int[rows];
        coded.groupIds(codedKeys, rows, codedIds);
        plain.groupIds(plainKeys, rows, plainIds);
        assertThat(codedIds)
            .as("seed %d round %d batch %d", SEED, round, batch)
            .isEqualTo(plainIds);
      }
      assertThat(coded.groupCount()).isEqualTo(plain.groupCount());
      for (int column = 0; column < keyCount; column++) {
        ColumnVector codedColumn = coded.keyColumn(column, 0, coded.groupCount());
        ColumnVector plainColumn = plain.keyColumn(column, 0, plain.groupCount());
        for (int group = 0; group < coded.groupCount(); group++) {
          assertThat(codedColumn.getObject(group)).isEqualTo(plainColumn.getObject(group));
        }
      }
    }
  }

  private static BytesVector randomDictionaryVector(Random random, DataType type, int rows) {
    List<String> entries = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
      entries.add(WORDS[random.nextInt(WORDS.length)]);
    }
    if (random.nextBoolean()) {
      entries.addAll(new ArrayList<>(entries)); // two pages' dictionaries, one after the other
    }
    ColumnVectorBuilder dictionary = new ColumnVectorBuilder(type);
    entries.forEach(dictionary::appendObject);
    int[] codes = new int[rows];
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type);
    for (int row = 0; row < rows; row++) {
      codes[row] = random.nextInt(entries.size());
      if (random.nextInt(9) == 0) {
        builder.appendNull();
      } else {
        builder.appendObject(entries.get(codes[row]));
      }
    }
    return ((BytesVector) builder.build()).withDictionary(codes, (BytesVector) dictionary.build());
  }

  private static BytesVector withoutDictionary(BytesVector coded) {
    int rows = coded.size();
    int[] offsets = new int[rows + 1];
    boolean[] nulls = new boolean[rows];
    for (int row = 0; row < rows; row++) {
      offsets[row + 1] = coded.offset(row) + coded.byteLength(row);
      nulls[row] = coded.isNull(row);
    }
    return new BytesVector(coded.type(), coded.rawBytes().clone(), offsets, nulls, rows);
  }
}
