package dev.basalt.exec.profile;

import dev.basalt.storage.segment.ScanCounters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One operator of a profiled plan: its name, its inputs, and one {@link OperatorStats} per instance
 * (one, or one per copy of a parallel pipeline), which {@link #total} sums. A scan also holds the
 * {@link ScanCounters} of its segment reads (shared by the copies of a parallel scan, counted
 * once).
 *
 * <p>Built by the one thread that builds the operator tree; instances are added only then. Read
 * when the statement ends.
 */
public final class OperatorProfile {
  private final Object planNode;
  private String name;
  private final List<OperatorProfile> children = new ArrayList<>();
  private final List<OperatorStats> instances = new ArrayList<>();
  private final Set<ScanCounters> scans = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<Supplier<String>> planDetails = new ArrayList<>();
  private final List<Supplier<String>> runDetails = new ArrayList<>();
  private boolean parallelInputs;
  private boolean readsTable;

  OperatorProfile(Object planNode, String name) {
    this.planNode = planNode;
    this.name = name;
  }

  /** The plan node this operator was built from (identity, to find the profile of a copy). */
  Object planNode() {
    return planNode;
  }

  public String name() {
    return name;
  }

  /** Renames the operator once it is built (e.g. a parallel pipeline's exchange). */
  public void name(String name) {
    this.name = name;
  }

  public List<OperatorProfile> children() {
    return children;
  }

  /** The child built from {@code planNode}, added with {@code name} if there is none yet. */
  OperatorProfile child(Object planNode, String name) {
    for (OperatorProfile child : children) {
      if (child.planNode == planNode) {
        return child;
      }
    }
    OperatorProfile child = new OperatorProfile(planNode, name);
    children.add(child);
    return child;
  }

  /** A new instance's counters (one per copy of a parallel pipeline). */
  OperatorStats newInstance() {
    OperatorStats stats = new OperatorStats();
    instances.add(stats);
    return stats;
  }

  public int instanceCount() {
    return instances.size();
  }

  /** Attaches the counters of a scan's segment reads (the same object once, however often). */
  public void scan(ScanCounters counters) {
    scans.add(counters);
  }

  /** Marks this operator as one that reads a table itself (with or without segment counters). */
  public void readsTable() {
    readsTable = true;
  }

  /** Whether this operator reads a table itself: a scan, or an operator a scan took over. */
  public boolean isScan() {
    return readsTable || !scans.isEmpty();
  }

  /**
   * Adds a line on what the plan gave this operator (EXPLAIN and EXPLAIN ANALYZE show it under the
   * operator), e.g. the filter pushed into a scan or the runtime filter a join publishes. The line
   * is computed when the profile is read, after the whole tree is built (a scan's line may name
   * what the join above it decided later); an empty line is left out, and a line already there (a
   * copy of a parallel pipeline adds it again) is shown once.
   */
  public void planDetail(Supplier<String> line) {
    planDetails.add(line);
  }

  /** The plan's lines on this operator, in the order they were added, each once. */
  public List<String> planDetails() {
    return distinctLines(planDetails);
  }

  private static List<String> distinctLines(List<Supplier<String>> suppliers) {
    List<String> lines = new ArrayList<>();
    for (Supplier<String> supplier : suppliers) {
      String line = supplier.get();
      if (line != null && !line.isEmpty() && !lines.contains(line)) {
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * Adds a line on what the operator did, computed when the profile is read (EXPLAIN ANALYZE and
   * kept profiles show it; EXPLAIN does not run the plan), e.g. whether a join's runtime filter was
   * published; shown once however many copies add it.
   */
  public void runDetail(Supplier<String> line) {
    runDetails.add(line);
  }

  /** The lines on what the operator did, computed now, each once. */
  public List<String> runDetails() {
    return distinctLines(runDetails);
  }

  /** The scan counters attached, summed; null when this operator reads no segments itself. */
  public ScanTotals scanTotals() {
    if (scans.isEmpty()) {
      return null;
    }
    long segmentsSkipped = 0;
    long rowsSkipped = 0;
    long pagesSkipped = 0;
    long pagesDecoded = 0;
    long rowsScanned = 0;
    long rowsReturned = 0;
    long runtimeFiltered = 0;
    for (ScanCounters counters : scans) {
      segmentsSkipped += counters.segmentsSkipped();
      rowsSkipped += counters.rowsSkippedByZoneMaps();
      pagesSkipped += counters.pagesSkippedByZoneMaps();
      pagesDecoded += counters.pagesDecoded();
      rowsScanned += counters.rowsScanned();
      rowsReturned += counters.rowsReturned();
      runtimeFiltered += counters.rowsFilteredByRuntimeFilters();
    }
    return new ScanTotals(
        segmentsSkipped,
        rowsSkipped,
        pagesSkipped,
        pagesDecoded,
        rowsScanned,
        rowsReturned,
        runtimeFiltered);
  }

  /** Whether this operator's inputs run on other threads (a parallel pipeline's exchange). */
  public boolean parallelInputs() {
    return parallelInputs;
  }

  public void parallelInputs(boolean parallel) {
    this.parallelInputs = parallel;
  }

  /** The counters of all instances summed (wall and CPU time summed over the copies' threads). */
  public Totals total() {
    long batches = 0;
    long rows = 0;
    long wall = 0;
    long cpu = 0;
    long memory = 0;
    long spilled = 0;
    long partitions = 0;
    boolean cpuMeasured = false;
    for (OperatorStats stats : instances) {
      cpuMeasured |= stats.cpuMeasured();
      batches += stats.batches();
      rows += stats.rows();
      wall += stats.wallNanos();
      cpu += stats.cpuNanos();
      memory += stats.memoryPeak();
      spilled += stats.spilledBytes();
      partitions += stats.spillPartitions();
    }
    return new Totals(batches, rows, wall, cpuMeasured ? cpu : -1, memory, spilled, partitions);
  }

  /**
   * An operator's counters over its instances. {@code cpuNanos} is -1 when no instance ran on a
   * thread with a CPU clock; {@code memoryPeak} is the sum of the instances' peaks (an upper bound
   * of what they held at once).
   */
  public record Totals(
      long batches,
      long rows,
      long wallNanos,
      long cpuNanos,
      long memoryPeak,
      long spilledBytes,
      long spillPartitions) {}

  /** A scan's segment-read counters (see {@link ScanCounters}). */
  public record ScanTotals(
      long segmentsSkipped,
      long rowsSkippedByZoneMaps,
      long pagesSkippedByZoneMaps,
      long pagesDecoded,
      long rowsScanned,
      long rowsReturned,
      long rowsFilteredByRuntimeFilters) {}

  /** For tests and logs: the operator's name and instance count. */
  @Override
  public String toString() {
    return name + " x" + instances.size();
  }

  /** The profiles of this operator and all below it, depth first. */
  public List<OperatorProfile> flatten() {
    List<OperatorProfile> all = new ArrayList<>();
    flatten(all);
    return all;
  }

  private void flatten(List<OperatorProfile> all) {
    all.add(this);
    for (OperatorProfile child : children) {
      child.flatten(all);
    }
  }
}
