package dev.basalt.sql.parser;

import dev.basalt.meta.catalog.PartitionKind;
import java.util.List;

/**
 * {@code [AUTO] PARTITION BY RANGE|LIST (columns) (partition, ...)}; {@code AUTO PARTITION BY RANGE
 * (date_trunc(c, 'unit'))} names its column through the function.
 *
 * @param kind RANGE or LIST
 * @param columns the partition columns
 * @param partitions the partitions in declaration order
 * @param auto whether loads create missing partitions
 * @param autoTimeUnit the date_trunc unit of an AUTO RANGE clause, upper case; "" otherwise
 */
public record PartitionClause(
    PartitionKind kind,
    List<String> columns,
    List<PartitionDefinition> partitions,
    boolean auto,
    String autoTimeUnit) {
  public PartitionClause {
    columns = List.copyOf(columns);
    partitions = List.copyOf(partitions);
    autoTimeUnit = autoTimeUnit == null ? "" : autoTimeUnit;
  }

  /** A clause whose partitions are all declared. */
  public PartitionClause(
      PartitionKind kind, List<String> columns, List<PartitionDefinition> partitions) {
    this(kind, columns, partitions, false, "");
  }

  /**
   * One {@code PARTITION name VALUES ...}; values are literal texts.
   *
   * @param name the partition name
   * @param values its bound
   */
  public record PartitionDefinition(String name, PartitionValues values) {}

  /** The bound of a partition. */
  public sealed interface PartitionValues {}

  /**
   * {@code VALUES LESS THAN (v, ...)}; an empty list means {@code MAXVALUE}.
   *
   * @param upperBound the exclusive upper bound
   */
  public record LessThan(List<String> upperBound) implements PartitionValues {
    public LessThan {
      upperBound = List.copyOf(upperBound);
    }
  }

  /**
   * {@code VALUES [(lower...), (upper...))}.
   *
   * @param lowerBound inclusive lower bound
   * @param upperBound exclusive upper bound
   */
  public record FixedRange(List<String> lowerBound, List<String> upperBound)
      implements PartitionValues {
    public FixedRange {
      lowerBound = List.copyOf(lowerBound);
      upperBound = List.copyOf(upperBound);
    }
  }

  /**
   * {@code VALUES IN (v, ...)} or {@code VALUES IN ((a, b), ...)}: one tuple per value.
   *
   * @param values the value tuples
   */
  public record In(List<List<String>> values) implements PartitionValues {
    public In {
      values = values.stream().map(List::copyOf).toList();
    }
  }
}
