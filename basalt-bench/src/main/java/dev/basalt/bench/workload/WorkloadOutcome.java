package dev.basalt.bench.workload;

import java.nio.file.Path;

/**
 * What a workload run leaves for the command line to print.
 *
 * @param table the result table for the terminal
 * @param summary the one-line summary, printed last
 * @param allCorrect whether every correctness check passed (and nothing failed)
 * @param reportDirectory where {@code report.json} and {@code report.md} were written
 */
public record WorkloadOutcome(
    String table, String summary, boolean allCorrect, Path reportDirectory) {}
