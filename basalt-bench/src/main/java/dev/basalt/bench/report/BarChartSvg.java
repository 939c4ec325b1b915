package dev.basalt.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as a standalone SVG: for each label (a query) one bar per series (an engine),
 * on a logarithmic time axis so that fast and slow queries both show.
 */
public final class BarChartSvg {
  private static final String[] COLORS = {"#c0392b", "#2471a3", "#229954", "#7d3c98"};
  private static final int LEFT = 70;
  private static final int TOP = 40;
  private static final int PLOT_HEIGHT = 300;
  private static final int BAR_WIDTH = 10;
  private static final int GROUP_GAP = 10;

  private BarChartSvg() {}

  /**
   * Draws the chart.
   *
   * @param title the title above the chart
   * @param labels one label per group (x axis)
   * @param seriesNames one name per series (legend)
   * @param values {@code values.get(series).get(label)} in milliseconds; {@code null} or a value
   *     that is not positive draws no bar (failed or timed out)
   */
  public static String render(
      String title, List<String> labels, List<String> seriesNames, List<List<Double>> values) {
    double maximum = 1;
    double minimum = Double.MAX_VALUE;
    for (List<Double> series : values) {
      for (Double value : series) {
        if (value != null && value > 0) {
          maximum = Math.max(maximum, value);
          minimum = Math.min(minimum, value);
        }
      }
    }
    double lowDecade =
        Math.floor(Math.log10(Math.min(minimum == Double.MAX_VALUE ? 1 : minimum, maximum)));
    double highDecade = Math.max(lowDecade + 1, Math.ceil(Math.log10(maximum)));
    int groupWidth = seriesNames.size() * BAR_WIDTH + GROUP_GAP;
    int width = LEFT + labels.size() * groupWidth + 20;
    int height = TOP + PLOT_HEIGHT + 60;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n",
            width,
            height));
    svg.append(
        String.format(
            Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>\n",
            LEFT,
            escape(title)));
    for (double decade = lowDecade; decade <= highDecade; decade++) {
      double y = y(Math.pow(10, decade), lowDecade, highDecade);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
              LEFT,
              y,
              width - 20,
              y));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>\n",
              LEFT - 5,
              y + 4,
              formatMillis(Math.pow(10, decade))));
    }
    for (int label = 0; label < labels.size(); label++) {
      int groupX = LEFT + label * groupWidth + GROUP_GAP / 2;
      for (int series = 0; series < seriesNames.size(); series++) {
        Double value = values.get(series).get(label);
        if (value == null || value <= 0) {
          continue;
        }
        double top = y(value, lowDecade, highDecade);
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %.1f ms</title></rect>\n",
                groupX + series * BAR_WIDTH,
                top,
                BAR_WIDTH - 1,
                TOP + PLOT_HEIGHT - top,
                COLORS[series % COLORS.length],
                escape(labels.get(label)),
                escape(seriesNames.get(series)),
                value));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
              groupX + seriesNames.size() * BAR_WIDTH / 2,
              TOP + PLOT_HEIGHT + 15,
              escape(labels.get(label))));
    }
    for (int series = 0; series < seriesNames.size(); series++) {
      int x = LEFT + series * 120;
      int y = TOP + PLOT_HEIGHT + 35;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n",
              x,
              y,
              COLORS[series % COLORS.length],
              x + 14,
              y + 9,
              escape(seriesNames.get(series))));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double y(double value, double lowDecade, double highDecade) {
    double fraction = (Math.log10(value) - lowDecade) / (highDecade - lowDecade);
    fraction = Math.max(0, Math.min(1, fraction));
    return TOP + PLOT_HEIGHT - fraction * PLOT_HEIGHT;
  }

  private static String formatMillis(double millis) {
    return millis >= 1
        ? String.format(Locale.ROOT, "%.0f", millis)
        : String.format(Locale.ROOT, "%s", millis);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
