package org.multimagnet.defense;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The calibration stage of paper §4.1 (Fig. 3): compute thresholds, mount ensembles, evaluate performance,
 * select the best.
 *
 * <p>Cost: the forward passes are made once ({@link #observe}): F on V, every member on V, F on every
 * reconstruction. Then, per (metric, k), the marks of all members are computed once from that cache, the
 * thresholds once per t_fp (one sort per member), and every (t_fp, approach, n) is only a vote count over the
 * cached marks. The grid therefore costs little more than the forward passes; {@link CalibrationTiming} reports
 * both.
 *
 * <p>All of V_leg is used for the thresholds (§4.1.1), as in the paper and the authors' code. V_atk is made from
 * V_leg's images; the legitimate half of V in the accuracy (§4.1.3) is the images V_atk was made from, which is all
 * of V_leg when, as in the paper, all of it was attacked ({@link CalibrationData#inAccuracy()}).
 */
public final class Calibration {
    private Calibration() {
    }

    /**
     * The forward passes of the calibration stage.
     *
     * @param f            the application classifier F
     * @param s            the repository S (m members)
     * @param vLeg         {@code [N_leg, C, H, W]} legitimate validation images
     * @param vAtk         {@code [N_atk, C, H, W]} adversarial validation images
     * @param progress     told after every batch
     * @param cancellation checked between batches
     * @return the cache the grid is evaluated from
     */
    public static CalibrationData observe(Classifier f, List<? extends Autoencoder> s, INDArray vLeg, INDArray vAtk,
                                          ProgressListener progress, Cancellation cancellation) {
        return observe(f, s, vLeg, vAtk, null, progress, cancellation);
    }

    /**
     * {@link #observe(Classifier, List, INDArray, INDArray, ProgressListener, Cancellation)} for a V_atk made from
     * part of V_leg.
     *
     * @param pairedLegitimate the positions in {@code vLeg} of the images V_atk was made from, or null for all
     */
    public static CalibrationData observe(Classifier f, List<? extends Autoencoder> s, INDArray vLeg, INDArray vAtk,
                                          int[] pairedLegitimate, ProgressListener progress,
                                          Cancellation cancellation) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the repository S is empty");
        }
        if (vLeg.rank() != 4 || vAtk.rank() != 4) {
            throw new IllegalArgumentException("V_leg and V_atk must be [N, C, H, W] batches");
        }
        long start = System.nanoTime();
        INDArray v = Nd4j.concat(0, vLeg, vAtk);
        Observations o = Observer.observe(f, s, v, Observer.DEFAULT_BATCH, false, progress, cancellation);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new CalibrationData(o, (int) vLeg.size(0), (int) vAtk.size(0), seconds, pairedLegitimate);
    }

    /**
     * Evaluates every combination of the grid from the cache and selects, per defense, the one of highest accuracy
     * (§4.1.4): MultiMagNet's among the combinations whose n is drawn from the grid's sizes, MagNet's among the
     * n = 1 ones. Ties go to the combination first in {@link CalibrationGrid#combinations()} order; the others of
     * equal accuracy are recorded in {@link CBest#ties()}.
     *
     * @param data         the forward passes over V
     * @param grid         the file C
     * @param attack       the attack V_atk was made with (recorded in C_best)
     * @param progress     told after each (metric, k)
     * @param cancellation checked after each (metric, k)
     * @return C_best of each defense, every row, and the timing
     * @throws IllegalArgumentException when an ensemble size exceeds m
     */
    public static CalibrationResult evaluate(CalibrationData data, CalibrationGrid grid, String attack,
                                             ProgressListener progress, Cancellation cancellation) {
        int m = data.m();
        for (int n : grid.ensembleSizes()) {
            Ensemble.checkSize(n, m);
        }
        long start = System.nanoTime();
        Map<List<Integer>, List<Ensemble>> ensembles = drawEnsembles(grid, m);
        List<Combination> combinations = grid.combinations();
        Map<Combination, GridRow> rows = new HashMap<>();
        double[] tFps = grid.falsePositiveRates().stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, double[]> thresholdsByMetric = new LinkedHashMap<>();
        long evaluations = 0;
        int vLeg = data.vLegCount();
        boolean[] counted = data.inAccuracy();
        List<MetricAndK> metricsAndKs = metricsAndKs(combinations);
        int done = 0;
        for (MetricAndK mk : metricsAndKs) {
            cancellation.throwIfCancelled();
            double[][] marks = data.marks(mk.metric(), mk.k());
            double[][] thresholds = Thresholds.thresholds(marks, vLeg, tFps);
            for (int f = 0; f < tFps.length; f++) {
                thresholdsByMetric.put(key(mk.metric(), mk.k(), tFps[f]), thresholds[f]);
            }
            for (Combination c : combinations) {
                if (c.metric() != mk.metric() || !java.util.Objects.equals(c.temperature(), mk.k())) {
                    continue;
                }
                double[] tau = thresholdsByMetric.get(key(c.metric(), c.temperature(), c.falsePositiveRate()));
                List<Ensemble> drawn = ensembles.get(c.ensembleSizes());
                rows.put(c, evaluateCombination(c, drawn, marks, tau, vLeg, counted));
                evaluations += drawn.size();
            }
            progress.progress(++done, metricsAndKs.size(), mk.metric() + (mk.k() == null ? "" : " T=" + mk.k()));
        }
        List<GridRow> ordered = combinations.stream().map(rows::get).toList();
        double gridSeconds = (System.nanoTime() - start) / 1e9;
        long vCount = (long) data.vLegCount() + data.vAtkCount();
        CalibrationTiming timing = new CalibrationTiming(data.forwardPassSeconds(), gridSeconds, vCount * (m + 1),
                vCount * m, combinations.size(), evaluations);
        String createdAt = Instant.now().toString();
        List<CBest> best = new ArrayList<>();
        for (List<Integer> sizes : grid.defenses()) {
            List<GridRow> own = ordered.stream().filter(r -> r.combination().ensembleSizes().equals(sizes)).toList();
            GridRow top = own.get(0);
            for (GridRow r : own) {
                if (r.acc() > top.acc()) {
                    top = r;
                }
            }
            GridRow chosen = top;
            List<Combination> ties = own.stream().filter(r -> r != chosen && sameAccuracy(r, chosen))
                    .map(GridRow::combination).toList();
            Combination cb = chosen.combination();
            double[] tauBest = thresholdsByMetric.get(key(cb.metric(), cb.temperature(), cb.falsePositiveRate()));
            int[] ids = data.observations().memberIds();
            List<MemberThreshold> tb = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                tb.add(new MemberThreshold(ids[i], tauBest[i]));
            }
            best.add(new CBest(attack, cb, chosen.acc(), chosen.ppv(), chosen.npv(), chosen.confusion(), tb,
                    data.vLegCount(), data.vAtkCount(), grid.seed(), grid.ensemblesPerCombination(), createdAt,
                    timing, Map.of(), ties));
        }
        return new CalibrationResult(best, ordered, timing);
    }

    /** Equal accuracy on V: the same count of correct decisions over the same pooled total. */
    private static boolean sameAccuracy(GridRow a, GridRow b) {
        ConfusionMatrix x = a.confusion();
        ConfusionMatrix y = b.confusion();
        return x.tn() + x.tp() == y.tn() + y.tp() && x.tn() + x.fn() + x.fp() + x.tp() == y.tn() + y.fn() + y.fp() + y.tp();
    }

    /** {@link #observe} then {@link #evaluate}. */
    public static CalibrationResult run(Classifier f, List<? extends Autoencoder> s, INDArray vLeg, INDArray vAtk,
                                        CalibrationGrid grid, String attack, ProgressListener progress,
                                        Cancellation cancellation) {
        for (int n : grid.ensembleSizes()) {
            Ensemble.checkSize(n, s.size()); // before the forward passes, not after them
        }
        CalibrationData data = observe(f, s, vLeg, vAtk, progress, cancellation);
        return evaluate(data, grid, attack, progress, cancellation);
    }

    /**
     * Votes every drawn ensemble over V (§4.1.3) and pools their confusion matrices (Eq. 8).
     *
     * @param marks {@code [m][|V|]} marks of every member of S
     * @param tau   τ_i of every member of S for the combination's (me, k, t_fp)
     */
    static GridRow evaluateCombination(Combination c, List<Ensemble> drawn, double[][] marks, double[] tau,
                                       int vLeg) {
        boolean[] all = new boolean[marks[0].length];
        java.util.Arrays.fill(all, true);
        return evaluateCombination(c, drawn, marks, tau, vLeg, all);
    }

    /** As above, counting only the images of V with {@code counted[j]} ({@link CalibrationData#inAccuracy()}). */
    static GridRow evaluateCombination(Combination c, List<Ensemble> drawn, double[][] marks, double[] tau,
                                       int vLeg, boolean[] counted) {
        ConfusionMatrix pooled = new ConfusionMatrix(0, 0, 0, 0);
        double[] accs = new double[drawn.size()];
        int count = marks[0].length;
        for (int e = 0; e < drawn.size(); e++) {
            Ensemble r = drawn.get(e);
            int n = r.size();
            double[] own = new double[n];
            for (int i = 0; i < n; i++) {
                own[i] = tau[r.member(i)];
            }
            double[] used = c.approach().apply(own);
            // Member-major: one pass over each member's row of marks (contiguous), counting legitimate votes.
            int[] qLeg = new int[count];
            for (int i = 0; i < n; i++) {
                double[] row = marks[r.member(i)];
                double t = used[i];
                for (int j = 0; j < count; j++) {
                    if (row[j] <= t) {
                        qLeg[j]++;
                    }
                }
            }
            long tn = 0, fn = 0, fp = 0, tp = 0;
            for (int j = 0; j < count; j++) {
                if (!counted[j]) {
                    continue;
                }
                boolean votedLegitimate = qLeg[j] > n - qLeg[j];
                if (j < vLeg) {
                    if (votedLegitimate) {
                        tp++;
                    } else {
                        fp++;
                    }
                } else if (votedLegitimate) {
                    fn++;
                } else {
                    tn++;
                }
            }
            ConfusionMatrix cm = new ConfusionMatrix(tn, fn, fp, tp);
            accs[e] = cm.accuracy();
            pooled = pooled.plus(cm);
        }
        return new GridRow(c, pooled.accuracy(), pooled.ppv(), pooled.npv(), std(accs), drawn.size(), pooled);
    }

    /**
     * The same draws for every combination of a defense (common random numbers), from the grid's seed: each
     * ensemble drawn as deployment draws it, n first (uniformly from the defense's sizes), then its members.
     */
    static Map<List<Integer>, List<Ensemble>> drawEnsembles(CalibrationGrid grid, int m) {
        Map<List<Integer>, List<Ensemble>> out = new HashMap<>();
        for (List<Integer> sizes : grid.defenses()) {
            // One stream per defense, so changing MultiMagNet's sizes does not change MagNet's draws.
            SplittableRandom rng = new SplittableRandom(grid.seed() * 1_000_003L + sizes.hashCode());
            List<Ensemble> list = new ArrayList<>();
            for (int e = 0; e < grid.ensemblesPerCombination(); e++) {
                list.add(Ensemble.draw(m, sizes, rng));
            }
            out.put(sizes, list);
        }
        return out;
    }

    private static List<MetricAndK> metricsAndKs(List<Combination> combinations) {
        List<MetricAndK> out = new ArrayList<>();
        for (Combination c : combinations) {
            MetricAndK mk = new MetricAndK(c.metric(), c.temperature());
            if (!out.contains(mk)) {
                out.add(mk);
            }
        }
        return out;
    }

    private static String key(MetricName metric, Double k, double tFp) {
        return metric + "|" + k + "|" + tFp;
    }

    private static double std(double[] values) {
        if (values.length < 2) {
            return 0.0;
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    private record MetricAndK(MetricName metric, Double k) {
    }
}
