package dev.basalt.exec.function.cast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextCastsTest {

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void theEpochDayFormulaMatchesTheJdkOnRandomDates() {
    long seed = 7L;
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      LocalDate date = LocalDate.ofEpochDay(random.nextInt(4_000_000) - 1_000_000);
      if (date.getYear() < 0 || date.getYear() > 9999) {
        continue;
      }
      assertThat(TextCasts.epochDay(date.getYear(), date.getMonthValue(), date.getDayOfMonth()))
          .as("seed %d: %s", seed, date)
          .isEqualTo(date.toEpochDay());
    }
  }

  @Test
  void datesAndDatetimesAgreeWithCastOrStepAside() {
    long seed = 11L;
    Random random = new Random(seed);
    for (int i = 0; i < 5_000; i++) {
      String date =
          String.format(
              "%04d-%02d-%02d", random.nextInt(3000), random.nextInt(14), random.nextInt(33));
      String datetime =
          date
              + String.format(
                  " %02d:%02d:%02d", random.nextInt(26), random.nextInt(62), random.nextInt(62));
      long day = TextCasts.parseDate(ascii(date), 0, date.length());
      Object expectedDay = Casts.convert(date, DataType.STRING, DataType.DATE);
      if (day != TextCasts.NOT_A_DATE) {
        assertThat(LocalDate.ofEpochDay(day)).as("seed %d: %s", seed, date).isEqualTo(expectedDay);
      }
      long micros = TextCasts.parseDatetime(ascii(datetime), 0, datetime.length());
      Object expected = Casts.convert(datetime, DataType.STRING, DataType.DATETIME);
      if (micros != TextCasts.NOT_A_DATE) {
        LocalDateTime epoch = LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC);
        assertThat(epoch.plus(micros, ChronoUnit.MICROS))
            .as("seed %d: %s", seed, datetime)
            .isEqualTo(expected);
      }
    }
    assertThat(TextCasts.parseDate(ascii("2024-02-30"), 0, 10)).isEqualTo(TextCasts.NOT_A_DATE);
    assertThat(TextCasts.parseDatetime(ascii("2024-02-03T01:02:03"), 0, 19))
        .isEqualTo(TextCasts.NOT_A_DATE);
  }

  @Test
  void decimalsAgreeWithCastOrStepAside() {
    DataType type = DataType.decimal(15, 2);
    long limit = TextCasts.decimalLimit(15);
    for (String text :
        new String[] {
          "0", "17", "-1.005", "1.004", "9999999999999.99", "9999999999999.995", "-.5"
        }) {
      long unscaled = TextCasts.parseDecimal(ascii(text), 0, text.length(), 2, limit);
      Object expected = Casts.convert(text, DataType.STRING, type);
      if (unscaled == TextCasts.OUT_OF_RANGE) {
        assertThat(expected).as(text).isNull();
      } else if (unscaled != TextCasts.NOT_A_DECIMAL) {
        assertThat(BigDecimal.valueOf(unscaled, 2)).as(text).isEqualTo(expected);
      }
    }
  }
}
