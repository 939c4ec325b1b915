package dev.basalt.bench.tpch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The 22 TPC-H queries with the specification's validation parameters (clause 2.4), one text per
 * query that both Basalt and DuckDB run: {@code date 'x' + interval 'n' unit} for date arithmetic,
 * Q15's view as a common table expression, {@code substring(s, 1, 2)}.
 */
public final class TpchQueries {
  /** The number of queries. */
  public static final int COUNT = 22;

  private TpchQueries() {}

  /** The query's name in reports: {@code q01} ... {@code q22}. */
  public static String name(int number) {
    return String.format(Locale.ROOT, "q%02d", number);
  }

  /** The text of query {@code number} (1 to 22). */
  public static String text(int number) {
    if (number < 1 || number > COUNT) {
      throw new IllegalArgumentException("TPC-H has queries 1 to 22, not " + number);
    }
    String resource = name(number) + ".sql";
    try (InputStream input = TpchQueries.class.getResourceAsStream(resource)) {
      if (input == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(input.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the result's row order is defined (a top-level ORDER BY). */
  public static boolean ordered(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    int lastOrderBy = lower.lastIndexOf("order by");
    return lastOrderBy >= 0 && lower.indexOf(')', lastOrderBy) < 0;
  }
}
