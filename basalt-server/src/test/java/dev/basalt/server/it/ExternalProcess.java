package dev.basalt.server.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program outside the JVM for a test (a command-line client, a driver script): feeds it
 * standard input, collects its output and error text, and kills it after a timeout.
 */
final class ExternalProcess {
  private ExternalProcess() {}

  /** What a program printed and how it ended; {@code exitCode} is -1 if it could not start. */
  record Result(int exitCode, String out, String err) {
    boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  /**
   * @param standardInput text for the program's standard input, or {@code null} for none
   * @throws AssertionError when the program does not finish within {@code timeoutSeconds}
   */
  static Result run(List<String> command, String standardInput, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("TERM", "dumb");
    Path outFile = Files.createTempFile("basalt-process-", ".out");
    Path errFile = Files.createTempFile("basalt-process-", ".err");
    builder.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
    Process process;
    try {
      process = builder.start();
    } catch (IOException notInstalled) {
      deleteQuietly(outFile);
      deleteQuietly(errFile);
      return new Result(-1, "", String.valueOf(notInstalled.getMessage()));
    }
    try {
      try (OutputStream stdin = process.getOutputStream()) {
        if (standardInput != null) {
          stdin.write(standardInput.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "did not finish in "
                + timeoutSeconds
                + " s: "
                + command
                + "\n"
                + Files.readString(outFile));
      }
      return new Result(
          process.exitValue(),
          Files.readString(outFile, StandardCharsets.UTF_8),
          Files.readString(errFile, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
      deleteQuietly(outFile);
      deleteQuietly(errFile);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temporary file is harmless.
    }
  }
}
