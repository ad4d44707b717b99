package org.multimagnet.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.EnsembleAcceptance;
import org.multimagnet.experiment.AdaptiveAttack;
import org.multimagnet.experiment.AdaptiveEvaluation;
import org.multimagnet.experiment.AdaptiveRun;
import org.multimagnet.experiment.GrayBoxTarget;
import org.multimagnet.nn.Classifier;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.workspace.Artifact;
import org.multimagnet.workspace.ArtifactHistory;
import org.multimagnet.workspace.AttackSets;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Workspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code adaptive}: attacks a defense with an attacker that knows it ({@link AdaptiveAttack}: white-box), knows its
 * recipe only (gray-box: its own S′ from another workspace, thresholds derived with the defender's rule,
 * {@link GrayBoxTarget}) or not at all (oblivious, the same optimiser against F alone), for a list of budgets, and
 * scores each set against the defender's S exactly over every draw ({@link AdaptiveEvaluation}). Writes into the
 * workspace only with {@code --save}; per-image records go to {@code --records}.
 */
@Command(name = "adaptive", mixinStandardHelpOptions = true,
        description = "Attack a defense that the attacker knows (white-box), rebuilds (gray-box) or not (oblivious), "
                + "per budget; robust accuracy under detection exactly over every draw of the defender's ensemble.")
