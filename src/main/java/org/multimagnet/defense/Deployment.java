package org.multimagnet.defense;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The deployment stage of paper §4.2 (Fig. 4): mount an ensemble, reconstruct, compute the metric, count votes,
 * and reform and classify what is voted legitimate. MagNet is the case n = 1.
 *
 * <p>Randomness: {@link #decide(INDArray, SplittableRandom)} draws the ensemble (n draws) and then, if the image
 * is voted legitimate, the reformer (one draw) from the generator passed in, so a seed replays a run of decisions.
 * Not thread-safe (ND4J); use it from the compute thread.
 */
public final class Deployment {
    private final Classifier f;
    private final List<Autoencoder> s;
    private final DeploymentSettings settings;
    private final double[] tau;

    /**
     * @param f        the application classifier F
     * @param s        the repository S (m members)
     * @param settings usually {@link DeploymentSettings#from(CBest)}
     * @throws IllegalArgumentException when a member of S has no threshold, n is not allowed for m, or shapes differ
     */
    public Deployment(Classifier f, List<? extends Autoencoder> s, DeploymentSettings settings) {
        this.f = f;
        this.s = List.copyOf(s);
        this.settings = settings;
        for (int n : settings.ensembleSizes()) {
            Ensemble.checkSize(n, this.s.size());
        }
        this.tau = new double[this.s.size()];
        Map<Integer, Double> byId = new HashMap<>();
        for (MemberThreshold t : settings.thresholds()) {
            byId.put(t.id(), t.threshold());
        }
        for (int i = 0; i < this.s.size(); i++) {
            Autoencoder a = this.s.get(i);
            Double t = byId.get(a.id());
            if (t == null) {
                throw new IllegalArgumentException("the calibration holds no threshold for autoencoder " + a.id()
                        + " (it has thresholds for ids " + byId.keySet() + "); calibrate again");
            }
            if (!a.inputShape().equals(f.inputShape())) {
                throw new IllegalArgumentException("autoencoder " + a.id() + " takes " + a.inputShape()
                        + " images but F takes " + f.inputShape());
            }
            tau[i] = t;
        }
    }

    /** @return the settings in use */
    public DeploymentSettings settings() {
        return settings;
    }

    /** @return m = |S| */
    public int m() {
        return s.size();
    }

    /** @return the id of the member at position {@code i} of S */
    public int memberId(int i) {
        return s.get(i).id();
    }

    /** Draws an ensemble of the configured size n (paper §4.2.1). */
    public Ensemble drawEnsemble(SplittableRandom rng) {
        return Ensemble.draw(s.size(), settings.ensembleSizes(), rng);
    }

    /**
     * Decides one image with a fresh ensemble drawn from {@code rng}.
     *
     * @param image {@code [C, H, W]} or {@code [1, C, H, W]}, values in [0,1]
     * @param rng   the seeded generator
     * @return the decision with every member's reconstruction
     */
    public Decision decide(INDArray image, SplittableRandom rng) {
        return decide(image, drawEnsemble(rng), rng);
    }

    /**
     * Decides one image with a given ensemble (for viewers and tests); {@code rng} draws the reformer.
     *
     * @param image    {@code [C, H, W]} or {@code [1, C, H, W]}
     * @param ensemble the ensemble R
     * @param rng      the seeded generator
     * @return the decision
     */
    public Decision decide(INDArray image, Ensemble ensemble, SplittableRandom rng) {
        INDArray x = image.rank() == 3 ? image.reshape(1, image.size(0), image.size(1), image.size(2)) : image;
        if (x.rank() != 4 || x.size(0) != 1) {
            throw new IllegalArgumentException("decide takes one image [C, H, W] or [1, C, H, W], got "
                    + Arrays.toString(image.shape()));
        }
        Run run = run(x, ensemble, rng, true);
        int n = ensemble.size();
        List<MemberVote> votes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            votes.add(new MemberVote(run.obs.memberIds()[i], row(run.obs.reconstructions()[i], 0),
                    run.marks[i][0], run.used[i], Vote.memberVote(run.marks[i][0], run.used[i])));
        }
        Vote vote = run.votes[0];
        boolean accepted = vote.verdict() == Verdict.LEGITIMATE;
        return new Decision(votes, vote.verdict(), vote.qLeg(), vote.qAdv(), settings.metric(),
                settings.temperature(), settings.approach(), run.predictions[0], run.probabilities[0],
                accepted ? s.get(run.reformers[0]).id() : null,
                accepted ? run.reformedImages[0] : null,
                accepted ? run.reformedPredictions[0] : null,
                accepted ? run.reformedProbabilities[0] : null);
    }

    /**
     * Decides many images with one ensemble (paper §5.4's chunks); each accepted image gets its own reformer
     * draw, in image order.
     *
     * @param x        {@code [N, C, H, W]} images in [0,1]
     * @param ensemble the ensemble R
     * @param rng      the seeded generator (reformer draws)
     * @return per-image verdicts and predictions as plain arrays
     */
    public BatchDecision decideBatch(INDArray x, Ensemble ensemble, SplittableRandom rng) {
        Run run = run(x, ensemble, rng, false);
        int count = run.votes.length;
        int[] qLeg = new int[count];
        Verdict[] verdicts = new Verdict[count];
        int[] reformerIds = new int[count];
        for (int j = 0; j < count; j++) {
            qLeg[j] = run.votes[j].qLeg();
            verdicts[j] = run.votes[j].verdict();
            reformerIds[j] = run.reformers[j] < 0 ? -1 : s.get(run.reformers[j]).id();
        }
        return new BatchDecision(run.obs.memberIds(), run.used, run.marks, qLeg, verdicts, run.predictions,
                reformerIds, run.reformedPredictions);
    }

    private Run run(INDArray x, Ensemble ensemble, SplittableRandom rng, boolean keepImages) {
        if (ensemble.m() != s.size()) {
            throw new IllegalArgumentException("the ensemble was drawn from " + ensemble.m() + " members, S has "
                    + s.size());
        }
        int n = ensemble.size();
        List<Autoencoder> members = new ArrayList<>();
        double[] own = new double[n];
        for (int i = 0; i < n; i++) {
            members.add(s.get(ensemble.member(i)));
            own[i] = tau[ensemble.member(i)];
        }
        Run run = new Run();
        run.obs = Observer.observe(f, members, x, Observer.DEFAULT_BATCH, keepImages, ProgressListener.NONE,
                Cancellation.NEVER);
        run.marks = settings.metricInstance().marks(run.obs);
        run.used = settings.approach().apply(own);
        int count = run.obs.imageCount();
        run.votes = new Vote[count];
        double[] column = new double[n];
        for (int j = 0; j < count; j++) {
            for (int i = 0; i < n; i++) {
                column[i] = run.marks[i][j];
            }
            run.votes[j] = Vote.count(column, run.used);
        }
        float[][] probs = softmaxRows(run.obs.logitsX());
        run.probabilities = probs;
        run.predictions = argmaxRows(probs);
        reform(x, ensemble, rng, keepImages, run);
        return run;
    }

    /** Draws a reformer for every accepted image and classifies its reconstruction (paper §4.2.5). */
    private void reform(INDArray x, Ensemble ensemble, SplittableRandom rng, boolean keepImages, Run run) {
        int count = run.votes.length;
        int k = f.classCount();
        run.reformers = new int[count];
        run.reformedPredictions = new int[count];
        run.reformedProbabilities = new float[count][];
        run.reformedImages = new float[count][];
        Arrays.fill(run.reformers, -1);
        Arrays.fill(run.reformedPredictions, -1);
        Map<Integer, List<Integer>> outsideEnsemble = new HashMap<>();
        for (int j = 0; j < count; j++) {
            if (run.votes[j].verdict() != Verdict.LEGITIMATE) {
                continue;
            }
            int p = settings.reformerSource().draw(ensemble, rng);
            run.reformers[j] = p;
            int i = Arrays.binarySearch(ensemble.members(), p);
            if (i >= 0) {
                // The ensemble already reconstructed x and passed a(x) through F: reuse both.
                INDArray z = run.obs.logitsReconstructed().get(NDArrayIndex.point(i), NDArrayIndex.point(j),
                        NDArrayIndex.all()).reshape(1, k);
                setReformed(run, j, softmaxRows(z)[0]);
                if (keepImages) {
                    run.reformedImages[j] = row(run.obs.reconstructions()[i], j);
                }
            } else {
                outsideEnsemble.computeIfAbsent(p, key -> new ArrayList<>()).add(j);
            }
        }
        for (Map.Entry<Integer, List<Integer>> e : outsideEnsemble.entrySet()) {
            int[] idx = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            INDArray flat = x.reshape('c', x.size(0), x.length() / x.size(0));
            INDArray picked = Nd4j.pullRows(flat, 1, idx).reshape('c', f.inputShape().batch(idx.length));
            INDArray reformed = s.get(e.getKey()).reconstruct(picked).castTo(DataType.FLOAT);
            float[][] probs = softmaxRows(f.logits(reformed));
            for (int r = 0; r < idx.length; r++) {
                setReformed(run, idx[r], probs[r]);
                if (keepImages) {
                    run.reformedImages[idx[r]] = row(reformed, r);
                }
            }
        }
    }

    private static void setReformed(Run run, int j, float[] probs) {
        run.reformedProbabilities[j] = probs;
        run.reformedPredictions[j] = argmax(probs);
    }

    private static float[] row(INDArray batch, int j) {
        return batch.get(NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .castTo(DataType.FLOAT).dup('c').reshape(-1).toFloatVector();
    }

    private static float[][] softmaxRows(INDArray logits) {
        return Transforms.softmax(logits.castTo(DataType.FLOAT), true).toFloatMatrix();
    }

    private static int[] argmaxRows(float[][] p) {
        int[] out = new int[p.length];
        for (int j = 0; j < p.length; j++) {
            out[j] = argmax(p[j]);
        }
        return out;
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The working state of one call. */
    private static final class Run {
        Observations obs;
        double[][] marks;
        double[] used;
        Vote[] votes;
        float[][] probabilities;
        int[] predictions;
        int[] reformers;
        int[] reformedPredictions;
        float[][] reformedProbabilities;
        float[][] reformedImages;
    }
}
