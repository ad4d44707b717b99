package org.multimagnet.stage;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.multimagnet.attack.Attack;
import org.multimagnet.attack.AttackLabels;
import org.multimagnet.attack.AttackOutcome;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.attack.Attacks;
import org.multimagnet.attack.ImageResult;
import org.multimagnet.attack.PaperSetting;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.workspace.AttackSet;
import org.multimagnet.workspace.AttackSetManifest;
import org.multimagnet.workspace.AttackSetStore;
import org.multimagnet.workspace.AttackSets;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.ModelManifest;
import org.multimagnet.workspace.ModelStore;
import org.multimagnet.workspace.Workspace;

/**
 * The attack stage (paper §5.3, Table 1) as both faces run it: making D_atk from D_leg (or V_atk from V_leg) by
 * attacking the workspace's classifier F, reading a stored set back beside its source images, and attacking a single
 * image.
 *
 * <p>The attack's name and parameters are checked before the workspace is opened (their ranges do not depend on the
 * dataset), the target folder and consent before any image is read. The defaults are the column of Table 1 for the
 * workspace's images ({@link #setting}), decided here for both faces.
 */
public final class AttackStage {
    /** Images per batch unless a request says otherwise: the command line's default and the workbench's batch. */
    public static final int DEFAULT_BATCH = 100;

    /**
     * What to attack.
     *
     * @param workspace the workspace folder W, whose F is attacked
     * @param attack    fgsm, bim, deepfool or cw
     * @param params    parameter overrides by name (empty for Table 1's values)
     * @param split     {@code test} (D_leg → D_atk) or {@code validation} (V_leg → V_atk); null for test
     * @param count     images to attack, capped to what the split holds
     * @param seed      the draw of the source images
     * @param labels    which label each image is moved away from: {@code predicted} (F's prediction, the paper's
     *                  set-up) or {@code true}; null for predicted
     * @param batchSize images per batch
     * @param out       a new or empty folder to save into instead of {@code W/attacks/<attack>-<split>}, or null
     * @param scratch   save under {@code W/scratch/} instead, replacing nothing (not with {@code out})
     * @param consent   whether the workspace's set may be replaced (the old one is kept in its history)
     */
    public record Request(Path workspace, String attack, Map<String, String> params, String split, int count,
                          long seed, String labels, int batchSize, Path out, boolean scratch, Consent consent) {
        public Request {
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(attack, "attack");
            Objects.requireNonNull(consent, "consent");
            params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
            split = split == null ? AttackSets.TEST : split;
            labels = labels == null ? AttackLabels.PREDICTED.id() : labels;
        }
    }

    /**
     * A set image by image: each source image beside its attacked version, with what F made of both.
     *
     * @param shape       the shape of one image
     * @param classNames  class names, in label order
     * @param originals   the source images, N·C·H·W
     * @param adversarial the attacked images, same layout
     * @param labels      true labels
     * @param before      F's class of each source image
     * @param after       F's class of each attacked image (a fresh forward pass)
     * @param success     whether F's class moved away from the label the attack moved away from
     * @param l2          ‖x′ − x‖₂ of each image
     * @param linf        ‖x′ − x‖_∞ of each image
     */
    public record Images(ImageShape shape, List<String> classNames, float[] originals, float[] adversarial,
                         int[] labels, int[] before, int[] after, boolean[] success, double[] l2, double[] linf) {
        public Images {
            classNames = List.copyOf(classNames);
        }

        /** @return N */
        public int size() {
            return labels.length;
        }
    }

    /**
     * A set as made, or as stored.
     *
     * @param attack  the attack's name
     * @param params  its parameters as used: the parameter record when just made, the manifest's fields when read
     * @param split   {@code test} or {@code validation}
     * @param seed    the seed that drew the source images
     * @param labels  which label every image was moved away from ({@code predicted} or {@code true}); null for a
     *                stored set whose manifest does not record it
     * @param dataset the workspace's dataset source
     * @param summary the attack's statistics
     * @param folder  where the set is saved
     * @param images  the set, image by image
     */
    public record Result(String attack, Object params, String split, long seed, String labels, String dataset,
                         AttackSummary summary, Path folder, Images images) {
    }

