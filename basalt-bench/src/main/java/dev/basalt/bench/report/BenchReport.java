package dev.basalt.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The files one workload run leaves in its output directory: {@code report.json} (machine, date,
 * engines, parameters and the workload's figures), {@code report.md} and optionally a chart.
 *
 * <p>Call order: fill {@link #json()} (the machine and date are already there), then {@link
 * #write}. Not thread safe.
 */
public final class BenchReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter DIRECTORY_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final ObjectNode json = JSON.createObjectNode();
  private final Instant started = Instant.now();

  /**
   * @param workload the workload name, e.g. {@code tpch}
   */
  public BenchReport(String workload) {
    json.put("workload", workload);
    json.put("date", started.toString());
    ObjectNode machine = json.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memoryBytes", totalMemoryBytes());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("arch", System.getProperty("os.arch"));
    machine.put(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    json.putObject("engines");
    json.putObject("parameters");
  }

  /** The default output directory: {@code bench-results/<workload>-<UTC timestamp>}. */
  public static Path defaultOutputDirectory(Path checkout, String workload) {
    return checkout
        .resolve("bench-results")
        .resolve(workload + "-" + DIRECTORY_TIME.format(Instant.now()));
  }

  /** The physical memory of the machine in bytes, or -1 if the JVM cannot tell. */
  public static long totalMemoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean system) {
      return system.getTotalMemorySize();
    }
    return -1;
  }

  /** The report's JSON tree, to add figures to. */
  public ObjectNode json() {
    return json;
  }

  /** The {@code engines} object: name → details. */
  public ObjectNode engines() {
    return (ObjectNode) json.get("engines");
  }

  /** The {@code parameters} object. */
  public ObjectNode parameters() {
    return (ObjectNode) json.get("parameters");
  }

  /** A Markdown header with the machine, date, engines and parameters. */
  public String markdownHeader(String title) {
    ObjectNode machine = (ObjectNode) json.get("machine");
    StringBuilder text = new StringBuilder();
    text.append("# ").append(title).append("\n\n");
    text.append("- date: ").append(json.get("date").asText()).append('\n');
    text.append("- machine: ")
        .append(machine.get("cores").asInt())
        .append(" cores, ")
        .append(
            String.format("%.1f GiB", machine.get("memoryBytes").asLong() / (1024.0 * 1024 * 1024)))
        .append(" memory, ")
        .append(machine.get("os").asText())
        .append(", ")
        .append(machine.get("java").asText())
        .append('\n');
    engines()
        .properties()
        .forEach(
            entry ->
                text.append("- ")
                    .append(entry.getKey())
                    .append(": ")
                    .append(entry.getValue().path("version").asText(entry.getValue().toString()))
                    .append('\n'));
    text.append("- parameters: ").append(parameters().toString()).append("\n\n");
    return text.toString();
  }

  /**
   * Writes {@code report.json} and {@code report.md} (and {@code chart.svg} when {@code svg} is not
   * null) into {@code directory}, creating it.
   */
  public void write(Path directory, String markdown, String svg) throws IOException {
    Files.createDirectories(directory);
    json.put("elapsedSeconds", (System.currentTimeMillis() - started.toEpochMilli()) / 1000.0);
    JSON.writeValue(directory.resolve("report.json").toFile(), json);
    Files.writeString(directory.resolve("report.md"), markdown, StandardCharsets.UTF_8);
    if (svg != null) {
      Files.writeString(directory.resolve("chart.svg"), svg, StandardCharsets.UTF_8);
    }
  }
}
