package dev.basalt.sql.cost;

import java.util.List;
import org.apache.calcite.rel.metadata.BuiltInMetadata;
import org.apache.calcite.rel.metadata.ChainedRelMetadataProvider;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.JaninoRelMetadataProvider;
import org.apache.calcite.rel.metadata.ReflectiveRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataProvider;

/**
 * The metadata Calcite's planner rules see: Calcite's defaults, with selectivity and distinct row
 * counts taken from table statistics ({@link StatisticsSelectivity}, {@link
 * StatisticsDistinctRowCount}) and row counts from each table's {@code Statistic}. One instance for
 * the process: Calcite compiles a dispatcher per provider, once.
 */
public final class CostModel {
  /** Set on every planning cluster ({@code RelOptCluster.setMetadataProvider}). */
  public static final RelMetadataProvider PROVIDER =
      JaninoRelMetadataProvider.of(
          ChainedRelMetadataProvider.of(
              List.of(
                  ReflectiveRelMetadataProvider.reflectiveSource(
                      new StatisticsSelectivity(), BuiltInMetadata.Selectivity.Handler.class),
                  ReflectiveRelMetadataProvider.reflectiveSource(
                      new StatisticsDistinctRowCount(),
                      BuiltInMetadata.DistinctRowCount.Handler.class),
                  DefaultRelMetadataProvider.INSTANCE)));

  private CostModel() {}
}