    private final FieldNames names;

    /** @param names how the face names the request's fields in errors */
    public AttackStage(FieldNames names) {
        this.names = Objects.requireNonNull(names, "names");
    }

    /** @return the attacks a request may name: fgsm, bim, deepfool, cw */
    public static List<String> attacks() {
        return Attacks.NAMES;
    }

    /**
     * @return the attack's parameters with Table 1's defaults for the workspace's images ({@link #setting}), in the
     *         parameter record's order, as text
     * @throws UserException for an unknown attack
     */
    public Map<String, String> defaults(Path workspace, String attack) {
        Record params = Attacks.create(attack, setting(workspace), Map.of()).params();
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : params.getClass().getRecordComponents()) {
            try {
                out.put(c.getName(), String.valueOf(c.getAccessor().invoke(params)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + params, e);
            }
        }
        return out;
    }

    /**
     * The column of the paper's Table 1 that gives a workspace's attack defaults: CIFAR-10's for three-channel
     * images, else MNIST's ({@link PaperSetting#forShape}). The shape is the one F was trained on when its manifest
     * records it, so that a form fills in without reading the dataset (even where the dataset is not on this
     * machine); else the dataset's. A folder that holds no workspace yet gets MNIST's, the dataset a new workspace
     * starts with.
     */
    static PaperSetting setting(Path workspace) {
        if (!Files.isRegularFile(workspace.resolve(Workspace.CONFIG))) {
            return PaperSetting.MNIST;
        }
        return setting(Workspace.open(workspace));
    }

    private static PaperSetting setting(Workspace w) {
        return PaperSetting.forShape(shape(w));
    }

    /**
     * The shape of the workspace's images: the one F was trained on when its manifest records it (read without the
     * dataset), else the dataset's.
     */
    static ImageShape shape(Workspace w) {
        ModelStore models = w.models();
        ModelManifest f = models.has("classifier") ? models.manifest("classifier") : null;
        return f != null && f.spec() != null ? f.spec().inputShape() : w.dataset().shape();
    }

    /**
     * Makes the set and saves it. Checked in this order, each before the next step's work: the batch size, the
     * attack's name and parameters, the labels, where the set goes, the split and the count (before the workspace
     * is opened); the workspace's lock; the target folder and consent (before any image is read).
     *
     * @param notes told when the split holds fewer images than asked for
     * @throws UserException naming the bad field, or another process holding the workspace
     * @throws org.multimagnet.workspace.ReplacementRefused when the set exists and consent is asking
     */
    public Result run(Request r, Consumer<String> notes, ProgressListener progress, Cancellation cancellation) {
        if (r.batchSize() < 1) {
            throw new UserException(names.of("batch-size") + " must be at least 1, got " + r.batchSize());
        }
        // the ranges of the parameters do not depend on the setting: a bad one is named before the workspace loads
        String name = Attacks.create(r.attack(), PaperSetting.MNIST, r.params()).name();
        AttackLabels awayFrom = AttackLabels.parse(names.of("labels"), r.labels());
        if (r.scratch() && r.out() != null) {
            throw new UserException(names.of("scratch") + " and " + names.of("out") + " " + r.out()
                    + ": give one of them (both say where the set goes)");
        }
        String split = split(r.split());
        if (r.count() < 1) {
            throw new UserException(names.of("count") + " must be at least 1, got " + r.count());
        }
        Workspace w = Workspace.openForWriting(r.workspace()); // another process's lock is named before any work
        Path folder = AttackSets.target(w, name, split, r.scratch() ? AttackSets.scratchFolder(w, name, split)
                : r.out(), r.consent());
        Attack a = Attacks.create(r.attack(), setting(w), r.params());
        AttackSets.Sources sources = AttackSets.drawSources(w, split, r.count(), r.seed(), notes);
        AttackSets.Made made = AttackSets.make(w, a, sources, awayFrom, r.batchSize(), folder, r.consent(), progress,
                cancellation);
        AttackOutcome o = made.outcome();
        return new Result(a.name(), a.params(), sources.split(), sources.seed(), o.awayFrom().id(),
                w.config().dataset(), o.summary(), made.folder(), images(sources.images().classNames(),
                        sources.images().pixels(), o.shape(), o.adversarial(), o.labels(), o.results()));
    }

