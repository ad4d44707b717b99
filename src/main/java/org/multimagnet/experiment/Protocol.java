package org.multimagnet.experiment;

import org.multimagnet.defense.DefenseKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.multimagnet.common.Cancellation;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.ConfusionMatrix;
import org.multimagnet.defense.Ensemble;
import org.multimagnet.defense.Observations;
import org.multimagnet.defense.Verdict;
import org.multimagnet.defense.Vote;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * The 40-experiment protocol of paper §5.4 (docs/method.md): D is shuffled with a seed and cut into chunks; every
 * chunk gets a fresh random ensemble R (n drawn from the defense's sizes), its images are voted on with C_best's
 * metric, temperature, thresholds and threshold approach, images voted legitimate are reformed by a member drawn
 * at random (paper §4.2.5) and classified by F. μ and σ of ACC, PPV, NPV (Eq. 9) and of F's accuracy in the
 * Table 5 scenarios are taken over the chunks.
 *
 * <p>The same seed gives both defenses the same shuffle of D, so their chunks hold the same images.
 */
public final class Protocol {
    private Protocol() {
    }

    /**
     * Runs the protocol.
     *
     * @param data         D observed through F and all of S
     * @param cBest        the calibration to deploy (metric, k, thresholds of every member, approach)
     * @param defense      MagNet or MultiMagNet
     * @param settings     chunks, chunk size, seed, ensemble sizes, reformer source
     * @param dataset      the dataset's name, for the record
     * @param marks        receives every (image, member) decision, or null
     * @param cancellation checked between chunks
     * @return the evaluation
     * @throws IllegalArgumentException when D holds fewer than chunks × chunkSize images or n exceeds |S|
     */
    public static Evaluation run(ProtocolData data, CBest cBest, DefenseKind defense, ProtocolSettings settings,
                                 String dataset, Consumer<MarkRow> marks, Cancellation cancellation) {
        Observations o = data.observations();
        int m = o.memberCount();
        int needed = settings.chunks() * settings.chunkSize();
        if (needed > data.size()) {
            throw new IllegalArgumentException(settings.chunks() + " chunks of " + settings.chunkSize() + " need "
                    + needed + " images, D holds " + data.size() + " (|D_leg| = " + data.dLegCount() + ")");
        }
        for (int n : settings.ensembleSizes()) {
            Ensemble.checkSize(n, m);
        }
        double[][] mark = cBest.combination().metric()
                .withTemperature(temperatureOf(cBest)).marks(o);
        double[] threshold = new double[m];
        for (int i = 0; i < m; i++) {
            threshold[i] = cBest.thresholdOf(o.memberIds()[i]);
        }
        int[] predX = argmaxRows(o.logitsX());
        int[][] predReformed = new int[m][];
        for (int i = 0; i < m; i++) {
            predReformed[i] = argmaxRows(o.logitsReconstructed().get(point(i), all(), all()));
        }

        SplittableRandom rng = new SplittableRandom(settings.seed());
        int[] order = shuffledIndices(data.size(), rng.split());
        SplittableRandom draws = rng.split();
        List<ChunkResult> chunks = new ArrayList<>();
        for (int c = 0; c < settings.chunks(); c++) {
            cancellation.throwIfCancelled();
            Ensemble r = Ensemble.draw(m, settings.ensembleSizes(), draws);
            int n = r.size();
            double[] ensembleThresholds = new double[n];
            for (int j = 0; j < n; j++) {
                ensembleThresholds[j] = threshold[r.member(j)];
            }
            double[] tau = cBest.combination().approach().apply(ensembleThresholds);
            long tn = 0, fn = 0, fp = 0, tp = 0;
            int okPlain = 0, okDetector = 0, okReformer = 0, acceptedCount = 0, okAccepted = 0, okReformedAccepted = 0;
            for (int k = 0; k < settings.chunkSize(); k++) {
                int img = order[c * settings.chunkSize() + k];
                boolean adv = data.adversarial(img);
                int label = data.labels()[img];
                double[] memberMarks = new double[n];
                for (int j = 0; j < n; j++) {
                    memberMarks[j] = mark[r.member(j)][img];
                }
                Verdict verdict = Vote.count(memberMarks, tau).verdict();
                boolean accepted = verdict == Verdict.LEGITIMATE;
                int reformerPos = accepted ? settings.reformerSource().draw(r, draws) : -1;
                int reformed = accepted ? predReformed[reformerPos][img] : -1;
                if (adv) {
                    if (accepted) {
                        fn++;
                    } else {
                        tn++;
                    }
                } else if (accepted) {
                    tp++;
                } else {
                    fp++;
                }
                okPlain += predX[img] == label ? 1 : 0;
                // scoring over all images: a discarded image is handled correctly iff it is adversarial
                okDetector += accepted ? (predX[img] == label ? 1 : 0) : (adv ? 1 : 0);
                okReformer += accepted ? (reformed == label ? 1 : 0) : (adv ? 1 : 0);
                if (accepted) {
                    acceptedCount++;
                    okAccepted += predX[img] == label ? 1 : 0;
                    okReformedAccepted += reformed == label ? 1 : 0;
                }
                if (marks != null) {
                    for (int j = 0; j < n; j++) {
                        marks.accept(new MarkRow(c, img, adv ? Verdict.ADVERSARIAL : Verdict.LEGITIMATE,
                                o.memberIds()[r.member(j)], memberMarks[j], tau[j], Vote.memberVote(memberMarks[j], tau[j]),
                                verdict, n, label, predX[img], accepted ? o.memberIds()[reformerPos] : 0, reformed));
                    }
                }
            }
            int[] ids = new int[n];
            for (int j = 0; j < n; j++) {
                ids[j] = o.memberIds()[r.member(j)];
            }
            double size = settings.chunkSize();
            chunks.add(new ChunkResult(c, ids, new ConfusionMatrix(tn, fn, fp, tp), okPlain / size,
                    okDetector / size, okReformer / size,
                    acceptedCount == 0 ? Double.NaN : (double) okAccepted / acceptedCount,
                    acceptedCount == 0 ? Double.NaN : (double) okReformedAccepted / acceptedCount));
        }
        return summarise(data, predX, cBest, defense, settings, dataset, chunks);
    }

    private static Evaluation summarise(ProtocolData data, int[] predX, CBest cBest, DefenseKind defense,
                                        ProtocolSettings settings, String dataset, List<ChunkResult> chunks) {
        int count = chunks.size();
        double[] acc = new double[count], ppv = new double[count], npv = new double[count];
        double[] plain = new double[count], detector = new double[count], reformer = new double[count];
        double[] detectorAccepted = new double[count], reformerAccepted = new double[count];
        for (int c = 0; c < count; c++) {
            ChunkResult r = chunks.get(c);
            acc[c] = r.confusion().accuracy();
            ppv[c] = r.confusion().ppv();
            npv[c] = r.confusion().npv();
            plain[c] = r.accuracyNoDefense();
            detector[c] = r.accuracyDetector();
            reformer[c] = r.accuracyWithReformer();
            detectorAccepted[c] = r.accuracyDetectorAccepted();
            reformerAccepted[c] = r.accuracyWithReformerAccepted();
        }
        int advCorrect = 0;
        int advCount = data.size() - data.dLegCount();
        for (int i = data.dLegCount(); i < data.size(); i++) {
            advCorrect += predX[i] == data.labels()[i] ? 1 : 0;
        }
        return new Evaluation(dataset, cBest.attack(), defense.id(), settings, cBest.combination().toString(),
                MeanStd.of(acc), MeanStd.of(ppv), MeanStd.of(npv),
                new Evaluation.Scenarios(MeanStd.of(plain), MeanStd.of(detector), MeanStd.of(reformer),
                        MeanStd.of(detectorAccepted), MeanStd.of(reformerAccepted)),
                advCount == 0 ? Double.NaN : (double) advCorrect / advCount, Evaluation.DISCARD_RULE, chunks,
                data.size(), data.excludedPairs());
    }

    private static double temperatureOf(CBest cBest) {
        Double t = cBest.combination().temperature();
        return t == null ? 1.0 : t;
    }

    static int[] shuffledIndices(int size, SplittableRandom rng) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** @return the index of each row's largest logit (F's predicted class) */
    static int[] argmaxRows(INDArray logits) {
        float[][] rows = logits.toFloatMatrix();
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int best = 0;
            for (int k = 1; k < rows[i].length; k++) {
                if (rows[i][k] > rows[i][best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
