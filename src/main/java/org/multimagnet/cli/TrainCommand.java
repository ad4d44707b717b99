package org.multimagnet.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.multimagnet.common.Json;
import org.multimagnet.nn.TrainingListener;
import org.multimagnet.stage.StoredModel;
import org.multimagnet.stage.TrainStage;
import org.multimagnet.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train}: trains the classifier F and/or the members of S of a workspace through {@link TrainStage} (which
 * says which spec each model trains with), printing a progress bar per model on standard error and a summary on
 * standard output. Each model is saved as soon as it is trained.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the classifier and/or the autoencoders of a workspace (created if missing).")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    SharedOptions shared;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "D",
            description = "Dataset source (sample:mnist, sample:cifar10, cifar10, fashion-mnist or a path); needed to create a workspace.")
    String dataset;

    @Option(names = "--what", defaultValue = "all", paramLabel = "classifier|autoencoders|all",
            description = "What to train (default: ${DEFAULT-VALUE}).")
    String what;

    @Option(names = "--members", split = ",", paramLabel = "IDS", description = "Members of S to train, e.g. 1,3,5 (default: all).")
    List<Integer> members = new ArrayList<>();

    @Option(names = "--epochs", defaultValue = "0", paramLabel = "N",
            description = "Epochs instead of each spec's (0 = the spec's).")
    int epochs;

    @Option(names = "--classifier-epochs", defaultValue = "0", paramLabel = "N",
            description = "Epochs for the classifier only, overriding --epochs (0 = as --epochs).")
    int classifierEpochs;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Train on at most N images of Tr (0 = all).")
    int limit;

    @Option(names = "--batch-size", defaultValue = "0", paramLabel = "N",
            description = "Images per batch instead of each spec's (0 = the spec's).")
    int batchSize;

    @Option(names = "--classifier-batch-size", defaultValue = "0", paramLabel = "N",
            description = "Batch size for the classifier only, overriding --batch-size (0 = as --batch-size).")
    int classifierBatchSize;

    @Option(names = "--learning-rate", defaultValue = "0", paramLabel = "LR",
            description = "Autoencoders' learning rate instead of each spec's (0 = the spec's).")
    double learningRate;

    @Mixin
    ClassifierRecipeOption classifierRecipe;

    @Mixin
    ReplaceOption replace;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() {
        java.nio.file.Path workspace = shared.writing("train");
        TrainStage.What w;
        try {
            w = TrainStage.What.parse(what);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--what: " + e.getMessage());
        }
        TrainStage.Overrides forClassifier;
        TrainStage.Overrides forMembers;
        try {
            forClassifier = new TrainStage.Overrides(classifierEpochs > 0 ? classifierEpochs : epochs, limit,
                    classifierBatchSize > 0 ? classifierBatchSize : batchSize, 0);
            forMembers = new TrainStage.Overrides(epochs, limit, batchSize, learningRate);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--epochs, --limit, batch sizes and --learning-rate must be >= 0");
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        TrainStage stage = new TrainStage();
        TrainStage.Plan plan;
        try {
            plan = stage.prepare(new TrainStage.Request(workspace, dataset, w, members, forClassifier, forMembers,
                    classifierRecipe.recipe, seed.seed(), replace.consent(), 0));
        } catch (TrainStage.UnknownMember e) {
            throw new org.multimagnet.common.UserException("--members: " + e.getMessage());
        }
        Workspace ws = plan.workspace();
        ProgressLine line = new ProgressLine(err, "");
        err.printf("workspace %s: %s, %d images, split: %s%n", ws.root(), ws.config().dataset(),
                ws.dataset().size(), ws.split().rule());
        List<StoredModel> done = new ArrayList<>();
        stage.run(plan, progressOf(line), Cli.cancellation(), t -> {
            line.finish();
            StoredModel saved = StoredModel.of(t.manifest());
            err.println("  saved " + t.manifest().file() + ": " + ModelsCommand.quality(saved));
            done.add(saved);
        });
        if (shared.json) {
            out.println(Json.write(ModelsCommand.summaries(done)));
        } else {
            out.printf("trained %d model(s) in %s%n", done.size(), ws.root());
            ModelsCommand.printTable(out, done);
        }
        return 0;
    }

    /** One progress line per model (member, epoch, loss, images/s, ETA), redrawn in place on standard error. */
    static TrainingListener progressOf(ProgressLine line) {
        return p -> line.progress(p.done(), p.total(), String.format(Locale.ROOT,
                "%-10s epoch %d/%d loss %.5f %5.0f img/s ETA %s", p.member() == 0 ? "classifier"
                        : String.format("ae-%02d", p.member()), p.epoch(), p.epochs(), p.loss(), p.imagesPerSecond(),
                eta(p.etaSeconds())));
    }

    private static String eta(double s) {
        long t = Math.round(s);
        return String.format("%d:%02d", t / 60, t % 60);
    }
}
