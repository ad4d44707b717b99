package org.multimagnet.ui.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageFiles;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Combination;
import org.multimagnet.defense.Decision;
import org.multimagnet.defense.Deployment;
import org.multimagnet.defense.DeploymentSettings;
import org.multimagnet.defense.ExactAcceptance;
import org.multimagnet.defense.Observations;
import org.multimagnet.defense.Observer;
import org.multimagnet.defense.Verdict;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.workspace.CalibrationFreshness;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.ModelManifest;
import org.multimagnet.workspace.ModelStore;
import org.multimagnet.workspace.TestPairs;
import org.multimagnet.workspace.Workspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link DeploymentService} over the engine: the workspace's F and S ({@link Workspace}), the latest C_best
 * ({@link CalibrationStore#current}) and {@link Deployment#decide}. Loads once per workspace and calibration, and
 * refuses a calibration made with models that changed since ({@link CalibrationFreshness}); used only from the
 * compute thread.
 */
public final class EngineDeploymentService implements DeploymentService {
    private Path loadedFor;
    private Workspace workspace;
    private NetworkClassifier f;
    private List<NetworkAutoencoder> s;
    private CBest cBest;
    private CBest magnet;
    private List<ModelManifest> loadedManifests;
    private Setup setup;
    private final Map<Integer, Deployment> bySize = new HashMap<>();

    @Override
    public Setup open(Path folder, String attack) {
        Path key = folder.toAbsolutePath().normalize();
        // checked on every call, not only on the first load: another pane or process may retrain a member or
        // recalibrate while this one holds the models
        CalibrationStore store = new CalibrationStore(key);
        String chosen = attack != null && store.calibratedAttacks().contains(attack) ? attack : null;
        CBest latest = store.current(chosen);
        CalibrationFreshness.Report freshness = CalibrationFreshness.check(key, latest);
        if (freshness.stale()) {
            throw new UserException(freshness.problem() + "; no image is decided with it until the " + latest.attack()
                    + " calibration is made again (Calibration pane, or '" + freshness.calibrateCommand() + "')");
        }
        List<ModelManifest> manifests = new ModelStore(key).list();
        if (key.equals(loadedFor) && setup != null && latest.equals(cBest) && manifests.equals(loadedManifests)) {
            return setup;
        }
        bySize.clear();
        setup = null;
        if (!key.equals(loadedFor) || !manifests.equals(loadedManifests)) {
            workspace = Workspace.open(key);
            f = workspace.classifier();
            s = workspace.autoencoders();
            loadedManifests = manifests;
        }
        cBest = latest;
        // n = 1 is MagNet, which has its own C_best; an older calibration without one lends MultiMagNet's
        magnet = store.readCBest(cBest.attack(), org.multimagnet.defense.DefenseKind.MAGNET).orElse(cBest);
        int m = s.size();
        List<Integer> drawn = cBest.combination().ensembleSizes();
        List<Integer> sizes = new ArrayList<>();
        if (drawn.size() > 1) {
            sizes.add(DRAWN);
        }
        for (int n = 1; n <= m; n += 2) {
            sizes.add(n);
        }
        Combination c = cBest.combination();
        String description = c.metric() + (c.temperature() == null ? "" : " T " + c.temperature()) + " · "
                + c.approach().paperName() + " · t_fp " + c.falsePositiveRate() + " · calibrated on " + cBest.attack()
                + (drawn.size() > 1 ? " · n drawn from " + c.sizesLabel() : "")
                + (freshness.recordsChecksums() ? "" : " (models' checksums not recorded: cannot tell if they changed)");
        Terms terms = new Terms(c.metric().toString(), c.temperature(), c.approach().paperName(),
                c.falsePositiveRate(), c.sizesLabel());
        Dataset d = workspace.dataset();
        setup = new Setup(d.shape(), d.classNames(), m, sizes, drawn.size() > 1 ? DRAWN : drawn.get(0), description,
                terms, cBest.attack(), store.calibratedAttacks(), describeModels(manifests, m));
        loadedFor = key;
        return setup;
    }

    /** e.g. "F + S (10 members) · newest: ae-03, trained 2026-12-03 14:02 UTC" */
    static String describeModels(List<ModelManifest> manifests, int members) {
        ModelManifest newest = manifests.stream().filter(mf -> mf.createdAt() != null)
                .max(java.util.Comparator.comparing(ModelManifest::createdAt)).orElse(null);
        String when = newest == null ? "" : " · newest: " + (newest.role() == org.multimagnet.nn.ModelRole.CLASSIFIER
                ? "F" : ModelStore.autoencoderStem(newest.id())) + ", trained "
                + newest.createdAt().replace('T', ' ').replaceAll(":\\d\\d(\\.\\d+)?Z$", " UTC");
        return "F + S (" + members + " members)" + when;
    }

    @Override
    public ImageFiles.LoadedImage readImage(Path file, ImageShape shape) {
        return ImageFiles.read(file, shape);
    }

    @Override
    public Result classify(float[] image, int ensembleSize, long seed) {
        requireOpen();
        Deployment d = bySize.computeIfAbsent(ensembleSize,
                n -> new Deployment(f, s, n == DRAWN ? DeploymentSettings.from(cBest)
                        : DeploymentSettings.from(n == 1 ? magnet : cBest).withEnsembleSize(n)));
        Decision dec = d.decide(Nd4j.create(image, setup.shape().batch(1)), new SplittableRandom(seed));
        Map<Integer, String> structure = new HashMap<>();
        for (NetworkAutoencoder a : s) {
            structure.put(a.id(), "[" + String.join(", ", a.spec().structure()) + "]");
        }
        List<MemberVote> votes = new ArrayList<>();
        for (org.multimagnet.defense.MemberVote v : dec.members()) {
            votes.add(new MemberVote(v.id(), structure.getOrDefault(v.id(), ""), v.reconstruction(), v.mark(),
                    v.threshold(), v.vote() == Verdict.LEGITIMATE));
        }
        boolean legit = dec.verdict() == Verdict.LEGITIMATE;
        return new Result(seed, votes, legit, dec.reformed(), dec.reformerId() == null ? -1 : dec.reformerId(),
                dec.probabilities(), dec.reformedProbabilities());
    }

    /**
     * Every member's mark of the image under the C_best of each size (n = 1 is MagNet's, as {@link #classify}
     * decides it), then the closed form of {@link ExactAcceptance}.
     */
    @Override
    public List<Acceptance> acceptance(float[] image, List<Integer> sizes) {
        requireOpen();
        Observations o = Observer.observe(f, s, Nd4j.create(image, setup.shape().batch(1)), 1, false,
                ProgressListener.NONE, Cancellation.NEVER);
        List<Acceptance> out = new ArrayList<>();
        for (int n : sizes) {
            CBest c = n == 1 ? magnet : cBest;
            Double t = c.combination().temperature();
            double[][] marks = c.combination().metric().withTemperature(t == null ? 1.0 : t).marks(o);
            double[] column = new double[s.size()];
            double[] tau = new double[s.size()];
            for (int i = 0; i < s.size(); i++) {
                column[i] = marks[i][0];
                tau[i] = c.thresholdOf(o.memberIds()[i]);
            }
            long all = (long) ExactAcceptance.choose(s.size(), n);
            double p = ExactAcceptance.probability(c.combination().approach(), column, tau, n);
            out.add(new Acceptance(n, Math.round(p * all), all));
        }
        return out;
    }

    @Override
    public StreamSet streamSet() {
        requireOpen();
        Dataset d = workspace.dataset();
        TestPairs pairs = TestPairs.load(workspace.root(), cBest.attack(), d);
        int size = d.shape().size();
        int n = pairs.size();
        // D_leg[j] then D_atk[j], interleaved so that a partial run sees both kinds
        float[] px = new float[2 * n * size];
        boolean[] adv = new boolean[2 * n];
        int[] labels = new int[2 * n];
        for (int j = 0; j < n; j++) {
            System.arraycopy(pairs.legitimate().pixels(), j * size, px, (2 * j) * size, size);
            System.arraycopy(pairs.adversarial().pixels(), j * size, px, (2 * j + 1) * size, size);
            adv[2 * j + 1] = true;
            labels[2 * j] = pairs.legitimate().labels()[j];
            labels[2 * j + 1] = pairs.adversarial().labels()[j];
        }
        return new StreamSet(px, d.shape(), adv, labels, String.format("D = %,d legitimate + %,d %s", n, n,
                cBest.attack()));
    }

    private void requireOpen() {
        if (setup == null) {
            throw new IllegalStateException("open(workspace) first");
        }
    }
}
