package dev.basalt.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IndentedJson} writes the Stream Load answer byte for byte as Jackson's indented output did
 * (Doris's clients read that text): checked against Jackson on the answer's shape and on random
 * strings with every control character, quotes, backslashes and non-ASCII text.
 */
class IndentedJsonTest {
  private static final ObjectMapper JACKSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static void assertSameAsJackson(Map<String, Object> object) throws Exception {
    assertThat(IndentedJson.write(object)).isEqualTo(JACKSON.writeValueAsString(object));
  }

  @Test
  void aStreamLoadAnswerIsWrittenAsJacksonWroteIt() throws Exception {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("TxnId", 1234567890123L);
    answer.put("Label", "group_commit_00000000000004d2");
    answer.put("Comment", "");
    answer.put("GroupCommit", true);
    answer.put("Status", "Success");
    answer.put("Message", "OK");
    answer.put("NumberTotalRows", 10L);
    answer.put("NumberLoadedRows", 10L);
    answer.put("NumberFilteredRows", 0L);
    answer.put("NumberUnselectedRows", 0L);
    answer.put("LoadBytes", 1234L);
    answer.put("LoadTimeMs", 3L);
    answer.put("StreamLoadPutTimeMs", 0L);
    answer.put("ReadDataTimeMs", 0L);
    answer.put("WriteDataTimeMs", 1L);
    answer.put("code", 401);
    answer.put("ExistingJobStatus", null);
    answer.put("TwoPhaseCommit", "false");
    assertSameAsJackson(answer);
    assertSameAsJackson(Map.of());
    assertSameAsJackson(Map.of("status", "Fail"));
  }

  @Test
  void stringsAreEscapedAsJacksonEscapesThem() throws Exception {
    Random random = new Random(20261207);
    String alphabet = "aZ09 \"\\/'<>&{}[]:,\u007f\u0080é€\u2028\u2029日本語\uD83D\uDE00";
    for (int round = 0; round < 2000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        text.append(
            random.nextInt(3) == 0
                ? (char) random.nextInt(0x20)
                : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("Message", text.toString());
      object.put(text.toString(), random.nextLong());
      assertSameAsJackson(object);
    }
  }
}