    /**
     * Reads the set the workspace holds for an attack and split ({@code W/attacks/<attack>-<split>/}) with its source
     * images from the dataset.
     *
     * @return the set, or empty when the workspace holds none
     * @throws UserException when the set's files are damaged (naming the file)
     */
    public Optional<Result> stored(Path workspace, String attack, String split) {
        Path dir = AttackSetStore.folder(workspace, attack, split);
        if (!Files.isRegularFile(dir.resolve(AttackSetStore.MANIFEST))) {
            return Optional.empty();
        }
        AttackSet set = AttackSetStore.load(dir);
        AttackSetManifest m = set.manifest();
        Dataset d = Workspace.open(workspace).dataset();
        int size = m.shape().size();
        int n = set.labels().length;
        float[] originals = new float[n * size];
        int[] idx = m.sourceIndices();
        for (int j = 0; j < n; j++) {
            System.arraycopy(d.pixels(), idx[j] * size, originals, j * size, size);
        }
        return Optional.of(new Result(m.attack(), m.params(), m.split(), m.seed(), m.labels(), m.datasetSource(),
                m.summary(), dir, images(m.classNames(), originals, m.shape(), set.images(), set.labels(),
                        m.perImage())));
    }

    /**
     * Attacks one image with the workspace's F, away from F's prediction on it; nothing is stored. F is read on each
     * call: it may have been retrained since the last image.
     *
     * @param image the source image, CHW, in the workspace's image shape
     * @param label its true label, or -1 when unknown
     * @return the attacked image
     * @throws UserException for a bad attack or parameter, an image of another shape, or a missing F
     */
    public float[] attackOne(Path workspace, String attack, Map<String, String> params, float[] image,
                             ImageShape shape, int label) {
        Attacks.create(attack, PaperSetting.MNIST, params); // names a bad parameter before the workspace loads
        Workspace w = Workspace.open(workspace);
        requireShape(w, image, shape);
        Attack a = Attacks.create(attack, setting(w), params);
        NetworkClassifier f = w.classifier();
        Dataset one = new Dataset("image", "single", shape, image.clone(), new int[] {Math.max(0, label)},
                IntStream.range(0, f.classCount()).mapToObj(String::valueOf).toList(), -1);
        return a.run(f, one, 1, ProgressListener.NONE, Cancellation.NEVER).adversarial();
    }

    /**
     * Refuses an image that is not of the workspace's shape, before F sees it.
     *
     * @throws UserException naming both shapes
     */
    static void requireShape(Workspace w, float[] image, ImageShape shape) {
        ImageShape expected = shape(w);
        if (!expected.equals(shape) || image.length != shape.size()) {
            throw new UserException("image of shape " + shape + ": expected the workspace's " + expected);
        }
    }

    /** {@code test} or {@code validation}, in any case. */
    private String split(String split) {
        String s = split.toLowerCase(Locale.ROOT);
        if (!s.equals(AttackSets.TEST) && !s.equals(AttackSets.VALIDATION)) {
            throw new UserException(names.of("split") + " " + split + ": expected test or validation");
        }
        return s;
    }

    private static Images images(List<String> classNames, float[] originals, ImageShape shape, float[] adversarial,
                                 int[] labels, List<ImageResult> results) {
        int n = results.size();
        int[] before = new int[n];
        int[] after = new int[n];
        boolean[] success = new boolean[n];
        double[] l2 = new double[n];
        double[] linf = new double[n];
        for (ImageResult r : results) {
            before[r.index()] = r.originalPrediction();
            after[r.index()] = r.adversarialPrediction();
            success[r.index()] = r.success();
            l2[r.index()] = r.l2();
            linf[r.index()] = r.linf();
        }
        return new Images(shape, classNames, originals, adversarial, labels, before, after, success, l2, linf);
    }
}
