package dev.basalt.exec.function.sketch;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.Accumulator;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.AggregateFunctionResolver;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.GroupedAccumulator;
import dev.basalt.exec.function.MergeableGroupedAccumulator;
import dev.basalt.exec.function.cast.Casts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/**
 * The sketch aggregates: {@code bitmap_union}, {@code bitmap_union_count}, {@code
 * bitmap_intersect}, {@code intersect_count}, {@code hll_union} (= {@code hll_raw_agg}), {@code
 * hll_union_agg} and {@code quantile_union}. NULL sketches are skipped; over no rows the unions
 * give the empty sketch and the counts 0. Every aggregate but {@code intersect_count} keeps one
 * sketch per group and is mergeable: its partial state is the serialized sketch, so two-phase
 * aggregation sends sketches and the final phase unions them. Spilled aggregations re-read their
 * input rows, as for every aggregate.
 */
final class SketchAggregates {
  private SketchAggregates() {}

  static void register(FunctionRegistry.Builder builder) {
    builder.aggregate(union(TypeKind.BITMAP, SketchOps.BITMAP_UNION, false), "bitmap_union");
    builder.aggregate(union(TypeKind.BITMAP, SketchOps.BITMAP_UNION, true), "bitmap_union_count");
    builder.aggregate(
        union(TypeKind.BITMAP, SketchOps.BITMAP_INTERSECT, false), "bitmap_intersect");
    builder.aggregate(union(TypeKind.HLL, SketchOps.HLL_UNION, false), "hll_union", "hll_raw_agg");
    builder.aggregate(union(TypeKind.HLL, SketchOps.HLL_UNION, true), "hll_union_agg");
    builder.aggregate(
        union(TypeKind.QUANTILE_STATE, SketchOps.QUANTILE_UNION, false), "quantile_union");
    builder.aggregate(
        (types, distinct) ->
            types.size() >= 3 && isKind(types.get(0), TypeKind.BITMAP)
                ? new IntersectCount(types)
                : null,
        "intersect_count");
  }

  private static boolean isKind(DataType type, TypeKind kind) {
    return type.kind() == kind || type.kind() == TypeKind.NULL;
  }

  private static AggregateFunctionResolver union(TypeKind input, SketchOps ops, boolean counts) {
    return (types, distinct) ->
        types.size() == 1 && isKind(types.get(0), input) ? new SketchUnion(ops, counts) : null;
  }

  /** A union (or intersection) of one sketch column, giving the sketch or its count. */
  private record SketchUnion(SketchOps ops, boolean counts) implements AggregateFunction {
    @Override
    public String name() {
      return ops.name().toLowerCase(java.util.Locale.ROOT) + (counts ? "_count" : "");
    }

    @Override
    public DataType returnType() {
      return counts ? DataType.BIGINT : ops.stateType;
    }

    @Override
    public Accumulator newAccumulator() {
      return new Accumulator() {
        private Object state = ops.empty();

        @Override
        public void add(List<ColumnVector> arguments, int row) {
          state = addRow(ops, state, arguments.get(0), row);
        }

        @Override
        public Object result() {
          return counts ? (Object) ops.count(state) : ops.serialize(state);
        }
      };
    }

    @Override
    public GroupedAccumulator newGroupedAccumulator() {
      return ops.mergeable()
          ? new MergeableGroupedSketches(ops, counts)
          : new GroupedSketches(ops, counts);
    }
  }

  private static Object addRow(SketchOps ops, Object state, ColumnVector vector, int row) {
    if (vector.isNull(row) || !(vector instanceof BytesVector bytes)) {
      return state;
    }
    return ops.add(state, bytes.rawBytes(), bytes.offset(row), bytes.byteLength(row));
  }

  /**
   * One sketch per group, for every sketch aggregate; one phase only (bitmap_intersect: an empty
   * partial state would empty the intersection).
   */
  private static class GroupedSketches implements GroupedAccumulator {
    final SketchOps ops;
    private final boolean counts;
    Object[] states = new Object[16];
    private int groupCount;

