package dev.basalt.meta.catalog;

import java.util.List;
import java.util.Objects;

/**
 * One partition of a table and its tablets (one per bucket, in bucket order).
 *
 * <p>Bounds are kept as literal strings, one per partition column, as the user wrote them. A RANGE
 * partition covers {@code [lowerBound, upperBound)}: an empty {@code lowerBound} is the type's
 * minimum, an empty {@code upperBound} is {@code MAXVALUE}. A LIST partition holds {@code
 * listValues}, one tuple per accepted value. An unpartitioned table has one partition (named after
 * the table) with no bounds.
 *
 * @param id the partition id (0 in definitions)
 * @param name the partition name
 * @param lowerBound RANGE lower bound (inclusive), empty for minimum or non-RANGE
 * @param upperBound RANGE upper bound (exclusive), empty for MAXVALUE or non-RANGE
 * @param listValues LIST value tuples, empty for non-LIST
 * @param visibleVersion the version readers see; 1 for a new partition, +1 per committed load
 * @param visibleVersionTime when that version became visible, epoch milliseconds
 * @param tabletIds the tablet of each bucket (empty in definitions)
 */
public record PartitionMeta(
    long id,
    String name,
    List<String> lowerBound,
    List<String> upperBound,
    List<List<String>> listValues,
    long visibleVersion,
    long visibleVersionTime,
    List<Long> tabletIds) {

  public PartitionMeta {
    Objects.requireNonNull(name, "name");
    lowerBound = List.copyOf(lowerBound);
    upperBound = List.copyOf(upperBound);
    listValues = listValues.stream().map(List::copyOf).toList();
    tabletIds = List.copyOf(tabletIds);
  }

  /** A definition of an unbounded partition (for unpartitioned tables). */
  public static PartitionMeta unbounded(String name) {
    return new PartitionMeta(0, name, List.of(), List.of(), List.of(), 1, 0, List.of());
  }

  public static PartitionMeta range(String name, List<String> lowerBound, List<String> upperBound) {
    return new PartitionMeta(0, name, lowerBound, upperBound, List.of(), 1, 0, List.of());
  }

  public static PartitionMeta list(String name, List<List<String>> values) {
    return new PartitionMeta(0, name, List.of(), List.of(), values, 1, 0, List.of());
  }

  /** This partition under another name (REPLACE PARTITION keeps the replaced partition's name). */
  public PartitionMeta withName(String newName) {
    return new PartitionMeta(
        id,
        newName,
        lowerBound,
        upperBound,
        listValues,
        visibleVersion,
        visibleVersionTime,
        tabletIds);
  }

  public PartitionMeta withVersion(long version, long timeMillis) {
    return new PartitionMeta(
        id, name, lowerBound, upperBound, listValues, version, timeMillis, tabletIds);
  }
}
