package org.multimagnet.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Json;

/**
 * Writes a study's report into a folder: {@code report.md} (our Tables 2/3, 5 and 6 beside the paper's, cited),
 * {@code report.json} (the same numbers for scripts) and PNG charts ({@code accuracy-per-attack.png}: ACC per
 * attack for both defenses with σ bars; {@code marks-<attack>.png}: a member's marks on D_leg and D_atk against
 * its threshold). Every file is written atomically.
 */
public final class ReportWriter {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    private final PaperTables paper;

    /** @param paper the paper's published values */
    public ReportWriter(PaperTables paper) {
        this.paper = paper;
    }

    /**
     * Writes the report.
     *
     * @param folder where (created if missing)
     * @param report the study
     * @return the files written, relative names
     */
    public List<String> write(Path folder, StudyReport report) {
        List<String> files = new ArrayList<>();
        Json.writeFile(folder.resolve("report.json"), withoutChunks(report));
        files.add("report.json");
        writeChart(folder.resolve("accuracy-per-attack.png"), accuracyChart(report));
        files.add("accuracy-per-attack.png");
        for (MarkDistribution d : report.distributions()) {
            String name = "marks-" + d.attack() + ".png";
            writeChart(folder.resolve(name), markChart(d));
            files.add(name);
        }
        AtomicFiles.write(folder.resolve("report.md"), markdown(report, files).getBytes(StandardCharsets.UTF_8));
        files.add(0, "report.md");
        return files;
    }

    private static StudyReport withoutChunks(StudyReport r) {
        List<Evaluation> slim = r.evaluations().stream().map(e -> new Evaluation(e.dataset(), e.attack(), e.defense(),
                e.settings(), e.calibration(), e.accuracy(), e.ppv(), e.npv(), e.scenarios(), e.attackAccuracy(),
                e.discardedImageRule(), List.of())).toList();
        return new StudyReport(r.dataset(), r.splitRule(), r.classifier(), r.createdAt(), r.settings(), r.attacks(),
                r.calibrations(), slim, List.of(), r.notes());
    }

