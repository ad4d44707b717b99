package org.multimagnet.experiment;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Ensemble;
import org.multimagnet.defense.ExactAcceptance;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.defense.Verdict;
import org.multimagnet.defense.Vote;
import org.multimagnet.defense.Observations;

/**
 * The defense's detection scores on D computed over every possible draw instead of sampled by the 40 chunks:
 * each image's probability of being accepted by a random ensemble ({@link ExactAcceptance}, n drawn uniformly from
 * the sizes), and each possible ensemble's ACC on all of D.
 *
 * <p>ACC (paper Eq. 9) of a decision is 1 for an accepted legitimate or a rejected adversarial image, so the expected
 * ACC over draws is the mean over D of P(correct). The spread of the protocol's chunk ACC has two sources, which
 * this separates: the draw ({@link #drawStd}: the spread of ACC(R) over the ensembles R, weighted by how likely each
 * is drawn) and the data ({@link #dataStd}: the spread over the protocol's chunks of their expected ACC, the draw
 * averaged out).
 *
 * @param attack          the attack of D_atk
 * @param defense         the defense's id
 * @param ensembleSizes   the sizes n is drawn from
 * @param ensembles       how many ensembles are possible (over all sizes)
 * @param expectedAcc     E[ACC] over draws, on all of D
 * @param detectionRate   E[fraction of D_atk rejected]
 * @param acceptanceRate  E[fraction of D_leg accepted]
 * @param worstAcc        the lowest ACC of any one ensemble on D
 * @param worstEnsemble   its members (ids in S)
 * @param bestAcc         the highest
 * @param bestEnsemble    its members
 * @param drawStd         σ of ACC(R) over R, on all of D
 * @param dataStd         σ over the protocol's chunks of each chunk's expected ACC
 * @param chunks          the protocol's chunks that {@code dataStd} is taken over
 * @param detector        ROC, AUC and rates at the calibrated thresholds of each member and of the ensemble
 */
public record ExactEvaluation(String attack, String defense, List<Integer> ensembleSizes, int ensembles,
                              double expectedAcc, double detectionRate, double acceptanceRate, double worstAcc,
                              int[] worstEnsemble, double bestAcc, int[] bestEnsemble, double drawStd, double dataStd,
                              int chunks, DetectorMetrics detector) {

    /**
     * Computes the exact scores.
     *
     * @param data     D observed through every member of S
     * @param cBest    the calibration (metric, temperature, thresholds, approach)
     * @param defense  the defense's id, for the record
     * @param settings the protocol's settings: ensemble sizes, and the seed, chunks and chunk size of its shuffle
     */
    public static ExactEvaluation of(ProtocolData data, CBest cBest, String defense, ProtocolSettings settings) {
        Observations o = data.observations();
        int m = o.memberCount();
        Double t = cBest.combination().temperature();
        double[][] mark = cBest.combination().metric().withTemperature(t == null ? 1.0 : t).marks(o);
        double[] threshold = new double[m];
        for (int i = 0; i < m; i++) {
            threshold[i] = cBest.thresholdOf(o.memberIds()[i]);
        }
        ThresholdApproach approach = cBest.combination().approach();
        List<Integer> sizes = settings.ensembleSizes();
        int size = data.size();
        double[] correct = new double[size];
        double[] rejection = new double[size];
        double rejectedAdv = 0;
        double acceptedLeg = 0;
        double[] imageMarks = new double[m];
        for (int img = 0; img < size; img++) {
            for (int i = 0; i < m; i++) {
                imageMarks[i] = mark[i][img];
            }
            double accept = ExactAcceptance.probability(approach, imageMarks, threshold, sizes);
            rejection[img] = 1 - accept;
            if (data.adversarial(img)) {
                correct[img] = 1 - accept;
                rejectedAdv += 1 - accept;
            } else {
                correct[img] = accept;
                acceptedLeg += accept;
            }
        }
        double expected = Arrays.stream(correct).sum() / size;

        // every ensemble's ACC on D, weighted by its probability of being drawn
        double worst = Double.POSITIVE_INFINITY;
        double best = Double.NEGATIVE_INFINITY;
        int[] worstR = null;
        int[] bestR = null;
        double sumSq = 0;
        int count = 0;
        for (int n : sizes) {
            List<Ensemble> all = ExactAcceptance.ensembles(m, n);
            double weight = 1.0 / sizes.size() / all.size();
            for (Ensemble r : all) {
                double acc = accuracy(r, mark, threshold, approach, data);
                sumSq += weight * (acc - expected) * (acc - expected);
                if (acc < worst) {
                    worst = acc;
                    worstR = ids(r, o);
                }
                if (acc > best) {
                    best = acc;
                    bestR = ids(r, o);
                }
                count++;
            }
        }

        // the protocol's chunks (its shuffle of D, same seed), each scored by its expected ACC
        int[] order = Protocol.shuffledIndices(size, new SplittableRandom(settings.seed()).split());
        int chunks = Math.min(settings.chunks(), size / settings.chunkSize());
        double[] chunkAcc = new double[chunks];
        for (int c = 0; c < chunks; c++) {
            double s = 0;
            for (int k = 0; k < settings.chunkSize(); k++) {
                s += correct[order[c * settings.chunkSize() + k]];
            }
            chunkAcc[c] = s / settings.chunkSize();
        }
        int advCount = size - data.dLegCount();
        return new ExactEvaluation(cBest.attack(), defense, List.copyOf(sizes), count, expected,
                advCount == 0 ? Double.NaN : rejectedAdv / advCount,
                data.dLegCount() == 0 ? Double.NaN : acceptedLeg / data.dLegCount(), worst, worstR, best, bestR,
                Math.sqrt(sumSq), MeanStd.of(chunkAcc).std(), chunks,
                DetectorMetrics.of(o.memberIds(), mark, threshold, rejection, data.dLegCount()));
    }

    /** ACC of one fixed ensemble on all of D. */
    static double accuracy(Ensemble r, double[][] mark, double[] threshold, ThresholdApproach approach,
                           ProtocolData data) {
        int n = r.size();
        double[] own = new double[n];
        for (int j = 0; j < n; j++) {
            own[j] = threshold[r.member(j)];
        }
        double[] tau = approach.apply(own);
        double[] marks = new double[n];
        int ok = 0;
        for (int img = 0; img < data.size(); img++) {
            for (int j = 0; j < n; j++) {
                marks[j] = mark[r.member(j)][img];
            }
            boolean accepted = Vote.count(marks, tau).verdict() == Verdict.LEGITIMATE;
            ok += accepted != data.adversarial(img) ? 1 : 0;
        }
        return (double) ok / data.size();
    }

    private static int[] ids(Ensemble r, Observations o) {
        int[] out = new int[r.size()];
        for (int j = 0; j < r.size(); j++) {
            out[j] = o.memberIds()[r.member(j)];
        }
        return out;
    }

    /**
     * Whether the Monte-Carlo estimate agrees: {@code expectedAcc} inside mean ± 1.96·σ/√chunks of the protocol's
     * chunk ACC.
     */
    public boolean within95(MeanStd monteCarlo, int monteCarloChunks) {
        double half = 1.96 * monteCarlo.std() / Math.sqrt(monteCarloChunks);
        return Math.abs(expectedAcc - monteCarlo.mean()) <= half + 1e-12;
    }
}
