package org.multimagnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.stage.AttackStage;
import org.multimagnet.stage.FieldNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code attack}: makes D_atk (or V_atk) by attacking the workspace's classifier F with FGSM, BIM, DeepFool or
 * Carlini-Wagner L2 (paper §5.3, Table 1), saves it under {@code W/attacks/<attack>-<split>/} and prints the summary.
 * The run and its checks are {@link AttackStage}'s; this command parses the options and prints.
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

    @Option(names = "--batch-size", defaultValue = "" + AttackStage.DEFAULT_BATCH, paramLabel = "B",
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

    private final AttackStage stage = new AttackStage(FieldNames.OPTIONS);

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path workspace = shared.writing("attack");
        long s = seed.seed(); // the draw of source images
        ProgressListener progress = shared.json ? ProgressListener.NONE : (done, total, message) -> {
            err.println(message);
            err.flush();
        };
        AttackStage.Result made = stage.run(new AttackStage.Request(workspace, attack, params, split, count, s, labels,
                batchSize, out, scratch, replace.consent()), note -> err.println("note: " + note), progress,
                Cli.cancellation());
        AttackSummary sum = made.summary();
        if (shared.json) {
            stdout.println(Json.write(report(made)));
        } else {
            stdout.printf(Locale.ROOT, "%s on %d %s images of %s (seed %d), params %s%n", made.attack(), sum.count(),
                    made.split(), made.dataset(), s, made.params());
            stdout.printf(Locale.ROOT, "F's accuracy: %.2f%% before, %.2f%% after (%d misclassified before the attack, "
                    + "attacked as well)%n", 100 * sum.accuracyBefore(), 100 * sum.accuracyAfter(),
                    sum.alreadyMisclassified());
            stdout.printf(Locale.ROOT, "success rate %.2f%% of all images (F's prediction moved away from %s); "
                    + "%d images left unchanged by the attack%n", 100 * sum.successRate(),
                    "predicted".equals(made.labels()) ? "its prediction on the clean image" : "the true label",
                    sum.unchanged());
            stdout.printf(Locale.ROOT, "mean L2 %.4f, max L∞ %.4f; mean iterations %.1f%n", sum.meanL2(),
                    sum.maxLinf(), sum.meanIterations());
            stdout.printf(Locale.ROOT, "%.1f s, %.1f images/s; saved to %s%n", sum.seconds(), sum.imagesPerSecond(),
                    made.folder());
        }
        stdout.flush();
        return 0;
    }

    private static Map<String, Object> report(AttackStage.Result made) {
        AttackSummary sum = made.summary();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("attack", made.attack());
        r.put("params", made.params());
        r.put("split", made.split());
        r.put("seed", made.seed());
        r.put("count", sum.count());
        r.put("labels", made.labels());
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
