package org.multimagnet.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.experiment.AdaptiveAttack;
import org.multimagnet.experiment.AdaptiveEvaluation;
import org.multimagnet.nn.Classifier;
import org.multimagnet.nn.NetworkAutoencoder;
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
 * {@code adaptive}: attacks a defense with an attacker that knows it ({@link AdaptiveAttack}, white-box) or not
 * (oblivious, the same optimiser against F alone), for a list of budgets, and scores each set exactly over every
 * draw of the ensemble ({@link AdaptiveEvaluation}): robust accuracy under detection, acceptance, F's accuracy.
 * Writes nothing into the workspace.
 */
@Command(name = "adaptive", mixinStandardHelpOptions = true,
        description = "Attack a defense that the attacker knows (white-box) or not (oblivious), per budget; robust "
                + "accuracy under detection exactly over every draw. Writes nothing.")
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
            description = "whitebox (knows S, the thresholds and the vote rule, not the draw) or oblivious (F alone). "
                    + "Default: ${DEFAULT-VALUE}.")
    String threat;

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

    @Mixin
    SeedOption seed;

    /** Images per PGD batch (every member's backward pass keeps its activations). */
    static final int BATCH = 32;

    @Override
    public Integer call() {
        DefenseKind kind = SharedOptions.parseDefense(defense);
        AdaptiveAttack.Threat t = parse(AdaptiveAttack.Threat.class, "--threat", threat, "whitebox or oblivious");
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
        Workspace w = Workspace.open(shared.reading());
        CBest cBest = new CalibrationStore(w.root()).current(calibration, kind);
        PrintWriter err = spec.commandLine().getErr();
        long drawSeed = seed.seed(); // the draw of test images
        AttackSets.Sources src = AttackSets.drawSources(w, AttackSets.TEST, count, drawSeed,
                note -> err.println("note: " + note));
        Classifier f = w.classifier();
        List<NetworkAutoencoder> s = w.autoencoders();
        int size = src.images().size();
        INDArray clean = Nd4j.create(src.images().pixels(), w.dataset().shape().batch(size));
        int[] away = AdaptiveAttack.predictions(f, clean);
        List<Map<String, Object>> rows = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        if (!shared.json) {
            out.printf(Locale.ROOT, "%s against %s (C_best %s, n from %s), %s %s, %d images (seed %d), %d steps, "
                    + "λ %.3g%n", t.name().toLowerCase(Locale.ROOT), kind.displayName(), cBest.combination(),
                    cBest.combination().ensembleSizes(), n.name().toLowerCase(Locale.ROOT), eps, size, drawSeed, steps,
                    lambda);
            out.println("  ε        robust accuracy under detection   accepted              F alone   mean L2  max L∞");
        }
        for (double e : eps) {
            AdaptiveAttack attack = new AdaptiveAttack(f, s, cBest, AdaptiveAttack.Settings.of(t, n, e, steps)
                    .withLambda(lambda));
            INDArray adv = Nd4j.createUninitialized(clean.dataType(), clean.shape());
            for (int from = 0; from < size; from += BATCH) {
                int to = Math.min(size, from + BATCH);
                var batch = org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
                adv.get(batch).assign(attack.run(clean.get(batch), java.util.Arrays.copyOfRange(away, from, to),
                        (d, total, m) -> { }, Cli.cancellation()));
                err.printf(Locale.ROOT, "  ε %.3g: %d/%d images%n", e, to, size);
            }
            AdaptiveEvaluation r = AdaptiveEvaluation.of(f, s, cBest, cBest.combination().ensembleSizes(), clean, adv,
                    src.images().labels(), ProgressListener.NONE, Cli.cancellation());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("eps", e);
            row.put("robustAccuracy", r.robustAccuracy());
            row.put("acceptance", r.acceptance());
            row.put("plainAccuracy", r.plainAccuracy());
            row.put("meanL2", r.meanL2());
            row.put("maxLinf", r.maxLinf());
            rows.add(row);
            if (!shared.json) {
                out.printf(Locale.ROOT, "  %-7.3g  %6.2f%% [%6.2f, %6.2f]          %6.2f%% [%6.2f, %6.2f]   %6.2f%%   %6.3f   %6.3f%n",
                        e, 100 * r.robustAccuracy()[0], 100 * r.robustAccuracy()[1], 100 * r.robustAccuracy()[2],
                        100 * r.acceptance()[0], 100 * r.acceptance()[1], 100 * r.acceptance()[2],
                        100 * r.plainAccuracy(), r.meanL2(), r.maxLinf());
                out.flush();
            }
        }
        if (shared.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("threat", t.name().toLowerCase(Locale.ROOT));
            json.put("defense", kind.id());
            json.put("calibration", cBest.combination().toString());
            json.put("norm", n.name().toLowerCase(Locale.ROOT));
            json.put("images", size);
            json.put("seed", drawSeed);
            json.put("steps", steps);
            json.put("lambda", lambda);
            json.put("budgets", rows);
            out.println(Json.write(json));
        }
        return 0;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String option, String value, String expected) {
        for (E c : type.getEnumConstants()) {
            if (c.name().equalsIgnoreCase(value)) {
                return c;
            }
        }
        throw new UserException(option + " " + value + ": expected " + expected);
    }
}
