package dev.basalt.bench.tpch;

import dev.basalt.bench.report.Progress;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * TPC-H data files of one scale factor, generated with {@code io.trino.tpch} (the Java port of
 * dbgen) and cached on disk as {@code <cache>/sf<X>/<table>.tbl}: one row a line, columns separated
 * by {@code |}, no trailing separator.
 *
 * <p>Generation writes into a temporary sibling directory and renames it into place, so a cache
 * directory that exists is complete; an interrupted generation leaves only a temporary directory,
 * which the next run deletes.
 */
public final class TpchDataSet {
  /** Row counts written at generation, so that opening a large cache need not count lines. */
  private static final String ROW_COUNTS_FILE = "row-counts.properties";

  private final Path directory;
  private final double scaleFactor;
  private final Map<String, Long> rowCounts;

  private TpchDataSet(Path directory, double scaleFactor, Map<String, Long> rowCounts) {
    this.directory = directory;
    this.scaleFactor = scaleFactor;
    this.rowCounts = rowCounts;
  }

  /** The scale factor as written in directory names and reports: {@code 0.1}, {@code 1}. */
  public static String scaleFactorText(double scaleFactor) {
    return new BigDecimal(Double.toString(scaleFactor)).stripTrailingZeros().toPlainString();
  }

  /**
   * Returns the cached data of {@code scaleFactor} under {@code cacheDirectory}, generating it
   * first if it is missing.
   */
  public static TpchDataSet openOrGenerate(
      Path cacheDirectory, double scaleFactor, Progress progress) throws IOException {
    if (!(scaleFactor > 0)) {
      throw new IllegalArgumentException("the scale factor must be positive, not " + scaleFactor);
    }
    Path directory = cacheDirectory.resolve("sf" + scaleFactorText(scaleFactor));
    if (!Files.isDirectory(directory)) {
      generate(cacheDirectory, directory, scaleFactor, progress);
    } else {
      progress.line("using cached TPC-H data in " + directory);
    }
    Properties counted = new Properties();
    Path countsFile = directory.resolve(ROW_COUNTS_FILE);
    if (Files.isRegularFile(countsFile)) {
      try (Reader reader = Files.newBufferedReader(countsFile, StandardCharsets.UTF_8)) {
        counted.load(reader);
      }
    }
    Map<String, Long> rowCounts = new LinkedHashMap<>();
    for (TpchSchema.Table table : TpchSchema.TABLES) {
      Path file = directory.resolve(table.name() + ".tbl");
      if (!Files.isRegularFile(file)) {
        throw new IOException(
            "the TPC-H cache "
                + directory
                + " lacks "
                + file.getFileName()
                + "; delete it to regenerate");
      }
      String known = counted.getProperty(table.name());
      if (known != null) {
        rowCounts.put(table.name(), Long.parseLong(known));
      } else {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
          rowCounts.put(table.name(), lines.count());
        }
      }
    }
    return new TpchDataSet(directory, scaleFactor, rowCounts);
  }

  private static void generate(
      Path cacheDirectory, Path directory, double scaleFactor, Progress progress)
      throws IOException {
    Files.createDirectories(cacheDirectory);
    String prefix = directory.getFileName() + ".partial-";
    // Leftovers of generations that were interrupted; a generation still running in another
    // process (its pid is alive) keeps its directory.
    try (Stream<Path> stale = Files.list(cacheDirectory)) {
      for (Path leftover :
          stale.filter(path -> path.getFileName().toString().startsWith(prefix)).toList()) {
        String pid = leftover.getFileName().toString().substring(prefix.length());
        boolean running =
            pid.chars().allMatch(Character::isDigit)
                && !pid.isEmpty()
                && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        if (!running) {
          deleteRecursively(leftover);
        }
      }
    }
    Path temporary = cacheDirectory.resolve(prefix + ProcessHandle.current().pid());
    Files.createDirectories(temporary);
    try {
      Properties rowCounts = new Properties();
      for (TpchSchema.Table table : TpchSchema.TABLES) {
        long rows =
            writeTable(table, scaleFactor, temporary.resolve(table.name() + ".tbl"), progress);
        rowCounts.setProperty(table.name(), Long.toString(rows));
      }
      try (Writer writer =
          Files.newBufferedWriter(temporary.resolve(ROW_COUNTS_FILE), StandardCharsets.UTF_8)) {
        rowCounts.store(writer, "rows per table, written at generation");
      }
      try {
        Files.move(temporary, directory, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename " + temporary + " to " + directory + " atomically", e);
      }
    } finally {
      deleteRecursively(temporary);
    }
    progress.line("TPC-H sf=" + scaleFactorText(scaleFactor) + " generated in " + directory);
  }

  private static long writeTable(
      TpchSchema.Table table, double scaleFactor, Path file, Progress progress) throws IOException {
    TpchTable<?> generatorTable = TpchTable.getTable(table.name());
    long expected = Math.max(1, Math.round(table.rowsAtScaleFactorOne() * scaleFactor));
    long rows = 0;
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (TpchEntity entity : generatorTable.createGenerator(scaleFactor, 1, 1)) {
        String line = entity.toLine();
        int end = line.endsWith("|") ? line.length() - 1 : line.length();
        writer.write(line, 0, end);
        writer.write('\n');
        rows++;
        if ((rows & 0xFFFF) == 0) {
          progress.update(
              String.format(
                  "generating %s: %,d of about %,d rows (%d%%)",
                  table.name(), rows, expected, Math.min(100, rows * 100 / expected)));
        }
      }
    }
    progress.line(String.format("generated %s: %,d rows", table.name(), rows));
    return rows;
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              each -> {
                try {
                  Files.deleteIfExists(each);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The directory holding the {@code .tbl} files. */
  public Path directory() {
    return directory;
  }

  /** The data file of {@code table}. */
  public Path file(String table) {
    return directory.resolve(table + ".tbl");
  }

  /** The scale factor. */
  public double scaleFactor() {
    return scaleFactor;
  }

  /** The number of rows of {@code table}. */
  public long rowCount(String table) {
    return rowCounts.get(table);
  }

  /** The number of rows of all tables. */
  public long totalRows() {
    return rowCounts.values().stream().mapToLong(Long::longValue).sum();
  }
}
