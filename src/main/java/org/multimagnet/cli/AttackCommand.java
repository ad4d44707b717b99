package org.multimagnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.multimagnet.attack.Attack;
import org.multimagnet.attack.AttackLabels;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.attack.Attacks;
import org.multimagnet.attack.PaperSetting;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.workspace.AttackSets;
import org.multimagnet.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code attack}: makes D_atk (or V_atk) by attacking the workspace's classifier F with FGSM, BIM, DeepFool or
 * Carlini-Wagner L2 (paper §5.3, Table 1), saves it under {@code W/attacks/<attack>-<split>/} and prints the summary.
 */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = "Attack the workspace's classifier F: make D_atk (test split) or V_atk (validation split).")
final class AttackCommand implements Callable<Integer> {
    @Mixin
    SharedOptions shared;

    @Spec
    CommandSpec spec;

    @Option(names = "--attack", required = true, paramLabel = "NAME",
            description = "fgsm, bim, deepfool or cw.")
    String attack;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
            description = "test (D_leg from Te -> D_atk) or validation (V_leg -> V_atk). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--count", defaultValue = "2000", paramLabel = "N",
            description = "Images to attack (capped to what the split holds). Default: ${DEFAULT-VALUE}.")
    int count;

    @Mixin
    SeedOption seed;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = "Attack parameter, repeatable (e.g. eps=0.1, alpha, iterations, overshoot, maxIterations,"
                    + " kappa, lr, c0, binarySearchSteps). Defaults: the paper's Table 1 for the dataset.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--labels", defaultValue = "predicted", paramLabel = "FROM",
            description = "Move each image away from F's own prediction (predicted, as ART without labels, the paper's"
                    + " set-up) or from its true label (true). Every image is attacked either way; the set keeps the"
                    + " true labels. Default: ${DEFAULT-VALUE}.")
    String labels;

    @Option(names = "--batch-size", defaultValue = "100", paramLabel = "B",
            description = "Images per batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Save the set in this new or empty folder instead of W/attacks/<attack>-<split>.")
    Path out;

    @Option(names = "--scratch",
            description = "Save the set under W/scratch/ (a new folder, which the protocol never reads) instead of "
                    + "W/attacks/<attack>-<split>: a set to look at, which replaces nothing.")
    boolean scratch;

    @Mixin
    ReplaceOption replace;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path workspace = shared.writing("attack");
        if (batchSize < 1) {
            throw new UserException("--batch-size must be at least 1, got " + batchSize);
        }
        // name and parameters are checked before the (slow) workspace loads; the ranges do not depend on the setting
        String name = Attacks.create(attack, PaperSetting.MNIST, params).name();
        AttackLabels awayFrom = AttackLabels.parse("--labels", labels);
        if (scratch && out != null) {
            throw new UserException("--scratch and --out " + out + ": give one of them (both say where the set goes)");
        }
        String sp = AttackSets.splitName(split);
        Workspace w = Workspace.openForWriting(workspace);
        Path folder = AttackSets.target(w, name, sp, scratch ? AttackSets.scratchFolder(w, name, sp) : out,
                replace.consent());
        Attack a = Attacks.create(attack, PaperSetting.forShape(w.dataset().shape()), params);
        long s = seed.seed(); // the draw of source images
        AttackSets.Sources sources = AttackSets.drawSources(w, sp, count, s, note -> err.println("note: " + note));
        ProgressListener progress = shared.json ? ProgressListener.NONE : (done, total, message) -> {
            err.println(message);
            err.flush();
        };
        AttackSets.Made made = AttackSets.make(w, a, sources, awayFrom, batchSize, folder, replace.consent(),
                progress, Cli.cancellation());
        AttackSummary sum = made.outcome().summary();
        if (shared.json) {
            stdout.println(Json.write(report(a, sources, made)));
        } else {
            stdout.printf(Locale.ROOT, "%s on %d %s images of %s (seed %d), params %s%n", a.name(), sum.count(),
                    sources.split(), w.config().dataset(), s, a.params());
            stdout.printf(Locale.ROOT, "F's accuracy: %.2f%% before, %.2f%% after (%d misclassified before the attack, "
                    + "attacked as well)%n", 100 * sum.accuracyBefore(), 100 * sum.accuracyAfter(),
                    sum.alreadyMisclassified());
            stdout.printf(Locale.ROOT, "success rate %.2f%% of all images (F's prediction moved away from %s); "
                    + "%d images left unchanged by the attack%n", 100 * sum.successRate(),
                    awayFrom == AttackLabels.PREDICTED ? "its prediction on the clean image" : "the true label",
                    sum.unchanged());
            stdout.printf(Locale.ROOT, "mean L2 %.4f, max L∞ %.4f; mean iterations %.1f%n", sum.meanL2(),
                    sum.maxLinf(), sum.meanIterations());
            stdout.printf(Locale.ROOT, "%.1f s, %.1f images/s; saved to %s%n", sum.seconds(), sum.imagesPerSecond(),
                    made.folder());
        }
        stdout.flush();
        return 0;
    }

    private static Map<String, Object> report(Attack a, AttackSets.Sources sources, AttackSets.Made made) {
        AttackSummary sum = made.outcome().summary();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("attack", a.name());
        r.put("params", a.params());
        r.put("split", sources.split());
        r.put("seed", sources.seed());
        r.put("count", sum.count());
        r.put("labels", made.outcome().awayFrom().id());
        r.put("alreadyMisclassified", sum.alreadyMisclassified());
        r.put("unchanged", sum.unchanged());
        r.put("accuracyBefore", sum.accuracyBefore());
        r.put("accuracyAfter", sum.accuracyAfter());
        r.put("successRate", sum.successRate());
        r.put("meanL2", sum.meanL2());
        r.put("meanL2Successful", sum.meanL2Successful());
        r.put("maxLinf", sum.maxLinf());
        r.put("meanIterations", sum.meanIterations());
        r.put("seconds", sum.seconds());
        r.put("imagesPerSecond", sum.imagesPerSecond());
        r.put("folder", made.folder().toString());
        return r;
    }
}
