/**
 * JMH micro benchmarks of Basalt's kernels, one class per kernel family; each has a test that runs
 * it once. How to run them and the latest figures: docs/benchmarks.md ("Micro benchmarks (JMH)").
 */
package dev.basalt.jmh;
