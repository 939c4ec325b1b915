package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
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
  private final MemoryReservation memory;
  private int current;
  private RowBuffer output;

  /** The distinct rows and their counts are reserved in {@code budget}. */
  public SetOperationOperator(
      Kind kind,
      boolean all,
      List<Operator> inputs,
      List<DataType> types,
      QueryMemoryBudget budget) {
    this.memory = budget.reservation("SetOperationOperator(" + kind + ")");
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
      Operator input = inputs.get(i);
      for (Batch batch = input.next(); batch != null; batch = input.next()) {
        for (int position = 0; position < batch.rowCount(); position++) {
          Object[] row = RowBuffer.row(batch, position);
          long[] occurrences = counts.get(Arrays.asList(row));
          if (occurrences == null) {
            // The row, its list wrapper, the map entry and the counts.
            memory.add(MemoryEstimates.row(row) + 16 + 48 + 16 + 8L * inputs.size());
            occurrences = new long[inputs.size()];
            counts.put(Arrays.asList(row), occurrences);
          }
          occurrences[i]++;
        }
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
      if (times > 1) {
        memory.add(times * (16 + 4L * types.size()));
      }
      for (long t = 0; t < times; t++) {
        rows.add(entry.getKey().toArray());
      }
    }
    return rows;
  }

  @Override
  public void close() {
    memory.close();
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
