/**
 * The built-in function library: scalar functions and operators, aggregates and casts with MySQL /
 * Doris semantics, looked up by name in {@link dev.basalt.exec.function.FunctionRegistry}.
 *
 * <p>Data flow: the planner resolves a name and argument types to a bound {@link
 * dev.basalt.exec.function.ScalarFunction} (or {@link dev.basalt.exec.function.AggregateFunction})
 * whose return type it uses for validation; at run time the expression evaluator passes one column
 * vector per argument to {@code evaluate}. Implicit conversions follow {@link
 * dev.basalt.exec.function.TypeCoercion} and {@code cast.Casts}; values print through {@link
 * dev.basalt.common.type.ValueText}.
 *
 * <p>Layout: {@code scalar} holds the families (arithmetic, comparison, pattern, string, math,
 * date-time, conditional), {@code aggregate} the aggregates, {@code cast} CAST and text parsing,
 * {@code builtin} the one {@link dev.basalt.exec.function.FunctionFamily} that registers them all
 * (found by {@link java.util.ServiceLoader}, so registration flows one way: families import the
 * registry, the registry imports no family; the CAST rules are registered as its {@link
 * dev.basalt.exec.function.CastResolver}). Hot operators (arithmetic, comparisons, LIKE) are
 * vectorized kernels over the primitive arrays; the long tail is written per row through {@link
 * dev.basalt.exec.function.scalar.RowWiseScalarFunction}.
 */
package dev.basalt.exec.function;
