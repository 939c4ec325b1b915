package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.Accumulator;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.GroupedAccumulator;
import java.util.ArrayList;
import java.util.List;

/**
 * An aggregate whose input order matters, fed in a given order: {@code group_concat(x ORDER BY y
 * DESC)}. Its accumulator receives the inner aggregate's arguments followed by the ORDER BY
 * columns, keeps the rows of its group, and feeds them to the inner aggregate sorted by {@code
 * order} (whose column numbers count from the first ORDER BY column as 0) when the result is asked
 * for. Hash aggregation runs its batch form, {@link OrderedGroupedAccumulator}; the row-wise
 * accumulator serves window frames and is that one's reference.
 */
public final class OrderedAggregateFunction implements AggregateFunction {
  private final AggregateFunction inner;
  private final List<DataType> innerArgumentTypes;
  private final List<SortKey> order;

  public OrderedAggregateFunction(
      AggregateFunction inner, List<DataType> innerArgumentTypes, List<SortKey> order) {
    this.inner = inner;
    this.innerArgumentTypes = List.copyOf(innerArgumentTypes);
    this.order = List.copyOf(order);
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public DataType returnType() {
    return inner.returnType();
  }

  @Override
  public GroupedAccumulator newGroupedAccumulator() {
    return new OrderedGroupedAccumulator(
        innerArgumentTypes.size(), order, inner::newGroupedAccumulator);
  }

  @Override
  public Accumulator newAccumulator() {
    int innerWidth = innerArgumentTypes.size();
    List<SortKey> keys = new ArrayList<>();
    for (SortKey key : order) {
      keys.add(new SortKey(innerWidth + key.column(), key.descending(), key.nullsFirst()));
    }
    return new Accumulator() {
      private final List<Object[]> rows = new ArrayList<>();

      @Override
      public void add(List<ColumnVector> arguments, int row) {
        Object[] values = new Object[arguments.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = arguments.get(i).getObject(row);
        }
        rows.add(values);
      }

      @Override
      public Object result() {
        List<Object[]> sorted = new ArrayList<>(rows);
        sorted.sort(SortKey.comparator(keys));
        Accumulator accumulator = inner.newAccumulator();
        for (Object[] values : sorted) {
          List<ColumnVector> arguments = new ArrayList<>(innerWidth);
          for (int i = 0; i < innerWidth; i++) {
            arguments.add(ColumnVectorBuilder.constant(innerArgumentTypes.get(i), values[i], 1));
          }
          accumulator.add(arguments, 0);
        }
        return accumulator.result();
      }
    };
  }
}
