package dev.basalt.meta.partition;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.DatabaseMeta;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.TableMeta;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the partitions of tables with {@code dynamic_partition.enable = true} ({@link
 * DynamicPartitionSpec}) in step with the clock: creates the partitions of the periods from now
 * (from {@code start} with {@code create_history_partition}) to {@code end} periods ahead that do
 * not exist and do not overlap an existing partition, and drops the partitions that end at or
 * before the start of period {@code start}. Runs when such a table is created and then every {@code
 * interval} on its own thread (Doris's {@code dynamic_partition_check_interval_seconds}, default
 * 600 s). The clock is injected so tests can move time. Thread safe; each pass takes the catalog's
 * DDL lock per change.
 *
 * <p>Call order: construct, {@link #start()} once (optional: {@link #apply} works without), {@link
 * #close()} when the server stops.
 */
public final class DynamicPartitions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DynamicPartitions.class);

  /** Doris's {@code dynamic_partition_check_interval_seconds}: ten minutes. */
  public static final long DEFAULT_CHECK_INTERVAL_MILLIS = 600_000;

  private final Catalog catalog;
  private final LongSupplier clock;
  private final ZoneId zone;
  private final long intervalMillis;
  private ScheduledExecutorService thread;

  /**
   * @param clock epoch milliseconds now
   * @param zone the time zone periods are counted in
   * @param intervalMillis how often all tables are checked
   */
  public DynamicPartitions(Catalog catalog, LongSupplier clock, ZoneId zone, long intervalMillis) {
    this.catalog = catalog;
    this.clock = clock;
    this.zone = zone;
    this.intervalMillis = intervalMillis;
  }

  /** Starts the periodic pass. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    thread =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("basalt-dynamic-partitions").factory());
    // A first pass at once: periods may have passed while the server was down.
    thread.scheduleWithFixedDelay(this::applyAllLogged, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void applyAllLogged() {
    try {
      applyAll();
    } catch (RuntimeException e) {
      LOG.warn("dynamic partition pass failed; retrying at the next interval", e);
    }
  }

  /** One pass over every table of every database. */
  public void applyAll() {
    for (DatabaseMeta database : catalog.databases()) {
      for (TableMeta table : catalog.tables(database.name())) {
        try {
          apply(database.name(), table);
        } catch (BasaltException e) {
          // The table changed or was dropped meanwhile, or its settings no longer hold.
          LOG.warn(
              "dynamic partitions of {}.{}: {}", database.name(), table.name(), e.getMessage());
        }
      }
    }
  }

  /**
   * Creates and drops the partitions of one table as of the clock's now; nothing for a table
   * without dynamic partitions.
   *
   * @return the names of the partitions created and dropped, for logs and tests
   */
  public List<String> apply(String database, TableMeta table) {
    Optional<DynamicPartitionSpec> found = spec(table);
    if (found.isEmpty()) {
      return List.of();
    }
    DynamicPartitionSpec spec = found.get();
    LocalDateTime now = LocalDateTime.ofInstant(Instant.ofEpochMilli(clock.getAsLong()), zone);
    LocalDateTime current = spec.timeUnit().floor(now);
    List<String> changed = new ArrayList<>();
    DataType type = table.column(table.partitioning().columns().get(0)).orElseThrow().type();
    if (spec.start() != DynamicPartitionSpec.KEEP_ALL) {
      LocalDateTime keepFrom = spec.timeUnit().plus(current, spec.start());
      for (PartitionMeta partition : table.partitions()) {
        if (!partition.upperBound().isEmpty()
            && !upper(type, partition).isAfter(keepFrom)
            && partition.name().startsWith(spec.prefix())) {
          catalog.dropPartition(database, table.name(), partition.name(), true, true);
          changed.add("-" + partition.name());
        }
      }
    }
    int first =
        spec.createHistory() && spec.start() != DynamicPartitionSpec.KEEP_ALL ? spec.start() : 0;
    for (int offset = first; offset <= spec.end(); offset++) {
      LocalDateTime lower = spec.timeUnit().plus(current, offset);
      LocalDateTime upper = spec.timeUnit().plus(lower, 1);
      String name = spec.prefix() + spec.timeUnit().suffix(lower);
      TableMeta latest = catalog.tableById(table.id()).orElse(null);
      if (latest == null
          || latest.partition(name).isPresent()
          || overlaps(latest, type, lower, upper)) {
        continue;
      }
      catalog.addPartition(
          database,
          table.name(),
          PartitionMeta.range(
              name, List.of(spec.boundLiteral(lower)), List.of(spec.boundLiteral(upper))),
          spec.buckets());
      changed.add("+" + name);
    }
    return changed;
  }

  /** The table's dynamic partition settings, or empty. */
  public static Optional<DynamicPartitionSpec> spec(TableMeta table) {
    Partitioning partitioning = table.partitioning();
    DataType type =
        partitioning.columns().size() == 1
            ? table.column(partitioning.columns().get(0)).map(c -> c.type()).orElse(null)
            : null;
    return DynamicPartitionSpec.of(table.properties(), partitioning, type);
  }

  /** Whether {@code [lower, upper)} intersects a partition of the (RANGE, date) table. */
  static boolean overlaps(
      TableMeta table, DataType type, LocalDateTime lower, LocalDateTime upper) {
    for (PartitionMeta partition : table.partitions()) {
      LocalDateTime start =
          partition.lowerBound().isEmpty()
              ? LocalDateTime.MIN
              : value(type, partition.lowerBound());
      LocalDateTime end =
          partition.upperBound().isEmpty() ? LocalDateTime.MAX : upper(type, partition);
      if (start.isBefore(upper) && lower.isBefore(end)) {
        return true;
      }
    }
    return false;
  }

  private static LocalDateTime upper(DataType type, PartitionMeta partition) {
    return value(type, partition.upperBound());
  }

  private static LocalDateTime value(DataType type, List<String> bound) {
    Object value = Partitioning.boundValue(type, bound.get(0));
    return value instanceof LocalDate date ? date.atStartOfDay() : (LocalDateTime) value;
  }

  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.shutdownNow();
      thread = null;
    }
  }
}