final class AdaptiveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Option(names = "--defense", defaultValue = "multimagnet", paramLabel = "D",
            description = "multimagnet or magnet: whose C_best (thresholds, metric, approach, sizes). Default: ${DEFAULT-VALUE}.")
    String defense;

    @Option(names = "--calibration", paramLabel = "A",
            description = "The attack whose C_best to use (default: the most recent calibration).")
    String calibration;

    @Option(names = "--threat", defaultValue = "whitebox", paramLabel = "T",
            description = "whitebox (knows S, the thresholds and the vote rule, not the draw), graybox (its own S′ "
                    + "from --attacker-workspace, thresholds by the defender's rule) or oblivious (F alone). "
                    + "Default: ${DEFAULT-VALUE}.")
    String threat;

    @Option(names = "--attacker-workspace", paramLabel = "W2",
            description = "graybox: the attacker's workspace (same dataset, members trained with its own seed); its "
                    + "classifier is used when it has one, else the defender's F.")
    Path attackerWorkspace;

    @Option(names = "--method", defaultValue = "all-members", paramLabel = "M",
            description = "all-members (every member at once) or eot (the loss averaged over --draws ensembles drawn "
                    + "per step as deployment draws them). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--draws", defaultValue = "8", paramLabel = "K",
            description = "eot: ensembles drawn per image and step. Default: ${DEFAULT-VALUE}.")
    int draws;

    @Option(names = "--norm", defaultValue = "linf", paramLabel = "N", description = "linf or l2. Default: ${DEFAULT-VALUE}.")
    String norm;

    @Option(names = "--eps", required = true, split = ",", paramLabel = "E,...", description = "Budgets ε, e.g. 0.1,0.2,0.3.")
    List<Double> eps;

    @Option(names = "--count", defaultValue = "200", paramLabel = "N", description = "Test images attacked. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--steps", defaultValue = "50", paramLabel = "S", description = "PGD steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--lambda", defaultValue = "1", paramLabel = "L",
            description = "Weight of the detector term against F's margins, their gradients scaled to one length. Default: ${DEFAULT-VALUE}.")
    double lambda;

    @Option(names = "--lambda-steps", defaultValue = "1", paramLabel = "K",
            description = "Rounds of the per-image λ search, starting from --lambda: up when the detectors reject, "
                    + "down when F still classifies right, each image keeping its best attempt (docs/method.md). "
                    + "1: --lambda alone. Default: ${DEFAULT-VALUE}.")
    int lambdaSteps;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--records", paramLabel = "FILE.jsonl",
            description = "Write one JSON line per attacked image and budget: marks, votes, acceptance per ensemble "
                    + "size and the mask of accepting ensembles (docs/method.md).")
    Path records;

    @Option(names = "--save",
            description = "Save the results as W/evaluations/adaptive-<defense>-<threat>-<method>-<norm>.json (the "
                    + "report's robust-accuracy-versus-ε chart).")
    boolean save;

    @Option(names = "--replace",
            description = "Replace an existing --records file, or the saved results (whose old version is kept: "
                    + "'workspace history'). Without it the command stops, exit 2, before any work.")
    boolean replace;

    @Override
    public Integer call() {
        DefenseKind kind = SharedOptions.parseDefense(defense);
        AdaptiveAttack.Threat t = parse(AdaptiveAttack.Threat.class, "--threat", threat,
                "whitebox, graybox or oblivious");
        AdaptiveAttack.Method how = parse(AdaptiveAttack.Method.class, "--method", method.replace('-', '_'),
                "all-members or eot");
        AdaptiveAttack.Norm n = parse(AdaptiveAttack.Norm.class, "--norm", norm, "linf or l2");
        for (double e : eps) {
            if (!(e > 0) || Double.isInfinite(e)) {
                throw new UserException("--eps " + e + ": expected budgets > 0");
            }
        }
        if (count < 1 || steps < 1 || !(lambda >= 0)) {
            throw new UserException("--count and --steps must be at least 1 and --lambda at least 0, got " + count
                    + ", " + steps + ", " + lambda);
        }
        if (lambdaSteps < 1 || lambdaSteps > 20) {
            throw new UserException("--lambda-steps " + lambdaSteps + ": expected 1 to 20 rounds of the λ search");
        }
        if (lambdaSteps > 1 && (t == AdaptiveAttack.Threat.OBLIVIOUS || lambda == 0)) {
            throw new UserException("--lambda-steps " + lambdaSteps + ": the search scales λ from --lambda "
                    + "against the detectors; expected 1 with --threat oblivious or --lambda 0");
        }
        if (draws < 1) {
            throw new UserException("--draws " + draws + ": expected at least 1 ensemble per step");
        }
        if (how == AdaptiveAttack.Method.EOT && t == AdaptiveAttack.Threat.OBLIVIOUS) {
            throw new UserException("--method eot: the oblivious attacker knows no ensemble to draw; expected "
                    + "all-members with --threat oblivious");
        }
        if ((t == AdaptiveAttack.Threat.GRAYBOX) != (attackerWorkspace != null)) {
            throw new UserException(attackerWorkspace == null
                    ? "--threat graybox: needs --attacker-workspace W2, the workspace of the attacker's own S′"
                    : "--attacker-workspace " + attackerWorkspace + ": only with --threat graybox, got " + threat);
        }
        if (records != null && Files.isDirectory(records)) {
            throw new UserException("--records " + records + ": is a folder, expected a file name");
        }
        if (records != null && Files.exists(records) && !replace) {
            throw new UserException("--records " + records + ": exists; expected a new file (or --replace)");
        }
        String label = t.name().toLowerCase(Locale.ROOT);
        String normLabel = n.name().toLowerCase(Locale.ROOT);
        String methodLabel = how.name().toLowerCase(Locale.ROOT).replace('_', '-');
        Workspace w = save ? Workspace.openForWriting(shared.writing("adaptive --save"))
                : Workspace.open(shared.reading());
        long seed = seedOption.seed(); // the draw of test images and eot's ensembles
        Artifact saved = savedName(kind, label, methodLabel, normLabel);
        ArtifactHistory history = new ArtifactHistory(w.root());
        if (save) {
            history.requireConsent(saved, org.multimagnet.workspace.Consent.of(replace));
        }
        Workspace attackerW = t == AdaptiveAttack.Threat.GRAYBOX ? attackerWorkspace(w) : w;
        CBest cBest = new CalibrationStore(w.root()).current(calibration, kind);
        PrintWriter err = spec.commandLine().getErr();
        AttackSets.Sources src = AttackSets.drawSources(w, AttackSets.TEST, count, seed, note -> err.println("note: " + note));
        Classifier f = w.classifier();
        List<NetworkAutoencoder> s = w.autoencoders();
        Map<String, Object> attacker = new LinkedHashMap<>();
        Classifier fAttack = f;
        List<NetworkAutoencoder> sAttack = s;
        AdaptiveAttack.Target target = AdaptiveAttack.Target.of(cBest, s);
        if (t == AdaptiveAttack.Threat.GRAYBOX) {
            boolean ownF = attackerW.models().has("classifier");
            fAttack = ownF ? attackerW.classifier() : f;
            sAttack = attackerW.autoencoders();
            Dataset d = attackerW.dataset();
            Dataset vLeg = d.subset(attackerW.split().validation());
            target = GrayBoxTarget.derive(fAttack, sAttack, cBest.combination(),
                    Nd4j.create(vLeg.pixels(), d.shape().batch(vLeg.size())), ProgressListener.NONE,
                    Cli.cancellation());
            attacker.put("workspace", attackerW.root().toString());
            attacker.put("members", sAttack.size());
            attacker.put("classifier", ownF ? "the attacker's own" : "the defender's F");
            attacker.put("thresholds", "the defender's rule on S′'s marks of " + vLeg.size() + " V_leg images at t_fp "
                    + cBest.combination().falsePositiveRate());
            attacker.put("sizes", target.sizes());
        }
        int size = src.images().size();
        INDArray clean = Nd4j.create(src.images().pixels(), w.dataset().shape().batch(size));
        int[] away = AdaptiveAttack.predictions(f, clean);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        if (!shared.json) {
            out.printf(Locale.ROOT, "%s (%s%s) against %s (C_best %s, n from %s), %s %s, %d images, %d steps, λ %.3g%s%n",
                    label, methodLabel, how == AdaptiveAttack.Method.EOT ? ", " + draws + " draws" : "",
                    kind.displayName(), cBest.combination(), cBest.combination().ensembleSizes(), normLabel, eps, size,
                    steps, lambda, lambdaSteps > 1 ? " searched over " + lambdaSteps + " rounds" : "");
            if (!attacker.isEmpty()) {
                out.printf(Locale.ROOT, "  attacker: S′ of %d members from %s, F: %s, thresholds by the "
                                + "defender's rule (n from %s); scored against the defender's S (%d members)%n",
                        sAttack.size(), attackerW.root(), attacker.get("classifier"), target.sizes(), s.size());
            }
            out.println("  ε        robust accuracy under detection   accepted              F alone   mean L2  max L∞");
        }
        for (double e : eps) {
            AdaptiveAttack.Settings settings = AdaptiveAttack.Settings.of(t, n, e, steps).withLambda(lambda);
            if (how == AdaptiveAttack.Method.EOT) {
                settings = settings.withEot(draws, seed);
            }
            ProgressLine line = new ProgressLine(err, String.format(Locale.ROOT, "  ε %.3g", e));
            AdaptiveRun.Result result = AdaptiveRun.run(new AdaptiveRun.Attacker(fAttack, sAttack, target), f, s,
                    cBest, settings, lambdaSteps, clean, src.images().labels(), away, new SplittableRandom(seed),
                    line, Cli.cancellation());
            line.finish();
            AdaptiveEvaluation.Scored scored = result.scored();
            AdaptiveEvaluation r = scored.evaluation();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("eps", e);
            row.put("threat", label);
            row.put("method", methodLabel);
            row.put("robustAccuracy", r.robustAccuracy());
            row.put("acceptance", r.acceptance());
            row.put("plainAccuracy", r.plainAccuracy());
            row.put("meanL2", r.meanL2());
            if (lambdaSteps > 1) {
                row.put("lambdaRounds", result.rounds());
                row.put("lambdaFound", lambdaSummary(result.lambdas()));
            }
            row.put("maxLinf", r.maxLinf());
            rows.add(row);
            if (records != null) {
                for (int j = 0; j < size; j++) {
                    lines.add(recordLine(e, label, methodLabel, kind, j, src.indices()[j], result.lambdas()[j],
                            scored.images().get(j)));
                }
            }
            if (!shared.json) {
                out.printf(Locale.ROOT, "  %-7.3g  %6.2f%% [%6.2f, %6.2f]          %6.2f%% [%6.2f, %6.2f]   %6.2f%%   %6.3f   %6.3f%n",
                        e, 100 * r.robustAccuracy()[0], 100 * r.robustAccuracy()[1], 100 * r.robustAccuracy()[2],
                        100 * r.acceptance()[0], 100 * r.acceptance()[1], 100 * r.acceptance()[2],
                        100 * r.plainAccuracy(), r.meanL2(), r.maxLinf());
                out.flush();
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("threat", label);
        json.put("method", methodLabel);
        if (how == AdaptiveAttack.Method.EOT) {
            json.put("draws", draws);
        }
        json.put("defense", kind.id());
        json.put("calibration", cBest.combination().toString());
        json.put("calibratedOn", cBest.attack());
        json.put("scoredAgainst", "the defender's S (" + s.size() + " members)");
        if (!attacker.isEmpty()) {
            json.put("attacker", attacker);
        }
        json.put("norm", normLabel);
        json.put("images", size);
        json.put("steps", steps);
        json.put("lambda", lambda);
        json.put("lambdaSteps", lambdaSteps);
        json.put("seed", seed);
        json.put("budgets", rows);
        if (records != null) {
            String body = String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
            AtomicFiles.write(records, body.getBytes(StandardCharsets.UTF_8));
            err.println("wrote " + lines.size() + " records to " + records);
        }
        if (save) {
            history.prepareReplace(saved, org.multimagnet.workspace.Consent.of(replace), "replaced by adaptive");
            Json.writeFile(saved.files(w.root()).get(0), json);
            err.println("saved " + saved.files(w.root()).get(0));
        }
        if (shared.json) {
            out.println(Json.write(json));
        }
        return 0;
    }

    /**
     * The saved results' name: every part that changes the attack is in it, so that runs differing in threat,
     * method or norm never replace one another.
     */
    static Artifact savedName(DefenseKind kind, String threat, String method, String norm) {
        return Artifact.evaluation("adaptive-" + kind.id() + "-" + threat + "-" + method + "-" + norm);
    }

    /** The λ the search settled on over the images: min, median and max. */
    private static Map<String, Double> lambdaSummary(double[] lambdas) {
        double[] v = lambdas.clone();
        java.util.Arrays.sort(v);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("min", v[0]);
        m.put("median", v[v.length / 2]);
        m.put("max", v[v.length - 1]);
        return m;
    }

    /** The attacker's workspace: another folder than the defender's, holding members, over the same dataset. */
    private Workspace attackerWorkspace(Workspace defender) {
        Workspace a = Workspace.open(attackerWorkspace);
        if (a.root().toAbsolutePath().normalize().equals(defender.root().toAbsolutePath().normalize())) {
            throw new UserException("--attacker-workspace " + attackerWorkspace + ": is the defender's workspace; "
                    + "expected one whose S′ the attacker trained itself");
        }
        if (!a.config().dataset().equals(defender.config().dataset())) {
            throw new UserException("--attacker-workspace " + attackerWorkspace + ": holds dataset "
                    + a.config().dataset() + ", expected the defender's " + defender.config().dataset());
        }
        if (a.models().list().stream().noneMatch(x -> x.role() == org.multimagnet.nn.ModelRole.AUTOENCODER)) {
            throw new UserException("--attacker-workspace " + attackerWorkspace + ": holds no autoencoders; train "
                    + "them first ('train --workspace " + attackerWorkspace + " --what autoencoders --seed 7')");
        }
        return a;
    }

    /** One line of {@code --records}: an attacked image at one budget, as the defender's S sees it. */
    static String recordLine(double e, String threat, String method, DefenseKind kind, int index, int sourceIndex,
                             double lambdaFound, AdaptiveEvaluation.ImageRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eps", e);
        m.put("threat", threat);
        m.put("method", method);
        m.put("defense", kind.id());
        m.put("index", index);
        m.put("sourceIndex", sourceIndex);
        m.put("label", r.label());
        m.put("lambda", lambdaFound);
        m.put("prediction", r.prediction());
        m.put("memberIds", r.memberIds());
        m.put("marks", r.marks());
        m.put("thresholds", r.thresholds());
        m.put("votes", r.votes());
        m.put("reformedPredictions", r.reformedPredictions());
        EnsembleAcceptance a = r.acceptance();
        m.put("sizes", a.sizes());
        m.put("accepting", a.accepting());
        m.put("ensembles", a.ensembles());
        m.put("acceptance", a.probability());
        if (a.mask() != null) {
            m.put("acceptedMask", a.mask());
        }
        m.put("defended", r.defended());
        try {
            return Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String option, String value, String expected) {
        for (E c : type.getEnumConstants()) {
            if (c.name().equalsIgnoreCase(value)) {
                return c;
            }
        }
        throw new UserException(option + " " + value.replace('_', '-') + ": expected " + expected);
    }
}