    /** @return the Markdown text of the report */
    String markdown(StudyReport r, List<String> charts) {
        StringBuilder md = new StringBuilder();
        md.append("# MultiMagNet study: ").append(r.dataset()).append("\n\n");
        md.append("- Created: ").append(r.createdAt()).append('\n');
        md.append("- Split: ").append(r.splitRule()).append('\n');
        md.append("- Application classifier F: ").append(r.classifier()).append('\n');
        md.append("- Protocol: ").append(r.settings()).append('\n');
        md.append("- Scoring of discarded images: ").append(Evaluation.DISCARD_RULE).append(".\n");
        md.append("- Paper values: ").append(paper.source()).append("\n\n");

        md.append("## Detection (paper Tables 2 and 3)\n\n");
        md.append("ACC = (TN+TP)/all. The paper's PPV = TN/(TN+FN) is the **detection rate** of adversarial images; "
                + "its NPV = TP/(TP+FP) is the **acceptance rate** of legitimate images. μ ± σ over the chunks, percent.\n\n");
        md.append("| Defense | Attack | ACC (ours) | ACC (paper) | PPV = detection rate (ours) | PPV (paper) "
                + "| NPV = acceptance rate (ours) | NPV (paper) |\n|---|---|---|---|---|---|---|---|\n");
        for (Evaluation e : r.evaluations()) {
            Optional<PaperTables.Detection> p = paper.detection(r.dataset(), e.defense(), e.attack());
            md.append("| ").append(DefenseKind.parse(e.defense()).displayName()).append(" | ").append(e.attack())
                    .append(" | ").append(e.accuracy().percent()).append(" | ").append(p.map(d -> pct(d.acc())).orElse("—"))
                    .append(" | ").append(e.ppv().percent()).append(" | ").append(p.map(d -> pct(d.ppv())).orElse("—"))
                    .append(" | ").append(e.npv().percent()).append(" | ").append(p.map(d -> pct(d.npv())).orElse("—"))
                    .append(" |\n");
        }

        md.append("\n## F's accuracy on D in five scenarios (paper Table 5)\n\n");
        md.append("| Attack | Scenario | Ours | Paper |\n|---|---|---|---|\n");
        for (String attack : attacksIn(r)) {
            Optional<PaperTables.Scenarios> p = paper.scenarios(r.dataset(), attack);
            Evaluation magnet = find(r, attack, DefenseKind.MAGNET);
            Evaluation multi = find(r, attack, DefenseKind.MULTIMAGNET);
            Evaluation any = multi != null ? multi : magnet;
            row(md, attack, "(i) no defense", any == null ? null : any.scenarios().noDefense(), p.map(PaperTables.Scenarios::noDefense));
            row(md, attack, "(ii) MagNet only", magnet == null ? null : magnet.scenarios().detector(), p.map(PaperTables.Scenarios::magnet));
            row(md, attack, "(iii) MultiMagNet only", multi == null ? null : multi.scenarios().detector(), p.map(PaperTables.Scenarios::multimagnet));
            row(md, attack, "(iv) MagNet and reformer", magnet == null ? null : magnet.scenarios().withReformer(), p.map(PaperTables.Scenarios::magnetReformer));
            row(md, attack, "(v) MultiMagNet and reformer", multi == null ? null : multi.scenarios().withReformer(), p.map(PaperTables.Scenarios::multimagnetReformer));
        }

        md.append("\n## F's accuracy on D_atk alone, no defense (paper Table 6)\n\n");
        md.append("| Attack | Ours | Paper | Attack success rate | mean L2 | max L∞ | seconds |\n|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, AttackSummary> a : r.attacks().entrySet()) {
            AttackSummary s = a.getValue();
            md.append("| ").append(a.getKey()).append(" | ").append(String.format(Locale.ROOT, "%.2f%%", 100 * s.accuracyAfter()))
                    .append(" | ").append(paper.attackAccuracy(r.dataset(), a.getKey()).map(v -> String.format(Locale.ROOT, "%.2f%%", v)).orElse("—"))
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f%%", 100 * s.successRate()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f", s.meanL2()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f", s.maxLinf()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f", s.seconds())).append(" |\n");
        }

        md.append("\n## Calibration (C_best per attack; the paper's Table 4)\n\n| Attack | C_best |\n|---|---|\n");
        r.calibrations().forEach((attack, c) -> md.append("| ").append(attack).append(" | ").append(c).append(" |\n"));

        md.append("\n## Charts\n\n");
        for (String c : charts.stream().filter(f -> f.endsWith(".png")).toList()) {
            md.append("![").append(c).append("](").append(c).append(")\n\n");
        }
        if (!r.notes().isEmpty()) {
            md.append("## How this run differs from the paper\n\n");
            for (String n : r.notes()) {
                md.append("- ").append(n).append('\n');
            }
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String attack, String scenario, MeanStd ours, Optional<double[]> theirs) {
        md.append("| ").append(attack).append(" | ").append(scenario).append(" | ")
                .append(ours == null ? "not run" : ours.percent()).append(" | ")
                .append(theirs.map(ReportWriter::pct).orElse("—")).append(" |\n");
    }

    private static String pct(double[] meanStd) {
        return String.format(Locale.ROOT, "%.2f%% ± %.2f", meanStd[0], meanStd[1]);
    }

    private static List<String> attacksIn(StudyReport r) {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        r.evaluations().forEach(e -> seen.put(e.attack(), true));
        return new ArrayList<>(seen.keySet());
    }

    private static Evaluation find(StudyReport r, String attack, DefenseKind defense) {
        return r.evaluations().stream().filter(e -> e.attack().equals(attack) && e.defense().equals(defense.id()))
                .findFirst().orElse(null);
    }

    private static JFreeChart accuracyChart(StudyReport r) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (Evaluation e : r.evaluations()) {
            data.add(100 * e.accuracy().mean(), 100 * e.accuracy().std(), DefenseKind.parse(e.defense()).displayName(), e.attack());
        }
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("attack"), new NumberAxis("ACC (%), μ ± σ over chunks"),
                new StatisticalBarRenderer());
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 105);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart("Detection accuracy per attack — " + r.dataset(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static JFreeChart markChart(MarkDistribution d) {
        HistogramDataset data = new HistogramDataset();
        double max = d.threshold();
        double min = d.threshold();
        for (double[] a : new double[][] {d.legitimate(), d.adversarial()}) {
            for (double v : a) {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        if (max <= min) {
            max = min + 1e-6;
        }
        if (d.legitimate().length > 0) {
            data.addSeries("legitimate (D_leg)", d.legitimate(), 60, min, max);
        }
        if (d.adversarial().length > 0) {
            data.addSeries("adversarial (D_atk, " + d.attack() + ")", d.adversarial(), 60, min, max);
        }
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(40, 120, 200, 160));
        renderer.setSeriesPaint(1, new Color(220, 60, 40, 160));
        XYPlot plot = new XYPlot(data, new NumberAxis(d.metric() + " mark of autoencoder " + d.memberId()),
                new NumberAxis("images"), renderer);
        ValueMarker marker = new ValueMarker(d.threshold(), Color.BLACK, new BasicStroke(2f));
        marker.setLabel("threshold " + String.format(Locale.ROOT, "%.4g", d.threshold()));
        plot.addDomainMarker(marker);
        plot.setBackgroundPaint(Color.WHITE);
        return new JFreeChart("Marks against the threshold — " + d.attack(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static void writeChart(Path file, JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        AtomicFiles.write(file, out -> {
            try {
                ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
