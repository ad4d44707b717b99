package org.multimagnet.sweep;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.experiment.MeanStd;

/**
 * Charts of a merged sweep: for each numeric parameter the sweep varies (an attack parameter such as eps, the
 * chunk layout, the set sizes), a score's μ ± σ over seeds against it, one line per combination of the others.
 * Drawn with JFreeChart's AWT renderer, so they need no display.
 */
public final class SweepCharts {
    /** The charts' folder in the sweep folder. */
    public static final String FOLDER = "charts";
    /** The scores charted. */
    public static final List<String> METRICS = List.of("accuracy", "detectionRate", "falsePositiveRate");

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    private SweepCharts() {
    }

    /**
     * Writes {@code charts/<metric>-vs-<parameter>.png} for every swept numeric parameter.
     *
     * @return the files written, in order
     */
    public static List<Path> write(Path sweep, SweepMerge.Merged merged) {
        List<Path> written = new ArrayList<>();
        List<String> swept = sweptAxes(merged.groups());
        for (String axis : swept) {
            for (String metric : METRICS) {
                JFreeChart chart = chart(merged.groups(), axis, swept, metric);
                if (chart == null) {
                    continue;
                }
                Path file = sweep.resolve(FOLDER).resolve(metric + "-vs-" + axis + ".png");
                AtomicFiles.write(file, out -> {
                    try {
                        ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                written.add(file);
            }
        }
        return written;
    }

    /** @return the parameters with at least two numeric values among the groups, in a fixed order */
    static List<String> sweptAxes(List<SweepMerge.Group> groups) {
        Map<String, Set<Double>> values = new LinkedHashMap<>();
        for (SweepMerge.Group g : groups) {
            axisValues(g).forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
        }
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }

    /** The numeric parameters of a group: each attack parameter, then the protocol's sizes. */
    private static Map<String, Double> axisValues(SweepMerge.Group g) {
        Map<String, Double> m = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, String> params = (Map<String, String>) g.combination().get("params");
        params.forEach((k, v) -> {
            try {
                m.put(k, Double.parseDouble(v));
            } catch (NumberFormatException e) {
                // a non-numeric parameter is a series, not an axis
            }
        });
        for (String k : List.of("chunks", "chunkSize", "validationCount", "testCount")) {
            m.put(k, ((Number) g.combination().get(k)).doubleValue());
        }
        return m;
    }

    private static JFreeChart chart(List<SweepMerge.Group> groups, String axis, List<String> swept, String metric) {
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        for (SweepMerge.Group g : groups) {
            MeanStd v = g.metrics().get(metric);
            Double x = axisValues(g).get(axis);
            if (x == null || v == null || Double.isNaN(v.mean())) {
                continue;
            }
            String label = label(g, axis, swept);
            series.computeIfAbsent(label, YIntervalSeries::new).add(x, v.mean(), v.mean() - v.std(),
                    v.mean() + v.std());
        }
        if (series.isEmpty()) {
            return null;
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        series.values().forEach(data::addSeries);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(true);
        renderer.setDefaultShapesVisible(true);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        NumberAxis y = new NumberAxis(metric + " (μ ± σ over seeds)");
        y.setAutoRangeIncludesZero(false);
        NumberAxis xAxis = new NumberAxis(axis);
        xAxis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, xAxis, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(metric + " against " + axis, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** The other swept parameters of a group, which tell its line apart from the others. */
    private static String label(SweepMerge.Group g, String axis, List<String> swept) {
        List<String> parts = new ArrayList<>();
        parts.add(String.valueOf(g.combination().get("attack")));
        axisValues(g).forEach((k, v) -> {
            if (!k.equals(axis) && swept.contains(k)) {
                parts.add(k + "=" + (v == Math.rint(v) ? String.valueOf(v.longValue()) : String.valueOf(v)));
            }
        });
        parts.add(String.valueOf(g.combination().get("defense")));
        Object sizes = g.combination().get("ensembleSizes");
        if (sizes != null) {
            parts.add("n∈" + sizes);
        }
        return String.join(" ", parts);
    }
}
