package dev.basalt.exec.profile;

import dev.basalt.exec.operator.Operator;
import dev.basalt.storage.segment.ScanCounters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The operator profiles of one statement's plan, built alongside its operator tree and printed as
 * EXPLAIN ANALYZE's lines and as a query profile's execution section (docs/sql.md, "Query
 * profiles").
 *
 * <p>Build protocol (the planner's operator builder, one thread): {@link #enter} before building an
 * operator from a plan node (its inputs' profiles become its children, and memory it reserves is
 * counted in the returned instance), {@link #exit} after, then {@link #wrap} the built operator. A
 * plan node built again under the same parent (the copies of a parallel pipeline) adds an instance
 * to the same profile. Reading ({@link #lines}) happens after the statement's operators are closed.
 */
public final class QueryProfile {
  private final OperatorProfile root = new OperatorProfile(null, "Result");
  private final Deque<OperatorProfile> building = new ArrayDeque<>();
  private final Deque<OperatorStats> buildingStats = new ArrayDeque<>();

  public QueryProfile() {
    building.push(root);
  }

  /** Starts the profile of the operator built from {@code planNode}; returns its new instance. */
  public OperatorStats enter(Object planNode, String name) {
    OperatorProfile profile = building.peek().child(planNode, name);
    building.push(profile);
    OperatorStats stats = profile.newInstance();
    buildingStats.push(stats);
    return stats;
  }

  /** The profile being built (the innermost {@link #enter} not yet exited). */
  public OperatorProfile current() {
    return building.peek();
  }

  /**
   * The profile of the operator just built from {@code planNode} under the one being built (after
   * its {@link #exit}), or null when there is none.
   */
  public OperatorProfile built(Object planNode) {
    for (OperatorProfile child : building.peek().children()) {
      if (child.planNode() == planNode) {
        return child;
      }
    }
    return null;
  }

  /**
   * The instance being built, or null outside any operator: memory it reserves is counted in it.
   */
  public OperatorStats currentStats() {
    return buildingStats.peek();
  }

  /**
   * Ends the innermost {@link #enter}. When the operator built is the single copy of a pipeline
   * that did not split (its profile's one child is the same plan node), the outer profile is
   * dropped and false returned: the caller does not wrap it again.
   */
  public boolean exit() {
    OperatorProfile profile = building.pop();
    buildingStats.pop();
    OperatorProfile parent = building.peek();
    List<OperatorProfile> children = profile.children();
    if (children.size() == 1
        && children.get(0).planNode() == profile.planNode()
        && children.get(0).instanceCount() == 1) {
      List<OperatorProfile> siblings = parent.children();
      siblings.set(siblings.indexOf(profile), children.get(0));
      return false;
    }
    return true;
  }

  /** {@code operator} counting into {@code stats}. */
  public Operator wrap(Operator operator, OperatorStats stats) {
    return new ProfiledOperator(operator, stats);
  }

  /**
   * Marks the operator being built as a table scan and attaches its segment-read counters (null:
   * the scan reads no segments, e.g. a system table).
   */
  public void scan(ScanCounters counters) {
    if (building.peek() != root) {
      building.peek().readsTable();
      if (counters != null) {
        building.peek().scan(counters);
      }
    }
  }

  /** The top operators (one for a query). */
  public List<OperatorProfile> operators() {
    return root.children();
  }

  /** Every operator, depth first. */
  public List<OperatorProfile> allOperators() {
    List<OperatorProfile> all = new ArrayList<>();
    for (OperatorProfile top : root.children()) {
      all.addAll(top.flatten());
    }
    return all;
  }

  /**
   * The plan as text, two lines per operator (three for a scan) and then its plan and run details
   * (see {@link OperatorProfile}), inputs indented below:
   *
   * <pre>
   * HashAggregate(group=[{0}], ...)
   *    rows=3 batches=1 time=1.204ms cpu=1.100ms self=0.300ms peak_memory=65536 ...
   * </pre>
   *
   * Times are inclusive of the inputs and summed over a parallel pipeline's instances; {@code self}
   * (without the inputs) is shown where the inputs run on the same thread, {@code cpu} where the
   * operator ran on threads with a CPU clock (a parallel pipeline's copies).
   */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (OperatorProfile top : root.children()) {
      render(top, 0, lines);
    }
    return lines;
  }

  /**
   * The operator tree as built, without counters (EXPLAIN): one line per operator, inputs indented
   * below, {@code [instances=n]} on an operator that runs in each of n parallel pipelines, and
   * under an operator its {@link OperatorProfile#planDetails} (what is pushed into a scan, the
   * runtime filter a join publishes, the phases of an aggregation).
   */
  public List<String> planLines() {
    List<String> lines = new ArrayList<>();
    for (OperatorProfile top : root.children()) {
      renderPlan(top, 0, lines);
    }
    return lines;
  }

  private static void renderPlan(OperatorProfile profile, int depth, List<String> lines) {
    String indent = "  ".repeat(depth);
    lines.add(
        indent
            + profile.name()
            + (profile.instanceCount() > 1 ? " [instances=" + profile.instanceCount() + "]" : ""));
    for (String detail : profile.planDetails()) {
      lines.add(indent + "   " + detail);
    }
    for (OperatorProfile child : profile.children()) {
      renderPlan(child, depth + 1, lines);
    }
  }

  private static void render(OperatorProfile profile, int depth, List<String> lines) {
    String indent = "  ".repeat(depth);
    lines.add(indent + profile.name());
    OperatorProfile.Totals total = profile.total();
    StringBuilder counters = new StringBuilder(indent).append("   ");
    counters.append("rows=").append(total.rows());
    counters.append(" batches=").append(total.batches());
    counters.append(" time=").append(millis(total.wallNanos()));
    if (total.cpuNanos() >= 0) {
      counters.append(" cpu=").append(millis(total.cpuNanos()));
    }
    boolean sameThread = !profile.parallelInputs() && profile.instanceCount() <= 1;
    long inputs = 0;
    for (OperatorProfile child : profile.children()) {
      sameThread &= child.instanceCount() <= 1;
      inputs += child.total().wallNanos();
    }
    if (sameThread) {
      counters.append(" self=").append(millis(Math.max(0, total.wallNanos() - inputs)));
    }
    counters.append(" peak_memory=").append(total.memoryPeak());
    if (total.spilledBytes() > 0 || total.spillPartitions() > 0) {
      counters.append(" spilled_bytes=").append(total.spilledBytes());
      counters.append(" spill_partitions=").append(total.spillPartitions());
    }
    if (profile.instanceCount() > 1) {
      counters.append(" instances=").append(profile.instanceCount());
    }
    lines.add(counters.toString());
    OperatorProfile.ScanTotals scan = profile.scanTotals();
    if (scan != null) {
      lines.add(
          indent
              + "   segments_skipped_by_zone_maps="
              + scan.segmentsSkipped()
              + " rows_skipped_by_zone_maps="
              + scan.rowsSkippedByZoneMaps()
              + " pages_skipped_by_zone_maps="
              + scan.pagesSkippedByZoneMaps()
              + " pages_decoded="
              + scan.pagesDecoded()
              + " rows_scanned="
              + scan.rowsScanned()
              + " rows_read="
              + scan.rowsReturned()
              + " runtime_filter_rows_filtered="
              + scan.rowsFilteredByRuntimeFilters());
    }
    for (String detail : profile.planDetails()) {
      lines.add(indent + "   " + detail);
    }
    for (String detail : profile.runDetails()) {
      lines.add(indent + "   " + detail);
    }
    for (OperatorProfile child : profile.children()) {
      render(child, depth + 1, lines);
    }
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
  }
}
