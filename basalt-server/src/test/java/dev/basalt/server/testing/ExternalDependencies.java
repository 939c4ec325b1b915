package dev.basalt.server.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need something outside the JVM (the local MariaDB as a result oracle, the {@code
 * mariadb} CLI, util-linux's {@code script}) call {@link #require}: on a developer's machine
 * without it the test reports itself as skipped with the reason; in CI ({@code CI=true}, where
 * {@code .ci/run} installs and starts everything) a missing dependency fails the test, so that
 * nothing is skipped unseen.
 */
public final class ExternalDependencies {
  private ExternalDependencies() {}

  /**
   * @param available whether the dependency is there
   * @param reason what is missing, shown as the skip or failure reason
   */
  public static void require(boolean available, String reason) {
    if (available) {
      return;
    }
    if (inContinuousIntegration()) {
      throw new AssertionError("CI must provide this test's dependency: " + reason);
    }
    Assumptions.abort(reason);
  }

  /** Whether the tests run in CI ({@code CI=true}, as {@code .ci/run} is run). */
  public static boolean inContinuousIntegration() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }
}
