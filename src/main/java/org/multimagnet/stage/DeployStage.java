package org.multimagnet.stage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageFiles;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Decision;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.Deployment;
import org.multimagnet.defense.DeploymentSettings;
import org.multimagnet.defense.ExactAcceptance;
import org.multimagnet.defense.Observations;
import org.multimagnet.defense.Observer;
import org.multimagnet.defense.ReformerSource;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.workspace.CalibrationFreshness;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.ModelManifest;
import org.multimagnet.workspace.ModelStore;
import org.multimagnet.workspace.TestPairs;
import org.multimagnet.workspace.Workspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The deployment stage (paper §4.2) as both faces run it: which C_best decides, the checks before the models load,
 * and the decisions themselves — a fresh ensemble per image, each member's mark against its threshold, the vote,
 * and the reformer for an image voted legitimate.
 *
 * <p>The C_best that decides is the named attack's (else the most recent calibration's) for the request's defense;
 * without a defense, n = 1 is MagNet and takes MagNet's C_best, any other n MultiMagNet's. Before any model loads,
 * that C_best is checked against the models now ({@link CalibrationFreshness}): one made with models that changed
 * since is refused, unless the request allows a stale calibration, in which case it decides with a warning. The
 * refusal and the warning are worded once ({@link CalibrationFreshness.Report#refusal()},
 * {@link CalibrationFreshness.Report#warning()}), so the command line and the workbench say the same.
 *
 * <p>One instance per face: it keeps the last workspace's models loaded until a manifest changes, so that
 * the workbench, which opens again before each decision to see a retrained member, loads them once. Not
 * thread-safe; ND4J wants one compute thread anyway.
 */
public final class DeployStage {

    /**
     * What to deploy with.
     *
     * @param workspace      the workspace folder W
     * @param attack         the attack whose calibration decides; null for the most recent calibration
     * @param defense        the defense whose C_best decides; null to follow n (MagNet's for n = 1)
     * @param ensembleSize   a fixed n; null to draw n per image from C_best's sizes (paper §4.2.1)
     * @param reformerSource where the reformer is drawn from; null for the paper's (the ensemble)
     * @param allowStale     decide with a C_best made with models that changed since (with a warning)
     */
    public record Request(Path workspace, String attack, DefenseKind defense, Integer ensembleSize,
                          ReformerSource reformerSource, boolean allowStale) {
        public Request {
            Objects.requireNonNull(workspace, "workspace");
            reformerSource = reformerSource == null ? ReformerSource.ENSEMBLE : reformerSource;
        }

        /** @return the same request with another n (null: drawn) */
        public Request withEnsembleSize(Integer n) {
            return new Request(workspace, attack, defense, n, reformerSource, allowStale);
        }

        /** @return the defense whose C_best decides at this request's n */
        DefenseKind deciding() {
            return defense != null ? defense : Integer.valueOf(1).equals(ensembleSize) ? DefenseKind.MAGNET
                    : DefenseKind.MULTIMAGNET;
        }
    }

    /**
     * A member of S as a decision shows it.
     *
     * @param id        its id in S
     * @param structure its layers, e.g. {@code [3, avg, 3]} (empty when its manifest does not say)
     */
    public record Member(int id, List<String> structure) {
        public Member {
            structure = List.copyOf(structure);
        }
    }

    /**
     * The most recently trained model of the workspace.
     *
     * @param model     {@code F} or the member's stem, e.g. {@code ae-03}
     * @param createdAt when it was written, ISO-8601
     */
    public record Newest(String model, String createdAt) {
    }

    /**
     * One image file decided.
     *
     * @param file        the file
     * @param conversions what was done to fit F's input, in words (empty when nothing)
     * @param decision    the ensemble's answer
     */
    public record FileDecision(Path file, List<String> conversions, Decision decision) {
        public FileDecision {
            conversions = List.copyOf(conversions);
        }
    }

    /**
     * How many of all the ensembles of one size accept an image: the share the defense's own draw of R accepts it
     * with, counted exactly ({@link ExactAcceptance}), not sampled.
     *
     * @param n         the ensemble size
     * @param accepting how many of them accept it
     * @param ensembles C(m, n)
     */
    public record Acceptance(int n, long accepting, long ensembles) {
        /** @return accepting / ensembles */
        public double share() {
            return (double) accepting / ensembles;
        }
    }

    /**
     * D = D_leg ∪ D_atk of the deciding calibration's attack, D_leg[j] then D_atk[j], interleaved so that a run
     * stopped early has seen both kinds.
     *
     * @param pixels      2·N images, CHW each
     * @param shape       their shape
     * @param adversarial whether each is from D_atk
     * @param labels      their true labels
     * @param pairs       N
     * @param attack      the attack D_atk was made with
     */
    public record TestSet(float[] pixels, ImageShape shape, boolean[] adversarial, int[] labels, int pairs,
                          String attack) {
        /** @return 2·N */
        public int size() {
            return adversarial.length;
        }
    }

    /** F and S of a workspace as loaded, with the manifests they were loaded under. */
    private record Loaded(Path root, List<ModelManifest> manifests, WorkspaceModels.Models models) {
    }

    private final WorkspaceModels models;
    private Loaded loaded;
    private Deployer last;
    private Path datasetFor;
    private Dataset dataset;

    /** The stage over the workspace's model files. */
    public DeployStage() {
        this(WorkspaceModels.fromFiles());
    }

    /** @param models where F and S come from */
    public DeployStage(WorkspaceModels models) {
        this.models = Objects.requireNonNull(models, "models");
    }

    /** @return the attacks the workspace holds a calibration for, sorted */
    public static List<String> calibrations(Path workspace) {
        return new CalibrationStore(workspace).calibratedAttacks();
    }

    /**
     * Reads the deciding C_best and checks it, checks n, then loads F and S (or keeps them, when no manifest
     * changed) — in that order, so that a bad calibration or n is named before any model loads.
     *
     * @param notices told, one line each, of a stale C_best used anyway or one whose freshness cannot be told
     * @return a deployer that decides images; the same one as last time when nothing changed
     * @throws UserException naming the missing or stale C_best, or the file a bad setting came from
     * @throws BadRequest    for an n that is not odd, not ≥ 1 or larger than S
     */
    public Deployer open(Request r, Consumer<String> notices) {
        CalibrationStore store = new CalibrationStore(r.workspace());
        CBest c = store.current(r.attack(), r.deciding());
        CalibrationFreshness.Report freshness = CalibrationFreshness.check(r.workspace(), c)
                .admit(r.allowStale(), notices);
        DeploymentSettings settings = settingsOf(c, r);
        Loaded l = load(r.workspace());
        if (last != null && last.request.equals(r) && last.cBest.equals(c) && last.loaded == l) {
            return last;
        }
        last = new Deployer(r, l, c, freshness, settings, notices);
        return last;
    }

    private static DeploymentSettings settingsOf(CBest c, Request r) {
        DeploymentSettings s = DeploymentSettings.from(c).withReformerSource(r.reformerSource());
        if (r.ensembleSize() == null) {
            return s;
        }
        try {
            return s.withEnsembleSize(r.ensembleSize());
        } catch (IllegalArgumentException e) {
            throw badSize(r.ensembleSize(), e);
        }
    }

    private static BadRequest badSize(int n, IllegalArgumentException e) {
        return new BadRequest(name -> name.of("ensemble-size") + " " + n + ": " + e.getMessage());
    }

    private Loaded load(Path workspace) {
        Path root = workspace.toAbsolutePath().normalize();
        List<ModelManifest> manifests = new ModelStore(root).list();
        if (loaded == null || !loaded.root().equals(root) || !loaded.manifests().equals(manifests)) {
            loaded = null; // a failed load keeps nothing of the models before
            last = null;
            loaded = new Loaded(root, manifests, models.load(workspace, false));
        }
        return loaded;
    }

    private Dataset dataset(Path root) {
        if (!root.equals(datasetFor)) {
            dataset = Workspace.open(root).dataset();
            datasetFor = root;
        }
        return dataset;
    }

    /**
     * F, S and one C_best, ready to decide images with one n (or n drawn per image). Deployers for other sizes
     * share the loaded models ({@link #withEnsembleSize}).
     */
    public final class Deployer {
        private final Request request;
        private final Loaded loaded;
        private final CBest cBest;
        private final CalibrationFreshness.Report freshness;
        private final DeploymentSettings settings;
        private final Consumer<String> notices;
        private final Deployment deployment;
        private final Map<Integer, Deployer> bySize = new HashMap<>();

        private Deployer(Request request, Loaded loaded, CBest cBest, CalibrationFreshness.Report freshness,
                        DeploymentSettings settings, Consumer<String> notices) {
            this.request = request;
            this.loaded = loaded;
            this.cBest = cBest;
            this.freshness = freshness;
            this.settings = settings;
            this.notices = notices;
            try {
                this.deployment = new Deployment(loaded.models().classifier(), loaded.models().repository(), settings);
            } catch (IllegalArgumentException e) {
                if (request.ensembleSize() != null) {
                    throw badSize(request.ensembleSize(), e);
                }
                // the settings came from C_best: name its file
                throw UserException.badFile(new CalibrationStore(loaded.root()).folder(cBest.attack())
                        .resolve(CalibrationStore.fileName(cBest.defense())), e.getMessage());
            }
        }

        /** @return the request this deployer answers */
        public Request request() {
            return request;
        }

        /** @return the C_best that decides */
        public CBest cBest() {
            return cBest;
        }

        /** @return how C_best compares with the models now (stale only when the request allowed it) */
        public CalibrationFreshness.Report freshness() {
            return freshness;
        }

        /** @return the metric, approach, sizes, thresholds and reformer source the decisions use */
        public DeploymentSettings settings() {
            return settings;
        }

        /** @return m = |S| */
        public int repositorySize() {
            return loaded.models().repository().size();
        }

        /** @return F's input shape, which every image is fitted to */
        public ImageShape shape() {
            return loaded.models().classifier().inputShape();
        }

        /** @return the members of S in id order, with the structure their manifests record */
        public List<Member> members() {
            Map<Integer, List<String>> structure = new HashMap<>();
            for (ModelManifest m : loaded.manifests()) {
                if (m.role() == ModelRole.AUTOENCODER && m.spec() != null) {
                    structure.put(m.id(), m.spec().structure());
                }
            }
            List<Member> out = new ArrayList<>();
            for (var a : loaded.models().repository()) {
                out.add(new Member(a.id(), structure.getOrDefault(a.id(), List.of())));
            }
            return out;
        }

        /** @return the model trained last, or null when no manifest says when */
        public Newest newest() {
            return loaded.manifests().stream().filter(m -> m.createdAt() != null)
                    .max(Comparator.comparing(ModelManifest::createdAt))
                    .map(m -> new Newest(m.role() == ModelRole.CLASSIFIER ? "F" : ModelStore.autoencoderStem(m.id()),
                            m.createdAt()))
                    .orElse(null);
        }

        /** @return F's class names, from the workspace's dataset */
        public List<String> classNames() {
            return dataset(loaded.root()).classNames();
        }

        /**
         * Decides one image with a fresh ensemble drawn from {@code rng} (then, if accepted, its reformer).
         *
         * @param image CHW pixels in [0,1], of {@link #shape()}
         */
        public Decision decide(float[] image, SplittableRandom rng) {
            return deployment.decide(Nd4j.create(image, shape().batch(1)), rng);
        }

        /**
         * Reads and decides image files in order, all draws from one generator seeded with {@code seed}: the same
         * seed on the same files replays every ensemble and reformer.
         *
         * @throws UserException naming a file that is not a readable image
         */
        public List<FileDecision> decideFiles(List<Path> files, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            List<FileDecision> out = new ArrayList<>();
            for (Path file : files) {
                ImageFiles.LoadedImage img = ImageFiles.read(file, shape());
                out.add(new FileDecision(file, img.conversions(), decide(img.pixels(), rng)));
            }
            return out;
        }

        /**
         * The deployer for another n over the same models, kept for the next call; without a defense in the
         * request, n = 1 reads and checks MagNet's C_best.
         *
         * @param n a fixed n, or null to draw it
         * @throws BadRequest for an n that is not odd, not ≥ 1 or larger than S
         */
        public Deployer withEnsembleSize(Integer n) {
            if (Objects.equals(n, request.ensembleSize())) {
                return this;
            }
            Deployer s = bySize.get(n);
            if (s == null) {
                Request r = request.withEnsembleSize(n);
                CBest c = cBest;
                CalibrationFreshness.Report f = freshness;
                if (r.deciding() != request.deciding()) {
                    c = new CalibrationStore(loaded.root()).current(cBest.attack(), r.deciding());
                    f = CalibrationFreshness.check(loaded.root(), c).admit(r.allowStale(), notices);
                }
                s = new Deployer(r, loaded, c, f, settingsOf(c, r), notices);
                bySize.put(n, s);
            }
            return s;
        }

        /**
         * For each size, how many of all its C(m, n) ensembles accept the image, each size under the C_best its
         * deployer decides with: every member marks the image once, then the closed form counts the ensembles.
         *
         * @param sizes odd sizes, each at most m
         */
        public List<Acceptance> acceptance(float[] image, List<Integer> sizes) {
            var s = loaded.models().repository();
            Observations o = Observer.observe(loaded.models().classifier(), s, Nd4j.create(image, shape().batch(1)),
                    1, false, ProgressListener.NONE, Cancellation.NEVER);
            List<Acceptance> out = new ArrayList<>();
            for (int n : sizes) {
                CBest c = withEnsembleSize(n).cBest();
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

        /**
         * @return D of the deciding calibration's attack, for a run over the whole test set
         * @throws UserException when the workspace holds no test set of that attack
         */
        public TestSet testSet() {
            Dataset d = dataset(loaded.root());
            TestPairs pairs = TestPairs.load(loaded.root(), cBest.attack(), d);
            int size = d.shape().size();
            int n = pairs.size();
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
            return new TestSet(px, d.shape(), adv, labels, n, cBest.attack());
        }
    }
}
