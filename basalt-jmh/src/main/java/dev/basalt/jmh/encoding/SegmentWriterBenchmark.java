package dev.basalt.jmh.encoding;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentMetadata;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.segment.SegmentWriterOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SegmentWriter}: one segment of {@value #ROWS} rows shaped like TPC-H's lineitem (the 16
 * columns and types of the ingestion benchmark's table, values drawn like dbgen's: ascending order
 * keys, uniform part and supplier keys, two-decimal prices, three-valued flags, dates over seven
 * years, four ship instructions, seven ship modes, comments of 10 to 43 characters made of words),
 * about what one tablet gets from a second of shared-commit JDBC batches. Covers what every load
 * and compaction pays per row to write: buffering, choosing and applying each page's encoding,
 * compression, checksums and zone maps. The file system is in memory. Scores are nanoseconds per
 * row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SegmentWriterBenchmark {
  static final int ROWS = 25_000;

  private static final String PATH = "data/db1/t1/p0/tablet1/seg_0001.bsg";
  private static final String[] RETURN_FLAGS = {"R", "A", "N"};
  private static final String[] LINE_STATUSES = {"O", "F"};
  private static final String[] SHIP_INSTRUCTIONS = {
    "DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"
  };
  private static final String[] SHIP_MODES = {
    "REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"
  };
  private static final String[] WORDS = {
    "furiously",
    "carefully",
    "quickly",
    "blithely",
    "slyly",
    "regular",
    "final",
    "special",
    "pending",
    "ironic",
    "express",
    "bold",
    "even",
    "silent",
    "unusual",
    "deposits",
    "requests",
    "packages",
    "accounts",
    "instructions",
    "theodolites",
    "foxes",
    "pinto",
    "beans",
    "ideas",
    "dependencies",
    "asymptotes",
    "sleep",
    "wake",
    "haggle",
    "nag",
    "cajole",
    "integrate",
    "use",
    "among",
    "above",
    "along",
    "against",
    "the",
    "about"
  };

  @Param({"LZ4"})
  public Compression compression;

  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();
  private List<SegmentColumn> schema;
  private List<Batch> batches;
  private SegmentWriterOptions options;

  @Setup
  public void setUp() {
    List<DataType> types =
        List.of(
            DataType.BIGINT,
            DataType.INT,
            DataType.INT,
            DataType.INT,
            DataType.decimal(15, 2),
            DataType.decimal(15, 2),
            DataType.decimal(15, 2),
            DataType.decimal(15, 2),
            DataType.character(1),
            DataType.character(1),
            DataType.DATE,
            DataType.DATE,
            DataType.DATE,
            DataType.character(25),
            DataType.character(10),
            DataType.varchar(44));
    schema = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      schema.add(new SegmentColumn(i + 1, types.get(i), i >= 4));
    }
    options = SegmentWriterOptions.DEFAULT.withCompression(compression);
    Random random = new Random(13);
    batches = new ArrayList<>();
    long orderKey = 1;
    int lineNumber = 1;
    for (int start = 0; start < ROWS; start += Batch.DEFAULT_SIZE) {
      int size = Math.min(Batch.DEFAULT_SIZE, ROWS - start);
      List<ColumnVectorBuilder> builders = new ArrayList<>();
      for (DataType type : types) {
        builders.add(new ColumnVectorBuilder(type, size));
      }
      for (int row = 0; row < size; row++) {
        if (lineNumber > 1 + random.nextInt(7)) {
          orderKey += 1 + (random.nextInt(4) == 0 ? 24 : 0);
          lineNumber = 1;
        }
        int shipDate = 8036 + random.nextInt(2526);
        builders.get(0).appendLong(orderKey);
        builders.get(1).appendLong(1 + random.nextInt(200_000));
        builders.get(2).appendLong(1 + random.nextInt(10_000));
        builders.get(3).appendLong(lineNumber++);
        builders.get(4).appendUnscaledDecimal(100L * (1 + random.nextInt(50)));
        builders.get(5).appendUnscaledDecimal(90_000L + random.nextInt(10_000_000));
        builders.get(6).appendUnscaledDecimal(random.nextInt(11));
        builders.get(7).appendUnscaledDecimal(random.nextInt(9));
        builders.get(8).appendString(RETURN_FLAGS[random.nextInt(RETURN_FLAGS.length)]);
        builders.get(9).appendString(LINE_STATUSES[random.nextInt(LINE_STATUSES.length)]);
        builders.get(10).appendLong(shipDate);
        builders.get(11).appendLong(shipDate - 30 + random.nextInt(61));
        builders.get(12).appendLong(shipDate + 1 + random.nextInt(30));
        builders.get(13).appendString(SHIP_INSTRUCTIONS[random.nextInt(SHIP_INSTRUCTIONS.length)]);
        builders.get(14).appendString(SHIP_MODES[random.nextInt(SHIP_MODES.length)]);
        builders.get(15).appendString(comment(random));
      }
      List<ColumnVector> vectors = new ArrayList<>();
      for (ColumnVectorBuilder builder : builders) {
        vectors.add(builder.build());
      }
      batches.add(new Batch(vectors, size));
    }
  }

  private static String comment(Random random) {
    int length = 10 + random.nextInt(34);
    StringBuilder text = new StringBuilder(length + 16);
    while (text.length() < length) {
      if (!text.isEmpty()) {
        text.append(' ');
      }
      text.append(WORDS[random.nextInt(WORDS.length)]);
    }
    text.setLength(length);
    return text.toString();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public SegmentMetadata write() {
    try (SegmentWriter writer = new SegmentWriter(fileSystem, PATH, schema, options)) {
      for (Batch batch : batches) {
        writer.append(batch);
      }
      return writer.finishUnsynced();
    }
  }

  /** The written file's size in bytes (after {@link #write}). */
  long fileSize() {
    return fileSystem.bytes(PATH).length;
  }
}
