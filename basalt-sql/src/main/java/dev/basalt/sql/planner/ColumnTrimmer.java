package dev.basalt.sql.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mapping;
import org.apache.calcite.util.mapping.MappingType;
import org.apache.calcite.util.mapping.Mappings;

/**
 * Calcite's {@link RelFieldTrimmer} (drops the columns no operator uses, so scans read only those),
 * taught one shape it fails on: a window whose input has no columns, as in {@code SUM(1) OVER ()}
 * or {@code MAX('B') OVER ()}, where every argument is a constant. The generic path would replace
 * the empty input with a one-column placeholder and then refuse the window ("Expected identity
 * mapping"); such a window keeps its input as it is. A filter whose condition reads columns its
 * consumer does not (TPC-H q13's {@code o_comment NOT LIKE ...} under a join that needs only the
 * keys) gets a projection to what the consumer reads, so that joins, exchanges and gathers above do
 * not carry (and copy) those columns.
 *
 * <p>Public only because Calcite finds the {@code trimFields} overloads by reflection. Not thread
 * safe; one instance per plan.
 */
public final class ColumnTrimmer extends RelFieldTrimmer {
  private final RelBuilder builder;

  public ColumnTrimmer(RelBuilder relBuilder) {
    super(null, relBuilder);
    this.builder = relBuilder;
  }

  /** Called reflectively by {@link RelFieldTrimmer#dispatchTrimFields}. */
  public TrimResult trimFields(
      Window window, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    if (window.getInput().getRowType().getFieldCount() == 0) {
      return result(window, Mappings.createIdentity(window.getRowType().getFieldCount()));
    }
    return trimFields((org.apache.calcite.rel.RelNode) window, fieldsUsed, extraFields);
  }

  /** Called reflectively by {@link RelFieldTrimmer#dispatchTrimFields}. */
  @Override
  public TrimResult trimFields(
      Filter filter, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    TrimResult trimmed = super.trimFields(filter, fieldsUsed, extraFields);
    RelNode trimmedFilter = trimmed.left;
    Mapping mapping = trimmed.right;
    int outputs = trimmedFilter.getRowType().getFieldCount();
    if (fieldsUsed.isEmpty() || !extraFields.isEmpty() || fieldsUsed.cardinality() >= outputs) {
      return trimmed;
    }
    builder.push(trimmedFilter);
    List<RexNode> kept = new ArrayList<>();
    Mapping projected =
        Mappings.create(
            MappingType.INVERSE_SURJECTION,
            filter.getRowType().getFieldCount(),
            fieldsUsed.cardinality());
    for (int field : fieldsUsed) {
      projected.set(field, kept.size());
      kept.add(builder.field(mapping.getTarget(field)));
    }
    builder.project(kept);
    return result(builder.build(), projected);
  }
}
