package dev.basalt.bench.query;

/** How one query run ended. */
public enum QueryStatus {
  /** It returned a result. */
  OK,
  /** It failed with an error (the message is kept). */
  FAILED,
  /** It did not finish within the timeout and was abandoned. */
  TIMEOUT,
  /** It was not run (an earlier run of it failed or timed out). */
  SKIPPED
}
