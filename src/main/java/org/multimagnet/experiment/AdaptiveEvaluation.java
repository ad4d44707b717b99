package org.multimagnet.experiment;

import java.util.List;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Ensemble;
import org.multimagnet.defense.EnsembleAcceptance;
import org.multimagnet.defense.ExactAcceptance;
import org.multimagnet.defense.Observations;
import org.multimagnet.defense.Observer;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.defense.Verdict;
import org.multimagnet.defense.Vote;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a defense fares against a set of adversarial images, exactly over every draw of its ensemble (n from its
 * sizes, members uniformly) and of the reformer (uniformly from the ensemble, paper §4.2.5):
 * <ul>
 *   <li>robust accuracy under detection: an adversarial image counts as defended when the ensemble rejects it, or
 *       accepts it and F classifies its reformed image correctly;</li>
 *   <li>acceptance: the probability that it is accepted;</li>
 *   <li>evasion: accepted and still misclassified after reform (1 − robust accuracy).</li>
 * </ul>
 * Each is a mean over the images of an expectation over draws, with a 95% interval from the spread over images.
 *
 * @param images          how many adversarial images
 * @param robustAccuracy  mean and 95% interval [mean, low, high]
 * @param acceptance      likewise
 * @param plainAccuracy   F's accuracy on the adversarial images with no defense
 * @param meanL2          mean ‖x′ − x‖₂
 * @param maxLinf         max ‖x′ − x‖_∞
 */
public record AdaptiveEvaluation(int images, double[] robustAccuracy, double[] acceptance, double plainAccuracy,
                                 double meanL2, double maxLinf) {

    /**
     * @param f        the classifier F
     * @param s        the repository S
     * @param cBest    the defense's calibration
     * @param sizes    the sizes its n is drawn from
     * @param clean    {@code [N, C, H, W]} the images attacked
     * @param attacked {@code [N, C, H, W]} the adversarial images
     * @param labels   the true labels
     */
    public static AdaptiveEvaluation of(Classifier f, List<? extends Autoencoder> s, CBest cBest, List<Integer> sizes,
                                        INDArray clean, INDArray attacked, int[] labels, ProgressListener progress,
                                        Cancellation cancellation) {
        return score(f, s, cBest, sizes, clean, attacked, labels, progress, cancellation).evaluation();
    }

    /**
     * One adversarial image as the defense sees it.
     *
     * @param label               its true label
     * @param prediction          F's class of x′
     * @param memberIds           S's members, in S's order
     * @param marks               x′'s final mark under every member
     * @param thresholds          every member's calibrated τ_i
     * @param votes               each member's vote against its own τ_i (true: legitimate); under minTA an
     *                            ensemble compares with its smallest τ, which {@code acceptance} accounts for
     * @param reformedPredictions F's class of every member's reconstruction of x′
     * @param acceptance          which ensembles accept x′, per size and one by one
     * @param defended            the probability over draws that x′ is rejected, or accepted and classified right
     */
    public record ImageRecord(int label, int prediction, int[] memberIds, double[] marks, double[] thresholds,
                              boolean[] votes, int[] reformedPredictions, EnsembleAcceptance acceptance,
                              double defended) {
    }

    /** The evaluation and its images one by one. */
    public record Scored(AdaptiveEvaluation evaluation, List<ImageRecord> images) {
    }

    /** {@link #of}, with every image's record. */
    public static Scored score(Classifier f, List<? extends Autoencoder> s, CBest cBest, List<Integer> sizes,
                               INDArray clean, INDArray attacked, int[] labels, ProgressListener progress,
                               Cancellation cancellation) {
        AdaptiveAttack.Target t = AdaptiveAttack.Target.of(cBest, s);
        return score(f, s, new AdaptiveAttack.Target(t.metric(), t.temperature(), t.approach(), t.thresholds(), sizes),
                clean, attacked, labels, progress, cancellation);
    }

    /**
     * The same against any calibration of {@code s}: the defender's C_best, or the thresholds a gray-box attacker
     * derived for its own S′ (how the attacker judges its own attempts when it searches λ).
     */
    public static Scored score(Classifier f, List<? extends Autoencoder> s, AdaptiveAttack.Target target,
                               INDArray clean, INDArray attacked, int[] labels, ProgressListener progress,
                               Cancellation cancellation) {
        List<Integer> sizes = target.sizes();
        Observations o = Observer.observe(f, s, attacked, Observer.DEFAULT_BATCH, false, progress, cancellation);
        int m = o.memberCount();
        int n = labels.length;
        double[][] mark = target.metric().withTemperature(target.temperature()).marks(o);
        double[] tau = target.thresholds();
        int[] plain = Protocol.argmaxRows(o.logitsX());
        int[][] reformed = new int[m][];
        for (int i = 0; i < m; i++) {
            reformed[i] = Protocol.argmaxRows(o.logitsReconstructed().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        }
        ThresholdApproach approach = target.approach();
        double[] robust = new double[n];
        double[] accept = new double[n];
        for (int size : sizes) {
            List<Ensemble> all = ExactAcceptance.ensembles(m, size);
            double weight = 1.0 / sizes.size() / all.size();
            for (Ensemble r : all) {
                double[] own = new double[size];
                for (int j = 0; j < size; j++) {
                    own[j] = tau[r.member(j)];
                }
                double[] thresholds = approach.apply(own);
                double[] marks = new double[size];
                for (int img = 0; img < n; img++) {
                    int correctReformers = 0;
                    for (int j = 0; j < size; j++) {
                        marks[j] = mark[r.member(j)][img];
                        correctReformers += reformed[r.member(j)][img] == labels[img] ? 1 : 0;
                    }
                    boolean accepted = Vote.count(marks, thresholds).verdict() == Verdict.LEGITIMATE;
                    accept[img] += accepted ? weight : 0;
                    robust[img] += weight * (accepted ? (double) correctReformers / size : 1);
                }
            }
        }
        int ok = 0;
        for (int img = 0; img < n; img++) {
            ok += plain[img] == labels[img] ? 1 : 0;
        }
        INDArray delta = attacked.sub(clean).reshape(n, -1);
        double meanL2 = delta.norm2(1).meanNumber().doubleValue();
        double maxLinf = delta.amaxNumber().doubleValue();
        List<ImageRecord> images = new java.util.ArrayList<>();
        for (int img = 0; img < n; img++) {
            double[] marks = new double[m];
            boolean[] votes = new boolean[m];
            int[] reformedClass = new int[m];
            for (int i = 0; i < m; i++) {
                marks[i] = mark[i][img];
                votes[i] = Vote.memberVote(marks[i], tau[i]) == Verdict.LEGITIMATE;
                reformedClass[i] = reformed[i][img];
            }
            images.add(new ImageRecord(labels[img], plain[img], o.memberIds().clone(), marks, tau.clone(), votes,
                    reformedClass, EnsembleAcceptance.of(approach, marks, tau), robust[img]));
        }
        return new Scored(new AdaptiveEvaluation(n, interval(robust), interval(accept), (double) ok / n, meanL2,
                maxLinf), images);
    }

    private static double[] interval(double[] v) {
        MeanStd ms = MeanStd.of(v);
        double half = 1.96 * ms.std() / Math.sqrt(v.length);
        return new double[] {ms.mean(), Math.max(0, ms.mean() - half), Math.min(1, ms.mean() + half)};
    }
}
