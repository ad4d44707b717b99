package org.multimagnet.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's section on attacks that know the defense, from the saved {@code adaptive} results: a table of robust
 * accuracy under detection per norm, budget, defense and threat, and a chart of it against ε, one panel per norm,
 * each run a line with its 95% interval as bars.
 */
final class AdaptiveSection {
    /** The chart's file, beside report.md. */
    static final String CHART = "adaptive-robust-accuracy.png";
    /** The chart's height: two panels side by side. */
    static final int HEIGHT = 520;

    private static final List<String> THREATS = List.of("oblivious", "graybox", "whitebox");

    private AdaptiveSection() {
    }

    /** Table order: norm (L2 first), ε, MultiMagNet before MagNet, oblivious before the attacks that know more. */
    private static final Comparator<AdaptiveResults> RUNS = Comparator
            .comparing((AdaptiveResults a) -> !a.norm().equals("l2"))
            .thenComparing(a -> !a.defense().equals("multimagnet"))
            .thenComparingInt(a -> THREATS.indexOf(a.threat()))
            .thenComparing(AdaptiveResults::method);

    static void markdown(StringBuilder md, List<AdaptiveResults> runs) {
        md.append("\n## Adaptive attacks\n\n");
        md.append("Saved `adaptive --save` runs (`evaluations/adaptive-*.json`). Every run is projected gradient "
                + "descent within an L2 or L∞ budget ε: *oblivious* against F alone (the paper's setting), "
                + "*whitebox* knowing S, the thresholds and the vote rule but not the draw, *graybox* through an S′ of "
                + "the attacker's own. Robust accuracy under detection counts an adversarial image as defended when the "
                + "ensemble rejects it, or accepts it and F classifies its reformed image correctly; exact over every "
                + "draw of the ensemble and the reformer, mean over the images with its 95% interval. Percent.\n\n");
        md.append("| Norm | ε | Defense | Threat | Method | robust accuracy under detection | accepted | F alone "
                + "| mean L2 | images | steps | λ |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Object[]> rows = new ArrayList<>();
        for (AdaptiveResults a : runs) {
            for (AdaptiveResults.Budget b : a.budgets()) {
                rows.add(new Object[] {a, b});
            }
        }
        rows.sort(Comparator.comparing((Object[] r) -> !((AdaptiveResults) r[0]).norm().equals("l2"))
                .thenComparingDouble(r -> ((AdaptiveResults.Budget) r[1]).eps())
                .thenComparing(r -> (AdaptiveResults) r[0], RUNS));
        for (Object[] r : rows) {
            AdaptiveResults a = (AdaptiveResults) r[0];
            AdaptiveResults.Budget b = (AdaptiveResults.Budget) r[1];
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2f%% [%.2f, %.2f] | %.2f%% | %.2f%% "
                            + "| %.3f | %d | %d | %s |\n", a.normName(), num(b.eps()), a.defenseName(), a.threat(),
                    a.method(), 100 * b.robustAccuracy()[0], 100 * b.robustAccuracy()[1],
                    100 * b.robustAccuracy()[2], 100 * b.acceptance()[0], 100 * b.plainAccuracy(), b.meanL2(),
                    a.images(), a.steps(), a.threat().equals("oblivious") ? "—" : num(a.lambda())
                            + (a.lambdaSteps() > 1 ? ", searched in " + a.lambdaSteps() + " rounds" : "")));
        }
        md.append("\n![").append(CHART).append("](").append(CHART).append(")\n");
    }

    /** Robust accuracy under detection against ε: one panel per norm sharing the y axis, one line per run. */
    static JFreeChart chart(List<AdaptiveResults> runs) {
        NumberAxis y = new NumberAxis("robust accuracy under detection (%), 95% interval");
        y.setRange(0, 105);
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(y);
        plot.setGap(16);
        for (String norm : List.of("l2", "linf")) {
            List<AdaptiveResults> these = runs.stream().filter(a -> a.norm().equals(norm)).sorted(RUNS).toList();
            if (these.isEmpty()) {
                continue;
            }
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            XYErrorRenderer renderer = new XYErrorRenderer();
            renderer.setDefaultLinesVisible(true);
            renderer.setDefaultShapesVisible(true);
            renderer.setCapLength(6);
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (AdaptiveResults a : these) {
                String key = a.defenseName() + ", " + a.threat()
                        + (a.method().equals("all-members") || a.threat().equals("oblivious") ? "" : " " + a.method())
                        + (norm.equals("l2") ? " (L2)" : " (L∞)");
                if (seen.containsKey(key)) {
                    continue;
                }
                YIntervalSeries s = new YIntervalSeries(key);
                for (AdaptiveResults.Budget b : a.budgets()) {
                    s.add(b.eps(), 100 * b.robustAccuracy()[0], 100 * b.robustAccuracy()[1],
                            100 * b.robustAccuracy()[2]);
                }
                int i = data.getSeriesCount();
                seen.put(key, i);
                data.addSeries(s);
                Color c = a.defense().equals("multimagnet") ? new Color(30, 100, 200) : new Color(210, 60, 40);
                if (!a.threat().equals("whitebox") || !a.method().equals("all-members")) {
                    c = c.brighter();
                }
                renderer.setSeriesPaint(i, c);
                renderer.setSeriesStroke(i, a.threat().equals("oblivious")
                        ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                        : new BasicStroke(2.5f));
            }
            NumberAxis x = new NumberAxis("ε (" + (norm.equals("l2") ? "L2" : "L∞") + ")");
            x.setAutoRangeIncludesZero(true);
            XYPlot sub = new XYPlot(data, x, null, renderer);
            sub.setBackgroundPaint(Color.WHITE);
            sub.setRangeGridlinePaint(Color.LIGHT_GRAY);
            sub.setDomainGridlinePaint(Color.LIGHT_GRAY);
            plot.add(sub, 1);
        }
        return new JFreeChart("Robust accuracy under detection against the budget ε", JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
