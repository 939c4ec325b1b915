package dev.basalt.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs a benchmark class through the JMH runner as briefly as JMH allows — no warmup, one
 * measurement iteration of 100 ms, in this JVM (no fork) — so that a test catches a benchmark that
 * no longer compiles, throws or measures nothing, without spending minutes. The scores mean
 * nothing.
 */
public final class RunOnce {
  private RunOnce() {}

  /**
   * Runs every {@code @Benchmark} method of {@code benchmark}, with {@code @Param} values
   * overridden by {@code parameterPairs} (a parameter's name, then its one value, and so on), and
   * asserts that there were {@code expectedRuns} runs and each gave a finite, positive score.
   */
  public static Collection<RunResult> run(
      Class<?> benchmark, int expectedRuns, String... parameterPairs) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .forks(0)
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT);
    for (int i = 0; i + 1 < parameterPairs.length; i += 2) {
      options.param(parameterPairs[i], parameterPairs[i + 1]);
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    assertThat(results).as("runs of %s", benchmark.getSimpleName()).hasSize(expectedRuns);
    for (RunResult result : results) {
      double score = result.getPrimaryResult().getScore();
      assertThat(score)
          .as("%s %s", result.getParams().getBenchmark(), result.getParams())
          .isPositive()
          .isFinite();
    }
    return results;
  }
}
