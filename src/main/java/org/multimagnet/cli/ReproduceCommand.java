package org.multimagnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.multimagnet.experiment.Reproduction;
import org.multimagnet.stage.ReproduceStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reproduce}: the paper's whole pipeline in one command — split, train (or reuse), attack with all four
 * attacks, calibrate per attack, evaluate MagNet and MultiMagNet, and write the report into {@code W/report/}.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline (train, attack, calibrate, evaluate) and write W/report/report.md.")
final class ReproduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = ReproduceStage.DEFAULT_DATASET, paramLabel = "D",
            description = "Dataset of a new workspace: a path or sample:mnist, sample:cifar10, cifar10, fashion-mnist (default ${DEFAULT-VALUE}).")
    String dataset;

    @Mixin
    SharedOptions shared;

    @Option(names = "--quick", description = "Minutes on two cores: few epochs, 200-image attack sets, chunks of 50.")
    boolean quick;

    @Mixin
    SeedOption seed;

    @Option(names = "--attacks", split = ",", paramLabel = "A,...", description = "Attacks to run (default: fgsm,bim,deepfool,cw).")
    List<String> attacks;

    @Mixin
    ClassifierRecipeOption classifierRecipe;

    @Mixin
    ReplaceOption replace;

    @Option(names = "--adaptive-only",
            description = "Rewrite only the report's section on adaptive attacks from the saved 'adaptive --save' "
                    + "results (W/evaluations/adaptive-*.json); the protocol is not run again and the rest of the "
                    + "report stays as it is. Needs --replace; the old report is kept ('workspace history').")
    boolean adaptiveOnly;

    @Override
    public Integer call() {
        Path workspace = shared.writing("reproduce"); // created if missing
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        if (adaptiveOnly) {
            List<Path> files = Reproduction.rewriteAdaptive(workspace, replace.consent());
            PrintWriter out = spec.commandLine().getOut();
            if (shared.json) {
                out.println(org.multimagnet.common.Json.write(java.util.Map.of("files",
                        files.stream().map(Path::toString).toList())));
            } else {
                out.printf("adaptive section rewritten in %.1f s:%n", (System.nanoTime() - start) / 1e9);
                files.forEach(f -> out.println("  " + f));
            }
            return 0;
        }
        long s = seed.seed(); // every stage
        Reproduction.Listener listener = new Reproduction.Listener() {
            private ProgressLine line = new ProgressLine(err, "");

            @Override
            public void stage(String name) {
                err.printf("%n[%5.0f s] %s%n", (System.nanoTime() - start) / 1e9, name);
                line = new ProgressLine(err, "  ");
            }

            @Override
            public void progress(long done, long total, String message) {
                line.progress(done, total, message);
            }
        };
        ReproduceStage.Result r = new ReproduceStage().run(new ReproduceStage.Request(workspace, dataset, quick, s,
                attacks, replace.consent(), classifierRecipe.recipe), listener, Cli.cancellation());
        List<Path> files = r.files();
        PrintWriter out = spec.commandLine().getOut();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (shared.json) {
            java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("seed", s);
            json.put("seconds", seconds);
            json.put("files", files.stream().map(Path::toString).toList());
            out.println(org.multimagnet.common.Json.write(json));
        } else {
            out.printf("report written in %.0f s (seed %d):%n", seconds, s);
            files.forEach(f -> out.println("  " + f));
        }
        return 0;
    }
}