    GroupedSketches(SketchOps ops, boolean counts) {
      this.ops = ops;
      this.counts = counts;
    }

    @Override
    public void ensureGroups(int count) {
      if (count > states.length) {
        states = Arrays.copyOf(states, Math.max(count, states.length * 2));
      }
      for (int group = groupCount; group < count; group++) {
        states[group] = ops.empty();
      }
      groupCount = Math.max(groupCount, count);
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      ColumnVector vector = arguments.get(0);
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        int group = groupIds[row];
        states[group] = addRow(ops, states[group], vector, row);
      }
    }

    @Override
    public Object result(int group) {
      return counts ? (Object) ops.count(states[group]) : ops.serialize(states[group]);
    }

    @Override
    public long bytesPerGroup() {
      // A small sketch; large bitmaps grow past this, which the budget does not see.
      return 256;
    }
  }

  /** {@link GroupedSketches} whose partial state is the serialized sketch (the unions). */
  private static final class MergeableGroupedSketches extends GroupedSketches
      implements MergeableGroupedAccumulator {
    MergeableGroupedSketches(SketchOps ops, boolean counts) {
      super(ops, counts);
    }

    @Override
    public List<DataType> stateTypes() {
      return List.of(ops.stateType);
    }

    @Override
    public List<ColumnVector> states(int from, int count) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(ops.stateType, Math.max(count, 1));
      for (int group = from; group < from + count; group++) {
        builder.appendObject(ops.serialize(states[group]));
      }
      return List.of(builder.build());
    }

    @Override
    public void mergeStates(
        List<ColumnVector> partialStates, int[] groupIds, int[] positions, int count) {
      addBatch(partialStates, groupIds, positions, count);
    }
  }

  /**
   * {@code intersect_count(bitmap, column, v1, v2, ...)}: the number of members common to the
   * unions of the bitmaps of the rows whose {@code column} equals each {@code v}. Values compare by
   * their text, so {@code 1} matches an INT column and {@code '2024-01-01'} a DATE column.
   */
  private static final class IntersectCount implements AggregateFunction {
    private final List<DataType> types;

    IntersectCount(List<DataType> types) {
      this.types = types;
    }

    @Override
    public String name() {
      return "intersect_count";
    }

    @Override
    public DataType returnType() {
      return DataType.BIGINT;
    }

    @Override
    public Accumulator newAccumulator() {
      return new Accumulator() {
        private List<String> filters;
        private Roaring64NavigableMap[] unions;

        @Override
        public void add(List<ColumnVector> arguments, int row) {
          if (filters == null) {
            // The filter values are constants: read them from the first row.
            filters = new ArrayList<>();
            for (int i = 2; i < arguments.size(); i++) {
              Object value = arguments.get(i).getObject(row);
              filters.add(value == null ? null : Casts.toText(value, types.get(i)));
            }
            unions = new Roaring64NavigableMap[filters.size()];
          }
          Object key = arguments.get(1).getObject(row);
          if (key == null || arguments.get(0).isNull(row)) {
            return;
          }
          String text = Casts.toText(key, types.get(1));
          for (int i = 0; i < filters.size(); i++) {
            if (Objects.equals(filters.get(i), text)) {
              if (unions[i] == null) {
                unions[i] = BitmapValues.empty();
              }
              unions[i] =
                  (Roaring64NavigableMap)
                      addRow(SketchOps.BITMAP_UNION, unions[i], arguments.get(0), row);
            }
          }
        }

        @Override
        public Object result() {
          if (unions == null) {
            return 0L;
          }
          Roaring64NavigableMap result = null;
          for (Roaring64NavigableMap union : unions) {
            if (union == null) {
              return 0L;
            }
            if (result == null) {
              result = BitmapValues.empty();
              result.or(union);
            } else {
              result.and(union);
            }
          }
          return result == null ? 0L : result.getLongCardinality();
        }
      };
    }
  }
}
