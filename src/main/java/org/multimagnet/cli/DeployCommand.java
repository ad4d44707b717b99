package org.multimagnet.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.Decision;
import org.multimagnet.defense.DeploymentSettings;
import org.multimagnet.defense.MemberVote;
import org.multimagnet.defense.ReformerSource;
import org.multimagnet.defense.Verdict;
import org.multimagnet.stage.BadRequest;
import org.multimagnet.stage.DeployStage;
import org.multimagnet.stage.WorkspaceModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deploy}: the deployment stage (paper §4.2) on image files. For each image a fresh ensemble is drawn,
 * its members vote, and an image voted legitimate is reformed and classified ({@link DeployStage}, as the workbench's
 * Deployment pane runs it). The draws follow {@link SeedOption}: without {@code --seed} their seed is drawn at random
 * and printed, so that the run can be repeated.
 *
 * <p>{@code --json} prints one JSON array, one object per image: {@code file}, {@code verdict}
 * ({@code legitimate}|{@code adversarial}), {@code members} ({@code id}, {@code mark}, {@code threshold},
 * {@code vote}), {@code prediction}, {@code reformedPrediction} (null when discarded), {@code probabilities},
 * and also {@code qLeg}, {@code qAdv}, {@code reformerId}, {@code reformedProbabilities}, {@code seed},
 * {@code conversions}.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deployment stage (paper §4.2): draw a random ensemble per image, vote, and reform and "
                + "classify the images voted legitimate.")
final class DeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Mixin
    SeedOption seed;

    @Option(names = "--ensemble-size", paramLabel = "n",
            description = "A fixed ensemble size n, odd, at most m (default: drawn per image from C_best's sizes; "
                    + "1 = MagNet, with MagNet's calibration).")
    Integer ensembleSize;

    @Option(names = "--defense", paramLabel = "D",
            description = "multimagnet (n drawn per image, its own C_best) or magnet (n = 1, its own C_best). "
                    + "Default: magnet when --ensemble-size is 1, else multimagnet.")
    String defense;

    @Option(names = "--attack", paramLabel = "A",
            description = "Use the calibration against this attack (default: the most recent calibration).")
    String attack;

    @Option(names = "--reformer-from", paramLabel = "SOURCE", defaultValue = "ENSEMBLE",
            description = "Draw the reformer from the ENSEMBLE (the paper, default) or the whole REPOSITORY "
                    + "(the authors' code).")
    ReformerSource reformerFrom;

    @Option(names = "--allow-stale",
            description = "Use the calibration even when models of the workspace changed since it was made "
                    + "(prints a warning naming them); without it such a calibration is refused.")
    boolean allowStale;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, BMP, GIF, IDX, .f32).")
    List<Path> images;

    private final DeployStage stage;

    DeployCommand() {
        this(WorkspaceModels.fromFiles());
    }

    DeployCommand(WorkspaceModels models) {
        this.stage = new DeployStage(models);
    }

    /**
     * One image's answer as printed by {@code --json}.
     *
     * @param file                  the image file
     * @param verdict               the majority vote
     * @param qLeg                  votes for legitimate
     * @param qAdv                  votes for adversarial
     * @param members               the ensemble's votes
     * @param prediction            F's class for the image as given
     * @param probabilities         F's softmax for the image as given
     * @param reformerId            the member that reformed the image, null when discarded
     * @param reformedPrediction    F's class for the reformed image, null when discarded
     * @param reformedProbabilities F's softmax for the reformed image, null when discarded
     * @param seed                  the seed of this run's draws
     * @param conversions           what was done to the file to fit F's input (empty when nothing)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ImageAnswer(String file, Verdict verdict, int qLeg, int qAdv, List<MemberAnswer> members, int prediction,
                       float[] probabilities, Integer reformerId, Integer reformedPrediction,
                       float[] reformedProbabilities, long seed, List<String> conversions) {
    }

    /**
     * One member's vote as printed by {@code --json}.
     *
     * @param id        the member's id in S
     * @param mark      its mark of the image
     * @param threshold the threshold it compared the mark with
     * @param vote      legitimate iff mark ≤ threshold
     */
    record MemberAnswer(int id, double mark, double threshold, Verdict vote) {
    }

    @Override
    public Integer call() {
        DefenseKind kind = defense != null ? SharedOptions.parseDefense(defense) : null;
        Path workspace = shared.reading();
        DeployStage.Deployer deployer;
        try {
            deployer = stage.open(new DeployStage.Request(workspace, attack, kind, ensembleSize, reformerFrom,
                    allowStale), spec.commandLine().getErr()::println);
        } catch (BadRequest e) {
            throw SharedOptions.asOptions(e);
        }
        long used = seed.seed(); // the ensemble and reformer draws
        List<ImageAnswer> answers = new ArrayList<>();
        for (DeployStage.FileDecision d : deployer.decideFiles(images, used)) {
            answers.add(answer(d.file(), d.decision(), used, d.conversions()));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (shared.json) {
            out.println(Json.write(answers));
        } else {
            printText(out, deployer.cBest(), deployer.settings(), used, answers);
        }
        out.flush();
        return 0;
    }

    private static ImageAnswer answer(Path file, Decision d, long seed, List<String> conversions) {
        List<MemberAnswer> members = new ArrayList<>();
        for (MemberVote v : d.members()) {
            members.add(new MemberAnswer(v.id(), v.mark(), v.threshold(), v.vote()));
        }
        return new ImageAnswer(file.toString(), d.verdict(), d.qLeg(), d.qAdv(), members, d.prediction(),
                d.probabilities(), d.reformerId(), d.reformedPrediction(), d.reformedProbabilities(), seed,
                conversions);
    }

    private static void printText(PrintWriter out, CBest cBest, DeploymentSettings s, long seed,
                                  List<ImageAnswer> answers) {
        out.printf("calibration: %s, %s's C_best (ACC %.4f on V), metric %s%s, %s, n %s, reformer from the %s%n",
                cBest.attack(), cBest.defense().displayName(), cBest.acc(), s.metric(),
                s.temperature() == null ? "" : " T=" + s.temperature(), s.approach().paperName(),
                s.ensembleSizes().size() == 1 ? "= " + s.ensembleSizes().get(0)
                        : "drawn from " + s.ensembleSizes(), s.reformerSource().name().toLowerCase());
        out.printf("seed: %d%n", seed);
        int accepted = 0;
        for (ImageAnswer a : answers) {
            out.printf("%s: %s (q_leg %d, q_adv %d); F says %d (p %.3f)", a.file(), a.verdict().jsonName(),
                    a.qLeg(), a.qAdv(), a.prediction(), a.probabilities()[a.prediction()]);
            if (a.reformedPrediction() != null) {
                accepted++;
                out.printf("; reformed by ae-%02d, F says %d (p %.3f)%n", a.reformerId(), a.reformedPrediction(),
                        a.reformedProbabilities()[a.reformedPrediction()]);
            } else {
                out.println("; discarded");
            }
            for (String c : a.conversions()) {
                out.printf("    (converted: %s)%n", c);
            }
            for (MemberAnswer v : a.members()) {
                out.printf("    ae-%02d  mark %.6g %s threshold %.6g  -> %s%n", v.id(), v.mark(),
                        v.vote() == Verdict.LEGITIMATE ? "<=" : "> ", v.threshold(), v.vote().jsonName());
            }
        }
        out.printf("%d of %d image%s accepted%n", accepted, answers.size(), answers.size() == 1 ? "" : "s");
    }
}
