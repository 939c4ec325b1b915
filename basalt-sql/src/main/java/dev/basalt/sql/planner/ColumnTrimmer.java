package dev.basalt.sql.planner;

import java.util.Set;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mappings;

/**
 * Calcite's {@link RelFieldTrimmer} (drops the columns no operator uses, so scans read only those),
 * taught one shape it fails on: a window whose input has no columns, as in {@code SUM(1) OVER ()}
 * or {@code MAX('B') OVER ()}, where every argument is a constant. The generic path would replace
 * the empty input with a one-column placeholder and then refuse the window ("Expected identity
 * mapping"); such a window keeps its input as it is.
 *
 * <p>Public only because Calcite finds the {@code trimFields} overloads by reflection. Not thread
 * safe; one instance per plan.
 */
public final class ColumnTrimmer extends RelFieldTrimmer {
  public ColumnTrimmer(RelBuilder relBuilder) {
    super(null, relBuilder);
  }

  /** Called reflectively by {@link RelFieldTrimmer#dispatchTrimFields}. */
  public TrimResult trimFields(
      Window window, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    if (window.getInput().getRowType().getFieldCount() == 0) {
      return result(window, Mappings.createIdentity(window.getRowType().getFieldCount()));
    }
    return trimFields((org.apache.calcite.rel.RelNode) window, fieldsUsed, extraFields);
  }
}
