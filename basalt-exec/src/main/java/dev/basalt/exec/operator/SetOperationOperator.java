package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UNION, INTERSECT and EXCEPT over inputs with the same column types, with ALL (multiset) or
 * DISTINCT semantics. UNION ALL streams; the others materialize rows in hash tables.
 */
public final class SetOperationOperator implements Operator {
  /** The set operation. */
  public enum Kind {
    UNION,
    INTERSECT,
    EXCEPT
  }

  private final Kind kind;
  private final boolean all;
  private final List<Operator> inputs;
  private final List<DataType> types;
  private int current;
  private RowBuffer output;

  public SetOperationOperator(Kind kind, boolean all, List<Operator> inputs, List<DataType> types) {
    this.kind = kind;
    this.all = all;
    this.inputs = List.copyOf(inputs);
    this.types = List.copyOf(types);
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    if (kind == Kind.UNION && all) {
      while (current < inputs.size()) {
        Batch batch = inputs.get(current).next();
        if (batch != null) {
          return batch;
        }
        current++;
      }
      return null;
    }
    if (output == null) {
      output = new RowBuffer(types, compute());
    }
    return output.next();
  }

  private List<Object[]> compute() {
    // counts.get(row)[i] = how often the row occurs in input i.
    Map<List<Object>, long[]> counts = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      for (Object[] row : RowBuffer.drain(inputs.get(i))) {
        counts.computeIfAbsent(Arrays.asList(row), unused -> new long[inputs.size()])[i]++;
      }
    }
    List<Object[]> rows = new ArrayList<>();
    for (Map.Entry<List<Object>, long[]> entry : counts.entrySet()) {
      long[] occurrences = entry.getValue();
      long times =
          switch (kind) {
            case UNION -> all ? Arrays.stream(occurrences).sum() : 1;
            case INTERSECT -> {
              long min = Arrays.stream(occurrences).min().orElse(0);
              yield all ? min : Math.min(min, 1);
            }
            case EXCEPT -> {
              long rest = 0;
              for (int i = 1; i < occurrences.length; i++) {
                rest += occurrences[i];
              }
              yield all
                  ? Math.max(0, occurrences[0] - rest)
                  : (occurrences[0] > 0 && rest == 0 ? 1 : 0);
            }
          };
      for (long t = 0; t < times; t++) {
        rows.add(entry.getKey().toArray());
      }
    }
    return rows;
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (Operator input : inputs) {
      try {
        input.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
