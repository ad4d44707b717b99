package org.multimagnet.experiment;

import org.multimagnet.defense.Combination;
import org.multimagnet.defense.DefenseKind;
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
        Json.writeFile(folder.resolve("report.json"), json(report));
        files.add("report.json");
        writeChart(folder.resolve("accuracy-per-attack.png"), accuracyChart(report));
        files.add("accuracy-per-attack.png");
        for (MarkDistribution d : report.distributions()) {
            String name = "marks-" + d.attack() + ".png";
            writeChart(folder.resolve(name), markChart(d));
            files.add(name);
        }
        String md = markdown(report, files);
        if (!report.adaptive().isEmpty()) {
            // drawn in its own section, so written after the list of charts the markdown ends with
            writeChart(folder.resolve(AdaptiveSection.CHART), AdaptiveSection.chart(report.adaptive()), WIDTH,
                    AdaptiveSection.HEIGHT);
            files.add(AdaptiveSection.CHART);
        }
        AtomicFiles.write(folder.resolve("report.md"), md.getBytes(StandardCharsets.UTF_8));
        files.add(0, "report.md");
        return files;
    }

    /**
     * Rewrites only the section on adaptive attacks of a report this writer wrote: the section of {@code report.md}
     * (put where {@link #write} puts it), the {@code adaptive} data of {@code report.json} and the chart; every other
     * line and file stays as it is. No results: the section and its data are taken out.
     *
     * @param root     the workspace, which the report's files must be inside
     * @param folder   the report's folder
     * @param adaptive the saved adaptive results
     * @return the files written, relative names
     */
    public List<String> rewriteAdaptive(Path root, Path folder, List<AdaptiveResults> adaptive) {
        Path mdFile = folder.resolve("report.md");
        Path jsonFile = folder.resolve("report.json");
        String md = new String(org.multimagnet.common.SafeFiles.readInside(root, mdFile, 64L << 20),
                StandardCharsets.UTF_8);
        com.fasterxml.jackson.databind.JsonNode json = Json.readInside(root, jsonFile,
                com.fasterxml.jackson.databind.JsonNode.class);
        if (!(json instanceof com.fasterxml.jackson.databind.node.ObjectNode object)) {
            throw org.multimagnet.common.UserException.badFile(jsonFile, "is not the JSON object 'reproduce' writes");
        }
        int start = md.indexOf(ADAPTIVE_HEADING);
        if (start >= 0) {
            int end = md.indexOf("\n## ", start + ADAPTIVE_HEADING.length());
            md = md.substring(0, start) + (end < 0 ? "" : md.substring(end));
        }
        List<String> files = new ArrayList<>();
        if (!adaptive.isEmpty()) {
            StringBuilder section = new StringBuilder();
            AdaptiveSection.markdown(section, adaptive);
            int at = md.indexOf(AFTER_ADAPTIVE);
            md = at < 0 ? md + section : md.substring(0, at) + section + md.substring(at);
            writeChart(folder.resolve(AdaptiveSection.CHART), AdaptiveSection.chart(adaptive), WIDTH,
                    AdaptiveSection.HEIGHT);
            files.add(AdaptiveSection.CHART);
        }
        object.set("adaptive", Json.mapper().valueToTree(adaptive));
        Json.writeFile(jsonFile, object);
        AtomicFiles.write(mdFile, md.getBytes(StandardCharsets.UTF_8));
        files.add(0, "report.json");
        files.add(0, "report.md");
        return files;
    }

    /** Where the section on adaptive attacks begins, and the heading that follows it in a report. */
    private static final String ADAPTIVE_HEADING = "\n## Adaptive attacks\n";
    private static final String AFTER_ADAPTIVE = "\n## F's accuracy on D in five scenarios";

    private static StudyReport withoutChunks(StudyReport r) {
        List<Evaluation> slim = r.evaluations().stream().map(e -> new Evaluation(e.dataset(), e.attack(), e.defense(),
                e.settings(), e.calibration(), e.accuracy(), e.ppv(), e.npv(), e.scenarios(), e.attackAccuracy(),
                e.discardedImageRule(), List.of(), e.imageCount(), e.excludedPairs())).toList();
        return new StudyReport(r.dataset(), r.splitRule(), r.classifier(), r.createdAt(), r.settings(), r.attacks(),
                r.calibrations(), slim, r.exact(), List.of(), r.notes(), r.adaptive());
    }

    /** @return the Markdown text of the report */
    String markdown(StudyReport r, List<String> charts) {
        StringBuilder md = new StringBuilder();
        md.append("# MultiMagNet study: ").append(r.dataset()).append("\n\n");
        md.append("- Created: ").append(r.createdAt()).append('\n');
        md.append("- Split: ").append(r.splitRule()).append('\n');
        md.append("- Application classifier F: ").append(r.classifier()).append('\n');
        md.append("- Protocol: ").append(r.settings()).append('\n');
        md.append("- Paper values: ").append(paper.source()).append("\n\n");

        md.append("## Detection (paper Tables 2 and 3)\n\n");
        md.append("ACC = (TN+TP)/all; the **detection rate** is TN/(TN+FN), the share of adversarial images "
                + "rejected; the **acceptance rate** is TP/(TP+FP), the share of legitimate images accepted (Eq. 8, "
                + "adversarial as the class the detector looks for). μ ± σ over the chunks, percent.\n\n");
        md.append(PAPER_COLUMNS).append("\n\n");
        md.append("| Defense | Attack | ACC (ours) | ACC (paper) | detection rate (ours) | detection rate (paper's "
                + "\"NPV\") | acceptance rate (ours) | acceptance rate (paper's \"PPV\") |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (DetectionRow d : detectionRows(r)) {
            md.append("| ").append(DefenseKind.parse(d.defense()).displayName()).append(" | ").append(d.attack())
                    .append(" | ").append(pct(d.ours().acc())).append(" | ").append(pct(d.paper() == null ? null : d.paper().acc()))
                    .append(" | ").append(pct(d.ours().detectionRate())).append(" | ")
                    .append(pct(d.paper() == null ? null : d.paper().detectionRate()))
                    .append(" | ").append(pct(d.ours().acceptanceRate())).append(" | ")
                    .append(pct(d.paper() == null ? null : d.paper().acceptanceRate())).append(" |\n");
        }

        if (!r.exact().isEmpty()) {
            exactSection(md, r);
        }
        if (!r.adaptive().isEmpty()) {
            AdaptiveSection.markdown(md, r.adaptive());
        }

        md.append("\n## F's accuracy on D in five scenarios (paper Table 5)\n\n");
        md.append("Two scorings, both μ ± σ over the chunks: ").append(Evaluation.DISCARD_RULE).append("; ")
                .append(Evaluation.ACCEPTED_RULE).append(". The authors' code "
                + "scores the second way, so the paper's column compares with it; under the first, the paper's "
                + "DeepFool \"MagNet only\" 99.95% with t_fp 0.07 would be impossible (7% of the legitimate half "
                + "is rejected).\n\n");
        md.append("| Attack | Scenario | Ours, over all images | Ours, over accepted images | Paper |\n"
                + "|---|---|---|---|---|\n");
        for (String attack : attacksIn(r)) {
            Optional<PaperTables.Scenarios> p = paper.scenarios(r.dataset(), attack);
            Evaluation magnet = find(r, attack, DefenseKind.MAGNET);
            Evaluation multi = find(r, attack, DefenseKind.MULTIMAGNET);
            Evaluation any = multi != null ? multi : magnet;
            row(md, attack, "(i) no defense", any == null ? null : any.scenarios().noDefense(),
                    any == null ? null : any.scenarios().noDefense(), p.map(PaperTables.Scenarios::noDefense));
            row(md, attack, "(ii) MagNet only", magnet == null ? null : magnet.scenarios().detector(),
                    magnet == null ? null : magnet.scenarios().detectorAccepted(), p.map(PaperTables.Scenarios::magnet));
            row(md, attack, "(iii) MultiMagNet only", multi == null ? null : multi.scenarios().detector(),
                    multi == null ? null : multi.scenarios().detectorAccepted(), p.map(PaperTables.Scenarios::multimagnet));
            row(md, attack, "(iv) MagNet and reformer", magnet == null ? null : magnet.scenarios().withReformer(),
                    magnet == null ? null : magnet.scenarios().withReformerAccepted(),
                    p.map(PaperTables.Scenarios::magnetReformer));
            row(md, attack, "(v) MultiMagNet and reformer", multi == null ? null : multi.scenarios().withReformer(),
                    multi == null ? null : multi.scenarios().withReformerAccepted(),
                    p.map(PaperTables.Scenarios::multimagnetReformer));
        }

        md.append("\n## F's accuracy on D_atk alone, no defense (paper Table 6)\n\n");
        md.append("Every image of D_leg is attacked, away from F's own prediction (as ART does without labels); "
                + "\"unchanged\" counts the adversarial images equal to their source (an attack that failed on "
                + "them), which stay in D labelled adversarial unless `evaluate --exclude-unchanged` leaves the pairs "
                + "out.\n\n");
        md.append("| Attack | Ours | Paper | Attack success rate | unchanged | mean L2 | max L∞ | seconds |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, AttackSummary> a : r.attacks().entrySet()) {
            AttackSummary s = a.getValue();
            md.append("| ").append(a.getKey()).append(" | ").append(String.format(Locale.ROOT, "%.2f%%", 100 * s.accuracyAfter()))
                    .append(" | ").append(paper.attackAccuracy(r.dataset(), a.getKey()).map(v -> String.format(Locale.ROOT, "%.2f%%", v)).orElse("—"))
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f%%", 100 * s.successRate()))
                    .append(" | ").append(s.unchanged() == null ? "not recorded" : s.unchanged() + " of " + s.count())
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f", s.meanL2()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f", s.maxLinf()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f", s.seconds())).append(" |\n");
        }

        md.append("\n## Calibration: our C_best beside the paper's Table 4\n\n");
        md.append("Each defense is calibrated on its own over the same grid: MultiMagNet over ensembles whose n is "
                + "drawn as deployment draws it, MagNet with n = 1. Thresholds come from all of V_leg; ACC on V weighs V_atk "
                + "against the legitimate images it was made from (all of V_leg in the paper), so that the two halves "
                + "of V count the same. The paper's Table 4 gives MultiMagNet's choice only.\n\n");
        md.append("| Attack | Defense | t_fp | approach | metric | T | ACC on V | ties | paper's Table 4 |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (CalibrationChoice c : r.calibrations()) {
            Combination cb = c.combination();
            Optional<PaperTables.Calibration> p = c.defense().equals(DefenseKind.MULTIMAGNET.id())
                    ? paper.calibration(r.dataset(), c.attack()) : Optional.empty();
            md.append("| ").append(c.attack()).append(" | ").append(DefenseKind.parse(c.defense()).displayName())
                    .append(" | ").append(num(cb.falsePositiveRate())).append(" | ").append(cb.approach().paperName())
                    .append(" | ").append(cb.metric()).append(" | ").append(cb.temperature() == null ? "—" : num(cb.temperature()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f%%", 100 * c.acc()))
                    .append(" | ").append(c.ties().isEmpty() ? "none" : c.ties().size() + ": "
                            + String.join("; ", c.ties().stream().limit(3).map(Object::toString).toList())
                            + (c.ties().size() > 3 ? "; …" : ""))
                    .append(" | ").append(p.map(t -> "t_fp " + num(t.tFp()) + ", " + t.approach() + ", " + t.metric()
                            + (t.temperature() == null ? "" : ", T " + num(t.temperature()))).orElse("—")).append(" |\n");
        }

        md.append("\n## Charts\n\n");
        for (String c : charts.stream().filter(f -> f.endsWith(".png")).toList()) {
            md.append("![").append(c).append("](").append(c).append(")\n\n");
        }
        List<String> differences = new ArrayList<>(r.notes());
        differences.addAll(differences(r));
        if (!differences.isEmpty()) {
            md.append("## How this run differs from the paper, and why\n\n");
            for (String n : differences) {
                md.append("- ").append(n).append('\n');
            }
        }
        return md.toString();
    }

    /**
     * The differences from the paper this run's own numbers show, each with the reason the numbers give: the
     * attacks' strength against our F (Table 6), the detection results that follow from it (Tables 2, 3) and the
     * calibration's choices (Table 4).
     */
    List<String> differences(StudyReport r) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> strengthNoted = new java.util.HashSet<>();
        for (Map.Entry<String, AttackSummary> a : r.attacks().entrySet()) {
            Optional<Double> theirs = paper.attackAccuracy(r.dataset(), a.getKey());
            AttackSummary s = a.getValue();
            double ours = 100 * s.accuracyAfter();
            if (theirs.isEmpty() || Math.abs(ours - theirs.get()) < 5) {
                continue;
            }
            out.add(String.format(Locale.ROOT, "%s leaves F at %.2f%% on D_atk against the paper's %.2f%% (Table 6): "
                    + "run by this program against our F with Table 1's settings it succeeds on %.1f%% of the images "
                    + "(mean L2 %.3f); the authors ran ART against their F. A %s attack moves images further from "
                    + "what the autoencoders reconstruct, which makes them %s to detect.", a.getKey(), ours,
                    theirs.get(), 100 * s.successRate(), s.meanL2(), ours < theirs.get() ? "stronger" : "weaker",
                    ours < theirs.get() ? "easier" : "harder"));
            strengthNoted.add(a.getKey());
        }
        for (DetectionRow d : detectionRows(r)) {
            if (d.paper() == null) {
                continue;
            }
            double gap = d.ours().acc()[0] - d.paper().acc()[0];
            double spread = Math.max(d.ours().acc()[1], d.paper().acc()[1]);
            if (Math.abs(gap) > spread) {
                out.add(String.format(Locale.ROOT, "%s against %s: ACC %.2f%% against the paper's %.2f%%, %.1f points "
                        + "apart, more than one σ (%.2f)%s.", DefenseKind.parse(d.defense()).displayName(), d.attack(),
                        d.ours().acc()[0], d.paper().acc()[0], Math.abs(gap), spread,
                        strengthNoted.contains(d.attack()) ? "; see this attack's strength above" : ""));
            }
        }
        for (CalibrationChoice c : r.calibrations()) {
            if (!c.defense().equals(DefenseKind.MULTIMAGNET.id())) {
                continue;
            }
            paper.calibration(r.dataset(), c.attack()).ifPresent(t -> {
                Combination cb = c.combination();
                boolean same = t.tFp() == cb.falsePositiveRate() && t.metric().equals(cb.metric().name())
                        && t.approach().equalsIgnoreCase(cb.approach().paperName())
                        && java.util.Objects.equals(t.temperature(), cb.temperature());
                if (!same) {
                    out.add(String.format(Locale.ROOT, "Calibration against %s chose %s where the paper's Table 4 "
                            + "has t_fp %s, %s, %s%s: the choice is the most accurate combination on this run's V "
                            + "(|V_leg| = %,d, |V_atk| = %,d, our models and attack), not the authors'.", c.attack(), cb,
                            num(t.tFp()), t.approach(), t.metric(), t.temperature() == null ? "" : ", T "
                                    + num(t.temperature()), c.vLegCount(), c.vAtkCount()));
                }
            });
        }
        return out;
    }

    /** Why the paper's columns headed PPV and NPV are read the other way round, with the evidence. */
    static final String PAPER_COLUMNS = "**How the paper's columns are read.** Eq. 9 defines PPV = TN/(TN+FN) (the "
            + "detection rate) and NPV = TP/(TP+FP) (the acceptance rate), but the values printed under those headings "
            + "in Tables 2 and 3 are the other way round: every MagNet \"PPV\" is about 1 − t_fp of Table 4 (99.81 at "
            + "t_fp 0.001, 92.83 at 0.07, 94.84 at 0.05, CIFAR-10 90.15 at 0.1), which is what a threshold at t_fp "
            + "gives the legitimate images; an \"NPV\" of 100.00 ± 0.00 at t_fp 0.07 cannot be a share of legitimate "
            + "images accepted; §5.4 reads NPV as the \"ability to detect adversarial images\"; and the authors' "
            + "code returns the acceptance rate first. So the paper's NPV column is compared with our detection rate "
            + "and its PPV column with our acceptance rate.";

    /**
     * One row of the report's detection table ({@code report.json}'s {@code detection}).
     *
     * @param dataset the dataset source
     * @param defense {@code magnet} or {@code multimagnet}
     * @param attack  the attack
     * @param ours    our μ and σ, percent
     * @param paper   the paper's, percent, read as {@link PaperTables.Detection} explains; null where it has no row
     */
    public record DetectionRow(String dataset, String defense, String attack, Rates ours, Rates paper) {
    }

    /**
     * ACC, detection rate and acceptance rate, each [μ, σ] in percent.
     *
     * @param acc            ACC
     * @param detectionRate  TN/(TN+FN)
     * @param acceptanceRate TP/(TP+FP)
     */
    public record Rates(double[] acc, double[] detectionRate, double[] acceptanceRate) {
    }

    /** @return the detection table: every evaluation beside the paper's row */
    List<DetectionRow> detectionRows(StudyReport r) {
        List<DetectionRow> rows = new ArrayList<>();
        for (Evaluation e : r.evaluations()) {
            Rates paperRates = paper.detection(r.dataset(), e.defense(), e.attack())
                    .map(d -> new Rates(d.acc(), d.detectionRate(), d.acceptanceRate())).orElse(null);
            rows.add(new DetectionRow(r.dataset(), e.defense(), e.attack(), new Rates(percent(e.accuracy()),
                    percent(e.detectionRate()), percent(e.acceptanceRate())), paperRates));
        }
        return rows;
    }

    /** @return report.json: the study (without per-chunk rows) and the detection table */
    Map<String, Object> json(StudyReport r) {
        @SuppressWarnings("unchecked")
        Map<String, Object> out = new LinkedHashMap<>(Json.mapper().convertValue(withoutChunks(r), Map.class));
        out.put("detection", detectionRows(r));
        return out;
    }

    private static double[] percent(MeanStd v) {
        return new double[] {100 * v.mean(), 100 * v.std()};
    }

    /** ACC over every draw of the ensemble beside the chunks' estimate, and the members as detectors. */
    private static void exactSection(StringBuilder md, StudyReport r) {
        md.append("\n## Over every draw of the ensemble\n\n");
        md.append("The chunks sample the defense's randomness; here it is summed out: each image's exact probability "
                + "of acceptance by a random ensemble (n drawn from the defense's sizes), the expected ACC on all of D, "
                + "the worst and best single ensemble, and σ of the chunk ACC split into the part due to the draw and "
                + "the part due to the data. The expected ACC must fall within the chunks' mean ± 1.96 σ/√chunks. AUC: "
                + "the ensemble's rejection probability as a detector score (95% interval).\n\n");
        md.append("| Defense | Attack | ACC over the chunks | expected ACC | within 95%? | worst ensemble | best ensemble "
                + "| σ draws | σ data | AUC |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < r.exact().size(); i++) {
            ExactEvaluation x = r.exact().get(i);
            Evaluation e = find(r, x.attack(), DefenseKind.parse(x.defense()));
            var auc = x.detector().ensemble();
            md.append("| ").append(DefenseKind.parse(x.defense()).displayName()).append(" | ").append(x.attack())
                    .append(" | ").append(e == null ? "—" : e.accuracy().percent())
                    .append(String.format(Locale.ROOT, " | %.2f%% | %s | %.2f%% %s | %.2f%% %s | %.2f | %.2f | "
                                    + "%.4f [%.4f, %.4f] |\n", 100 * x.expectedAcc(),
                            e == null ? "—" : x.within95(e.accuracy(), e.settings().chunks()) ? "yes" : "**no**",
                            100 * x.worstAcc(), java.util.Arrays.toString(x.worstEnsemble()), 100 * x.bestAcc(),
                            java.util.Arrays.toString(x.bestEnsemble()), 100 * x.drawStd(), 100 * x.dataStd(),
                            auc.auc(), auc.low(), auc.high()));
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static void row(StringBuilder md, String attack, String scenario, MeanStd overAll, MeanStd overAccepted,
                            Optional<double[]> theirs) {
        md.append("| ").append(attack).append(" | ").append(scenario).append(" | ")
                .append(overAll == null ? "not run" : overAll.percent()).append(" | ")
                .append(overAccepted == null ? "not run" : overAccepted.percent()).append(" | ")
                .append(theirs.map(ReportWriter::pct).orElse("—")).append(" |\n");
    }

    private static String pct(double[] meanStd) {
        return meanStd == null || Double.isNaN(meanStd[0]) ? "—"
                : String.format(Locale.ROOT, "%.2f%% ± %.2f", meanStd[0], meanStd[1]);
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
        writeChart(file, chart, WIDTH, HEIGHT);
    }

    private static void writeChart(Path file, JFreeChart chart, int width, int height) {
        chart.setBackgroundPaint(Color.WHITE);
        AtomicFiles.write(file, out -> {
            try {
                ChartUtils.writeChartAsPNG(out, chart, width, height);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
