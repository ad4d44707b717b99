package org.multimagnet.experiment;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.defense.CBest;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One budget of an adaptive attack on a set of images, as the command line and the workbench run it: the attack in
 * batches, a search over λ per image, and the result scored against the defender's S exactly over every draw.
 *
 * <p><b>The λ search</b> (Carlini and Wagner search their constant c per image by binary search; here λ weighs the
 * detector term's unit gradient against F's margins', {@link AdaptiveAttack}). Round 1 attacks every image with
 * λ0 = the settings' λ. The attacker then judges each result as it knows the defense (white-box: S and C_best;
 * gray-box: its own S′ and thresholds), exactly over every draw: P(defended) = P(rejected) + P(accepted and F
 * right after reform). An image with P(defended) = 0 is done. Otherwise, when rejection weighs more than a right
 * classification, the detector term was too weak and λ goes up, else down: ×10 or ÷10 until a λ on each side has
 * been tried, then the geometric mean of the two (λ spans orders of magnitude). Every round restarts from the clean
 * image, and each image keeps its best attempt: the smallest P(defended), ties to the smaller L2 distortion, all
 * within ε. Round 1 is the single-λ attack, so a search never ends worse than it, as the attacker judges.
 */
public final class AdaptiveRun {
    /** Images per PGD batch (every member's backward pass keeps its activations). */
    public static final int BATCH = 32;

    /** Two probabilities closer than this are a tie. */
    private static final double TIE = 1e-12;

    private AdaptiveRun() {
    }

    /**
     * What the attacker differentiates through and judges its attempts with.
     *
     * @param f      its classifier (the defender's F, or under gray-box its own when it has one)
     * @param s      the members it attacks (S, or its own S′)
     * @param target their thresholds and the vote rule
     */
    public record Attacker(Classifier f, List<? extends Autoencoder> s, AdaptiveAttack.Target target) {
        public Attacker {
            s = List.copyOf(s);
        }

        /** The white-box (and oblivious) attacker: the defender's own F, S and C_best. */
        public static Attacker whiteBox(Classifier f, List<? extends Autoencoder> s, CBest cBest) {
            return new Attacker(f, s, AdaptiveAttack.Target.of(cBest, s));
        }
    }

    /**
     * The result of one budget.
     *
     * @param adversarial {@code [N, C, H, W]} the best attempt of every image
     * @param lambdas     the λ of each image's best attempt
     * @param rounds      rounds of the λ search run (1: the single λ)
     * @param scored      the best attempts scored against the defender's S, image by image
     */
    public record Result(INDArray adversarial, double[] lambdas, int rounds, AdaptiveEvaluation.Scored scored) {
    }

