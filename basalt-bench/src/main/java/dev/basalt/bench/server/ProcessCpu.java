package dev.basalt.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** User plus system CPU time of a process (all its threads), from {@code /proc/<pid>/stat}. */
final class ProcessCpu {
  private ProcessCpu() {}

  /** The process's CPU time in clock ticks (100 per second on Linux), or -1 when unreadable. */
  static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The fields after the command name (which may hold spaces) in parentheses.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException unreadable) {
      return -1;
    }
  }
}
