package dev.basalt.server;

import dev.basalt.load.MemtableBudget;
import dev.basalt.load.compaction.Compactor;
import dev.basalt.server.mysql.CommandLatencies;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;

/**
 * The text of {@code GET /metrics}: the server's gauges and counters in the Prometheus text format,
 * as a Doris BE serves them — the load memory budget ({@link MemtableBudget}: limit, bytes held,
 * peak, flushes), the server time of MySQL commands ({@link CommandLatencies}), the pages
 * compaction copied or decoded ({@link Compactor}) and the JVM heap. Thread safe: every call reads
 * the current values.
 */
final class ServerMetrics {
  private final MemtableBudget memtables;
  private final CommandLatencies commands;
  private final Compactor compactor;

  ServerMetrics(MemtableBudget memtables, CommandLatencies commands, Compactor compactor) {
    this.memtables = memtables;
    this.commands = commands;
    this.compactor = compactor;
  }

  /** The metrics now, one {@code # HELP}, {@code # TYPE} and value per metric. */
  String text() {
    StringBuilder out = new StringBuilder(2048);
    gauge(
        out,
        "basalt_load_memory_limit_bytes",
        "What the rows buffered by all loads together may hold (--load-memory-limit).",
        memtables.limitBytes());
    gauge(
        out,
        "basalt_load_memory_bytes",
        "Bytes held by the tablet buffers (memtables) of all loads, including those being flushed.",
        memtables.bufferedBytes() + memtables.flushingBytes());
    gauge(
        out,
        "basalt_load_memory_flushing_bytes",
        "Bytes of tablet buffers being written as segments now.",
        memtables.flushingBytes());
    gauge(
        out,
        "basalt_load_memory_peak_bytes",
        "The most bytes the tablet buffers of all loads held at once since the server started.",
        memtables.peakBytes());
    gauge(out, "basalt_load_open", "Loads buffering rows now.", memtables.loadCount());
    counter(
        out,
        "basalt_memtable_flush_total",
        "Tablet buffers written as segments before or at their load's commit.",
        memtables.flushCount());
    counter(
        out,
        "basalt_memtable_budget_flush_total",
        "Tablet buffers flushed because all loads' buffers together passed half the limit.",
        memtables.forcedFlushCount());
    counter(
        out,
        "basalt_load_memory_wait_total",
        "Appends that waited for flushes because the load memory limit was exceeded.",
        memtables.waitCount());
    counter(
        out,
        "basalt_compaction_pages_copied_total",
        "Column pages compactions copied to their output as stored, without decoding them"
            + " (DUPLICATE KEY runs).",
        compactor.pagesCopied());
    counter(
        out,
        "basalt_compaction_pages_encoded_total",
        "Column pages compactions encoded into their output (rows merged, or at a run's ends).",
        compactor.pagesEncoded());
    commands.appendPrometheus(
        out,
        "basalt_mysql_command_duration_seconds",
        "Server time per MySQL command, from its packet's arrival to its last reply packet written"
            + " (command: execute = COM_STMT_EXECUTE, query = COM_QUERY, other).");
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    gauge(out, "jvm_heap_used_bytes", "Heap in use, garbage included.", heap.getUsed());
    gauge(out, "jvm_heap_max_bytes", "The maximum heap (-Xmx).", heap.getMax());
    gauge(
        out,
        "jvm_heap_used_after_gc_bytes",
        "Heap in use right after the latest garbage collection.",
        heapUsedAfterLastCollection());
    return out.toString();
  }

  /** The heap pools' usage after the most recent collection of any collector; 0 before any. */
  private static long heapUsedAfterLastCollection() {
    com.sun.management.GcInfo latest = null;
    for (java.lang.management.GarbageCollectorMXBean collector :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof com.sun.management.GarbageCollectorMXBean withInfo) {
        com.sun.management.GcInfo info = withInfo.getLastGcInfo();
        if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
          latest = info;
        }
      }
    }
    if (latest == null) {
      return 0;
    }
    long used = 0;
    Map<String, MemoryUsage> after = latest.getMemoryUsageAfterGc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage usage = after.get(pool.getName());
      if (pool.getType() == MemoryType.HEAP && usage != null) {
        used += usage.getUsed();
      }
    }
    return used;
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    metric(out, name, help, "gauge", value);
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    metric(out, name, help, "counter", value);
  }

  private static void metric(StringBuilder out, String name, String help, String type, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    out.append(name).append(' ').append(value).append('\n');
  }
}