    /**
     * Attacks {@code clean} under one budget and scores the result against the defender.
     *
     * @param attacker    what the attacker knows
     * @param f           the defender's F
     * @param s           the defender's S
     * @param cBest       the defender's calibration (its sizes are the draws scored over)
     * @param settings    the attack's settings (its λ is λ0)
     * @param lambdaSteps rounds of the λ search, at least 1 (1: λ0 alone)
     * @param clean       {@code [N, C, H, W]} the images attacked
     * @param labels      their true labels
     * @param awayFrom    the class each image is moved away from (F's prediction on it)
     * @param draws       EOT's draws, drawn on from batch to batch
     * @param progress    images attacked of N × rounds, step by step (the last rounds attack fewer images and end
     *                    the count)
     */
    public static Result run(Attacker attacker, Classifier f, List<? extends Autoencoder> s, CBest cBest,
                             AdaptiveAttack.Settings settings, int lambdaSteps, INDArray clean, int[] labels,
                             int[] awayFrom, SplittableRandom draws, ProgressListener progress,
                             Cancellation cancellation) {
        if (lambdaSteps < 1) {
            throw new IllegalArgumentException("λ search: at least one round expected, got " + lambdaSteps);
        }
        int n = labels.length;
        AdaptiveAttack attack = new AdaptiveAttack(attacker.f(), attacker.s(), attacker.target(), settings);
        double[] lambda = new double[n];
        Arrays.fill(lambda, settings.lambda());
        // the bracket: the largest λ at which the detectors still rejected (λ must rise above it; 0: none yet), and
        // the smallest at which F still classified right (λ must fall below it; ∞: none yet)
        double[] below = new double[n];
        double[] above = new double[n];
        Arrays.fill(above, Double.POSITIVE_INFINITY);
        INDArray best = clean.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup();
        double[] bestLambda = lambda.clone();
        double[] bestDefended = new double[n];
        Arrays.fill(bestDefended, Double.POSITIVE_INFINITY);
        double[] bestL2 = new double[n];
        int[] active = java.util.stream.IntStream.range(0, n).toArray();
        long total = (long) n * lambdaSteps;
        long done = 0;
        int rounds = 0;
        while (rounds < lambdaSteps && active.length > 0) {
            rounds++;
            INDArray x0 = rows(clean, active);
            INDArray adv = Nd4j.createUninitialized(x0.dataType(), x0.shape());
            for (int from = 0; from < active.length; from += BATCH) {
                int to = Math.min(active.length, from + BATCH);
                var batch = NDArrayIndex.interval(from, to);
                double[] l = new double[to - from];
                int[] away = new int[to - from];
                for (int q = from; q < to; q++) {
                    l[q - from] = lambda[active[q]];
                    away[q - from] = awayFrom[active[q]];
                }
                long before = done;
                int images = to - from;
                int round = rounds;
                int of = active.length;
                int first = from + 1;
                // step by step, so that a single image shows progress too
                adv.get(batch).assign(attack.run(x0.get(batch), away, l, draws, (t, steps, m) -> progress.progress(
                        before * steps + images * t, total * steps, "round " + round + ": images " + first
                                + "–" + to + " of " + of + ", " + m), cancellation));
                done += images;
                progress.progress(done, total, "round " + rounds + ": " + to + "/" + active.length + " images");
            }
            if (lambdaSteps == 1) {
                best = adv; // the single λ: nothing to judge or compare with
                break;
            }
            int[] activeLabels = new int[active.length];
            for (int q = 0; q < active.length; q++) {
                activeLabels[q] = labels[active[q]];
            }
            AdaptiveEvaluation.Scored judged = AdaptiveEvaluation.score(attacker.f(), attacker.s(),
                    attacker.target(), x0, adv, activeLabels, ProgressListener.NONE, cancellation);
            double[] l2 = adv.sub(x0).reshape(active.length, -1).norm2(1).toDoubleVector();
            List<Integer> next = new java.util.ArrayList<>();
            for (int q = 0; q < active.length; q++) {
                int j = active[q];
                AdaptiveEvaluation.ImageRecord r = judged.images().get(q);
                double defended = r.defended();
                if (defended < bestDefended[j] - TIE || (defended <= bestDefended[j] + TIE && l2[q] < bestL2[j])) {
                    bestDefended[j] = defended;
                    bestL2[j] = l2[q];
                    bestLambda[j] = lambda[j];
                    best.get(NDArrayIndex.point(j)).assign(adv.get(NDArrayIndex.point(q)));
                }
                if (defended <= TIE) {
                    continue; // evades every draw: no λ can do better within ε
                }
                double rejected = 1 - attacker.target().sizes().stream()
                        .mapToDouble(r.acceptance()::probability).average().orElse(0);
                if (rejected >= defended - rejected) {
                    below[j] = Math.max(below[j], lambda[j]);
                    lambda[j] = Double.isInfinite(above[j]) ? lambda[j] * 10 : Math.sqrt(below[j] * above[j]);
                } else {
                    above[j] = Math.min(above[j], lambda[j]);
                    lambda[j] = below[j] == 0 ? lambda[j] / 10 : Math.sqrt(below[j] * above[j]);
                }
                next.add(j);
            }
            active = next.stream().mapToInt(Integer::intValue).toArray();
        }
        progress.progress(total, total, rounds + " round" + (rounds == 1 ? "" : "s") + " of λ");
        AdaptiveEvaluation.Scored scored = AdaptiveEvaluation.score(f, s, cBest, cBest.combination().ensembleSizes(),
                clean, best, labels, ProgressListener.NONE, cancellation);
        return new Result(best, lambdaSteps == 1 ? lambda : bestLambda, rounds, scored);
    }

    /** The rows {@code idx} of a batch of images, as a new array. */
    private static INDArray rows(INDArray x, int[] idx) {
        if (idx.length == x.size(0)) {
            return x;
        }
        INDArray out = Nd4j.createUninitialized(x.dataType(), idx.length, x.size(1), x.size(2), x.size(3));
        for (int q = 0; q < idx.length; q++) {
            out.get(NDArrayIndex.point(q)).assign(x.get(NDArrayIndex.point(idx[q])));
        }
        return out;
    }
}
