package dev.basalt.exec.function;

/**
 * A set of built-in functions that registers itself into a {@link FunctionRegistry}: the registry
 * knows no family, each family knows the registry, so registration flows one way.
 *
 * <p>Families are found with {@link java.util.ServiceLoader} (listed in {@code
 * META-INF/services/dev.basalt.exec.function.FunctionFamily}) when {@link
 * FunctionRegistry#builtins()} is first called. Implementations have a public no-argument
 * constructor, are stateless and must register each name once across all families.
 */
public interface FunctionFamily {
  /** Adds this family's scalar functions and aggregates to {@code builder}. */
  void register(FunctionRegistry.Builder builder);
}
