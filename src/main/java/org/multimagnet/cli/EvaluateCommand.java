package org.multimagnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.multimagnet.common.Json;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.ReformerSource;
import org.multimagnet.defense.Roc;
import org.multimagnet.experiment.DetectorMetrics;
import org.multimagnet.experiment.Evaluation;
import org.multimagnet.experiment.ExactEvaluation;
import org.multimagnet.experiment.MeanStd;
import org.multimagnet.stage.BadRequest;
import org.multimagnet.stage.EvaluateStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: the paper's 40-experiment protocol (§5.4) for one attack and one defense, printing μ and σ of
 * ACC, PPV, NPV (Tables 2, 3) and F's accuracy in the Table 5 scenarios, optionally exporting every per-image,
 * per-member decision. {@link EvaluateStage} runs and checks it; the command parses the options and prints.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Run the paper's chunked protocol (§5.4) for one attack and defense on D = D_leg ∪ D_atk.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Option(names = "--attack", required = true, paramLabel = "A", description = "fgsm, bim, deepfool or cw (needs attack --split test and calibrate).")
    String attack;

    @Option(names = "--defense", defaultValue = "multimagnet", paramLabel = "D",
            description = "multimagnet (n drawn from 3,5,7,9 per chunk) or magnet (n = 1). Default: ${DEFAULT-VALUE}.")
    String defense;

    @Option(names = "--chunks", defaultValue = "40", description = "Number of chunks (default ${DEFAULT-VALUE}).")
    int chunks;

    @Option(names = "--chunk-size", defaultValue = "100", description = "Images per chunk (default ${DEFAULT-VALUE}).")
    int chunkSize;

    @Mixin
    SeedOption seed;

    @Option(names = "--ensemble-sizes", split = ",", paramLabel = "n,...",
            description = "Odd ensemble sizes to draw from (default: the defense's C_best: 3,5,7,9 for multimagnet, "
                    + "1 for magnet).")
    List<Integer> ensembleSizes;

    @Option(names = "--reformer-from", defaultValue = "ENSEMBLE", paramLabel = "SOURCE",
            description = "Draw the reformer from the ENSEMBLE (the paper, default) or the whole REPOSITORY (the authors' code).")
    ReformerSource reformerFrom;

    @Option(names = "--exclude-unchanged",
            description = "Leave out of D every pair (D_leg[i], D_atk[i]) whose adversarial image equals its source "
                    + "(the attack did not move it); D shrinks by 2 per pair. Default: every pair is kept.")
    boolean excludeUnchanged;

    @Option(names = "--export-marks", paramLabel = "FILE.csv", description = "Write one CSV row per (image, member).")
    Path exportMarks;

    @Option(names = "--allow-stale",
            description = "Use the calibration even when models of the workspace changed since it was made "
                    + "(prints a warning naming them); without it such a calibration is refused.")
    boolean allowStale;

    @Option(names = "--exact",
            description = "Also compute the scores over every possible draw of the ensemble: each image's exact "
                    + "probability of acceptance (hypergeometric under MTA, by the ensemble holding the minimum under "
                    + "minTA), the expected ACC, the worst and best ensemble, and the spread due to draws apart from "
                    + "the spread due to data.")
    boolean exact;

    @Option(names = "--export-roc", paramLabel = "FILE.csv",
            description = "With --exact: write the ROC curve of every member's mark and of the ensemble "
                    + "(detector, threshold, fpr, tpr).")
    Path exportRoc;

    @Mixin
    ReplaceOption replace;

    @Override
    public Integer call() {
        Path workspace = shared.writing("evaluate");
        DefenseKind kind = SharedOptions.parseDefense(defense);
        PrintWriter err = spec.commandLine().getErr();
        EvaluateStage.Result r;
        try {
            r = new EvaluateStage().run(new EvaluateStage.Request(workspace, attack, kind, chunks, chunkSize,
                    seed.seed(), ensembleSizes, reformerFrom, excludeUnchanged, exportMarks, exact, exportRoc,
                    allowStale, replace.consent()), err::println, new ProgressLine(err, "forward passes over D"),
                    Cli.cancellation());
        } catch (BadRequest e) {
            throw SharedOptions.asOptions(e);
        }
        Evaluation e = r.evaluation();
        ExactEvaluation x = r.exact();
        PrintWriter out = spec.commandLine().getOut();
        if (shared.json) {
            Map<String, Object> json = summary(e);
            if (x != null) {
                json.put("exact", exactJson(x, e));
            }
            out.println(Json.write(json));
        } else {
            out.println(text(e));
            if (x != null) {
                out.println(exactText(x, e));
            }
        }
        return 0;
    }

    /** The --json object: fractions in [0,1]. */
    static Map<String, Object> summary(Evaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", e.dataset());
        m.put("attack", e.attack());
        m.put("defense", e.defense());
        m.put("chunks", e.settings().chunks());
        m.put("chunkSize", e.settings().chunkSize());
        m.put("seed", e.settings().seed());
        m.put("ensembleSizes", e.settings().ensembleSizes());
        m.put("imageCount", e.imageCount());
        m.put("excludedPairs", e.excludedPairs());
        m.put("calibration", e.calibration());
        m.put("accuracy", meanStd(e.accuracy()));
        m.put("ppv", meanStd(e.ppv()));
        m.put("npv", meanStd(e.npv()));
        m.put("detectionRate", meanStd(e.detectionRate()));
        m.put("acceptanceRate", meanStd(e.acceptanceRate()));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("noDefense", meanStd(e.scenarios().noDefense()));
        s.put(e.defense() + "Only", meanStd(e.scenarios().detector()));
        s.put(e.defense() + "AndReformer", meanStd(e.scenarios().withReformer()));
        s.put(e.defense() + "OnlyOverAccepted", meanStd(e.scenarios().detectorAccepted()));
        s.put(e.defense() + "AndReformerOverAccepted", meanStd(e.scenarios().withReformerAccepted()));
        m.put("scenarios", s);
        m.put("attackAccuracy", e.attackAccuracy());
        m.put("discardedImages", e.discardedImageRule());
        return m;
    }

    private static Map<String, Object> exactJson(ExactEvaluation x, Evaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ensembles", x.ensembles());
        m.put("expectedAccuracy", x.expectedAcc());
        m.put("detectionRate", x.detectionRate());
        m.put("acceptanceRate", x.acceptanceRate());
        m.put("worstAccuracy", x.worstAcc());
        m.put("worstEnsemble", x.worstEnsemble());
        m.put("bestAccuracy", x.bestAcc());
        m.put("bestEnsemble", x.bestEnsemble());
        m.put("stdDueToDraws", x.drawStd());
        m.put("stdDueToData", x.dataStd());
        m.put("monteCarloWithin95", x.within95(e.accuracy(), e.settings().chunks()));
        List<Map<String, Object>> members = new ArrayList<>();
        for (DetectorMetrics.Member d : x.detector().members()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", d.id());
            r.put("threshold", d.threshold());
            r.put("auc", List.of(d.roc().auc(), d.roc().low(), d.roc().high()));
            r.put("tpr", List.of(d.tpr().value(), d.tpr().low(), d.tpr().high()));
            r.put("fpr", List.of(d.fpr().value(), d.fpr().low(), d.fpr().high()));
            members.add(r);
        }
        Roc ens = x.detector().ensemble();
        m.put("detector", Map.of("members", members, "ensembleAuc", List.of(ens.auc(), ens.low(), ens.high())));
        return m;
    }

    private static String exactText(ExactEvaluation x, Evaluation e) {
        double half = 1.96 * e.accuracy().std() / Math.sqrt(e.settings().chunks());
        return String.join("\n",
                "Over every possible draw (" + x.ensembles() + " ensembles, n from " + x.ensembleSizes() + "):",
                String.format(Locale.ROOT, "  expected ACC                      %.2f%% (the %d chunks: %.2f%% ± %.2f, "
                        + "95%% interval of their mean ± %.2f: %s)", 100 * x.expectedAcc(), e.settings().chunks(),
                        100 * e.accuracy().mean(), 100 * e.accuracy().std(), 100 * half,
                        x.within95(e.accuracy(), e.settings().chunks()) ? "inside" : "OUTSIDE"),
                String.format(Locale.ROOT, "  expected detection rate           %.2f%%", 100 * x.detectionRate()),
                String.format(Locale.ROOT, "  expected acceptance rate          %.2f%%", 100 * x.acceptanceRate()),
                String.format(Locale.ROOT, "  worst ensemble                    %.2f%% %s", 100 * x.worstAcc(),
                        java.util.Arrays.toString(x.worstEnsemble())),
                String.format(Locale.ROOT, "  best ensemble                     %.2f%% %s", 100 * x.bestAcc(),
                        java.util.Arrays.toString(x.bestEnsemble())),
                String.format(Locale.ROOT, "  σ due to draws %.2f, due to data %.2f (chunk ACC σ %.2f)",
                        100 * x.drawStd(), 100 * x.dataStd(), 100 * e.accuracy().std()),
                detectorText(x.detector()));
    }

    private static String detectorText(DetectorMetrics d) {
        StringBuilder sb = new StringBuilder("As detectors on D (adversarial = positive; 95% intervals):\n");
        sb.append("  member  AUC                       TPR at its τ              FPR at its τ\n");
        for (DetectorMetrics.Member m : d.members()) {
            sb.append(String.format(Locale.ROOT, "  ae-%02d   %s   %s   %s%n", m.id(), interval(m.roc().auc(),
                    m.roc().low(), m.roc().high()), interval(m.tpr().value(), m.tpr().low(), m.tpr().high()),
                    interval(m.fpr().value(), m.fpr().low(), m.fpr().high())));
        }
        Roc e = d.ensemble();
        sb.append(String.format(Locale.ROOT, "  ensemble (P(reject) over draws): AUC %s", interval(e.auc(), e.low(),
                e.high())));
        return sb.toString();
    }

    private static String interval(double v, double low, double high) {
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", v, low, high);
    }

    private static Map<String, Double> meanStd(MeanStd v) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mean", v.mean());
        m.put("std", v.std());
        return m;
    }

    private static String text(Evaluation e) {
        String name = DefenseKind.parse(e.defense()).displayName();
        return String.join("\n",
                name + " against " + e.attack() + " on " + e.dataset() + ": " + e.settings().chunks() + " chunks of "
                        + e.settings().chunkSize() + ", n from " + e.settings().ensembleSizes() + ", C_best " + e.calibration(),
                "  |D| = " + e.imageCount() + (e.excludedPairs() != null && e.excludedPairs() > 0
                        ? " after leaving out " + e.excludedPairs() + " pairs whose adversarial image equals its source"
                        : ""),
                "  ACC                               " + e.accuracy().percent(),
                "  detection rate (Eq. 9's PPV)      " + e.ppv().percent(),
                "  acceptance rate (Eq. 9's NPV)     " + e.npv().percent(),
                "  F's accuracy on D, no defense     " + e.scenarios().noDefense().percent(),
                "  F's accuracy behind " + name + "      " + e.scenarios().detector().percent()
                        + "   over accepted images: " + e.scenarios().detectorAccepted().percent(),
                "  ... with the reformer             " + e.scenarios().withReformer().percent()
                        + "   over accepted images: " + e.scenarios().withReformerAccepted().percent(),
                "  F's accuracy on D_atk (Table 6)   " + String.format(Locale.ROOT, "%.2f%%", 100 * e.attackAccuracy()),
                "  (" + e.discardedImageRule() + ")");
    }
}
