package org.multimagnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.multimagnet.common.Json;
import org.multimagnet.experiment.AdaptiveEvaluation;
import org.multimagnet.stage.AdaptiveStage;
import org.multimagnet.stage.FieldNames;
import org.multimagnet.workspace.Consent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code adaptive}: attacks a defense with an attacker that knows it (white-box), knows its recipe only (gray-box: its
 * own S′ from another workspace) or not at all (oblivious), for a list of budgets, and scores each set against the
 * defender's S exactly over every draw. The run and its checks are {@link AdaptiveStage}'s; this command parses the
 * options and prints the heading, one row per budget, and the results as JSON. Writes into the workspace only with
 * {@code --save}; per-image records go to {@code --records}.
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

    private final AdaptiveStage stage = new AdaptiveStage(FieldNames.OPTIONS);

    @Override
    public Integer call() {
        // only a saved run writes into the workspace: reading ones may default to the demo
        Path workspace = save ? shared.writing("adaptive --save") : shared.reading();
        PrintWriter err = spec.commandLine().getErr();
        AdaptiveStage.Plan p = stage.prepare(new AdaptiveStage.Request(workspace, defense, calibration, threat,
                attackerWorkspace, method, draws, norm, eps, count, steps, lambda, lambdaSteps, seedOption.seed(),
                records, save, Consent.of(replace)), note -> err.println("note: " + note), Cli.cancellation());
        PrintWriter out = spec.commandLine().getOut();
        if (!shared.json) {
            out.printf(Locale.ROOT, "%s (%s%s) against %s (C_best %s, n from %s), %s %s, %d images, %d steps, λ %.3g%s%n",
                    p.threat(), p.method(), p.eot() ? ", " + draws + " draws" : "", p.defense().displayName(),
                    p.cBest().combination(), p.cBest().combination().ensembleSizes(), p.norm(), eps, p.images(),
                    steps, lambda, lambdaSteps > 1 ? " searched over " + lambdaSteps + " rounds" : "");
            Map<String, Object> attacker = p.attacker();
            if (!attacker.isEmpty()) {
                out.printf(Locale.ROOT, "  attacker: S′ of %d members from %s, F: %s, thresholds by the "
                                + "defender's rule (n from %s); scored against the defender's S (%d members)%n",
                        attacker.get("members"), attacker.get("workspace"), attacker.get("classifier"),
                        attacker.get("sizes"), p.defenderMembers());
            }
            out.println("  ε        robust accuracy under detection   accepted              F alone   mean L2  max L∞");
        }
        ProgressLine[] line = new ProgressLine[1];
        AdaptiveStage.Result result = stage.run(p, e -> line[0] = new ProgressLine(err,
                String.format(Locale.ROOT, "  ε %.3g", e)), budget -> {
                    line[0].finish();
                    if (!shared.json) {
                        AdaptiveEvaluation r = budget.evaluation();
                        out.printf(Locale.ROOT, "  %-7.3g  %6.2f%% [%6.2f, %6.2f]          %6.2f%% [%6.2f, %6.2f]   "
                                        + "%6.2f%%   %6.3f   %6.3f%n", budget.eps(), 100 * r.robustAccuracy()[0],
                                100 * r.robustAccuracy()[1], 100 * r.robustAccuracy()[2], 100 * r.acceptance()[0],
                                100 * r.acceptance()[1], 100 * r.acceptance()[2], 100 * r.plainAccuracy(), r.meanL2(),
                                r.maxLinf());
                        out.flush();
                    }
                }, Cli.cancellation());
        if (result.records() != null) {
            err.println("wrote " + result.written() + " records to " + result.records());
        }
        if (result.saved() != null) {
            err.println("saved " + result.saved());
        }
        if (shared.json) {
            out.println(Json.write(result.results()));
        }
        return 0;
    }
}
