package org.multimagnet.stage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.ReconstructionError;
import org.multimagnet.nn.Architecture;
import org.multimagnet.nn.ClassifierRecipe;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.nn.ModelSpecs;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.TrainingListener;
import org.multimagnet.nn.TrainingOptions;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.ModelManifest;
import org.multimagnet.workspace.ModelTraining;
import org.multimagnet.workspace.Workspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training stage as both faces run it: which spec each model trains with, the checks before the first epoch,
 * and training, evaluating and saving each model.
 *
 * <p>The spec a model trains with is, in order: a member edit made in the workbench and not trained yet; the spec
 * of the model the workspace holds (its manifest records the spec it was trained with, edits included); the
 * built-in spec. So a member edited in the workbench and trained keeps its edit when the command line trains it
 * again. The classifier takes the recipe's spec when a recipe is named, else the same order.
 *
 * <p>One instance per open face: the workbench's edits live in it until trained or the window closes (there is
 * no separate spec file), and it keeps each workspace open between calls.
 */
public final class TrainStage {

    /** What a request trains. */
    public enum What {
        CLASSIFIER, AUTOENCODERS, ALL;

        /**
         * @throws IllegalArgumentException naming the value and the choices
         */
        public static What parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "classifier" -> CLASSIFIER;
                case "autoencoders" -> AUTOENCODERS;
                case "all" -> ALL;
                default -> throw new IllegalArgumentException("expected classifier, autoencoders or all, got '" + s + "'");
            };
        }
    }

    /**
     * Overrides of a spec's training settings; 0 keeps the spec's.
     *
     * @param epochs       epochs
     * @param limit        at most this many images of Tr (0 = all)
     * @param batchSize    images per batch
     * @param learningRate the optimiser's learning rate
     */
    public record Overrides(int epochs, int limit, int batchSize, double learningRate) {
        public static final Overrides NONE = new Overrides(0, 0, 0, 0);

        public Overrides {
            if (epochs < 0 || limit < 0 || batchSize < 0 || !(learningRate >= 0)) {
                throw new IllegalArgumentException("epochs, limit, batch size and learning rate must be >= 0");
            }
        }
    }

    /**
     * What to train.
     *
     * @param workspace   the workspace folder W
     * @param dataset     the dataset source to create W with when it does not exist; null to require it
     * @param what        the classifier, the members, or both
     * @param members     members of S to train (empty = every member in force)
     * @param classifier  overrides for F
     * @param autoencoders overrides for the members
     * @param recipe      the classifier's recipe; null for the spec in force (stored, else the paper's)
     * @param seed        initialisation, shuffling, noise, and the split of a new workspace
     * @param consent     whether a trained model may be replaced (it is kept in the history)
     * @param samples     test images to reconstruct after each member, for display (0 for none)
     */
    public record Request(Path workspace, String dataset, What what, List<Integer> members, Overrides classifier,
                          Overrides autoencoders, ClassifierRecipe recipe, long seed, Consent consent, int samples) {
        public Request {
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(consent, "consent");
            members = List.copyOf(members);
            classifier = classifier == null ? Overrides.NONE : classifier;
            autoencoders = autoencoders == null ? Overrides.NONE : autoencoders;
            if (samples < 0) {
                throw new IllegalArgumentException("samples " + samples + " < 0");
            }
        }
    }

    /** A member of S the request names that S does not have. */
    public static final class UnknownMember extends UserException {
        UnknownMember(String message) {
            super(message);
        }
    }

    /**
     * Test images reconstructed by a member just trained, as stored.
     *
     * @param shape           image shape
     * @param originals       the images, CHW each
     * @param reconstructions their reconstructions, same layout
     * @param errors          each image's RE mark (paper Eq. 1, p = 1)
     */
    public record Sample(ImageShape shape, float[] originals, float[] reconstructions, double[] errors) {
    }

    /**
     * One model trained and saved.
     *
     * @param manifest its manifest as saved
     * @param sample   reconstructions of test images (members, when asked for), else null
     */
    public record Trained(ModelManifest manifest, Sample sample) {
    }

    /**
     * A model as the specs in force describe it: what the next training of it uses.
     *
     * @param id         0 for F, else the member's id in S
     * @param classifier whether it is F
     * @param name       the spec's name
     * @param structure  its layers, e.g. {@code [3, avg, 3]}
     * @param activation hidden activation
     * @param noise      denoising noise v (members)
     * @param epochs     the spec's epochs
     * @param parameters trainable parameters
     * @param stored     the model the workspace holds, or null
     */
    public record Entry(int id, boolean classifier, String name, List<String> structure, String activation,
                        double noise, int epochs, long parameters, ModelManifest stored) {
        public Entry {
            structure = List.copyOf(structure);
        }
    }

    /**
     * A request checked against the workspace, ready to train.
     *
     * @param workspace the workspace, open and locked
     * @param specs     what will be trained, in order
     */
    public record Plan(Workspace workspace, List<ModelSpec> specs, Request request) {
    }

    private final Map<Path, Map<Integer, ModelSpec>> edited = new HashMap<>();
    private final Map<Path, Workspace> open = new HashMap<>();

    /** The workspace to train in: created when missing, and checked against {@code dataset} when one is named. */
    private Workspace workspaceToTrain(Path folder, String dataset, long seed) {
        Path key = folder.toAbsolutePath().normalize();
        Workspace w = open.get(key);
        if (w == null || dataset != null) {
            w = Workspace.openOrCreate(folder, dataset, seed);
            open.put(key, w);
        }
        return w;
    }

    private Workspace workspace(Path folder) {
        return open.computeIfAbsent(folder.toAbsolutePath().normalize(), Workspace::open);
    }

    /** The specs in force by id (0 = F): built-ins, then stored specs, then edits (a removal drops the id). */
    private Map<Integer, ModelSpec> specs(Workspace w) {
        Map<Integer, ModelSpec> out = new TreeMap<>();
        Dataset d = w.dataset();
        out.put(0, ModelSpecs.classifierFor(d.shape()));
        for (ModelSpec s : ModelSpecs.membersFor(d.shape())) {
            out.put(s.id(), s);
        }
        for (ModelManifest m : w.models().list()) {
            out.put(m.id(), m.spec());
        }
        for (Map.Entry<Integer, ModelSpec> e : edited.getOrDefault(w.root(), Map.of()).entrySet()) {
            if (e.getValue() == null) {
                out.remove(e.getKey());
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** @return F (id 0) and the members of S as the next training would train them, in id order */
    public List<Entry> models(Path folder) {
        Workspace w = workspace(folder);
        Map<Integer, ModelManifest> stored = new HashMap<>();
        for (ModelManifest m : w.models().list()) {
            stored.put(m.id(), m);
        }
        List<Entry> out = new ArrayList<>();
        specs(w).forEach((id, s) -> out.add(new Entry(id, s.role() == ModelRole.CLASSIFIER, s.name(), s.structure(),
                s.activation(), s.noise(), s.epochs(), Architecture.parameterCount(s), stored.get(id))));
        return out;
    }

    /**
     * Adds a member's spec, or replaces the one with the same id, for the next training; settings a form does not
     * show (batch size, optimiser, ...) come from the member's spec in force, else the first built-in member's.
     *
     * @param structure the layer tokens, e.g. {@code 3, avg, 3}
     * @throws UserException or IllegalArgumentException naming the bad field
     */
    public void editMember(Path folder, int id, List<String> structure, String activation, double noise, int epochs) {
        Workspace w = workspace(folder);
        if (id < 1) {
            throw new UserException("member id: " + id + " is not a member of S (ids start at 1)");
        }
        ModelSpec base = specs(w).getOrDefault(id, ModelSpecs.membersFor(w.dataset().shape()).get(0));
        ModelSpec s = new ModelSpec(ModelRole.AUTOENCODER, id, "member " + id + " " + structure + " " + activation
                + " v=" + noise, base.inputShape(), structure, activation, noise, base.activityL2(), base.batchNorm(),
                epochs, base.batchSize(), base.optimiser(), base.learningRate(), base.shiftPixels(), base.flips(),
                base.outputBatchNorm());
        Architecture.parameterCount(s); // the layer plan names a bad token before the edit is kept
        edited.computeIfAbsent(w.root(), k -> new HashMap<>()).put(id, s);
    }

    /** Removes member {@code id}'s spec from the next training (a trained model file stays until retrained). */
    public void removeMember(Path folder, int id) {
        edited.computeIfAbsent(workspace(folder).root(), k -> new HashMap<>()).put(id, null);
    }

    /**
     * Opens (or creates) and locks the workspace, resolves what the request trains and refuses, before the first
     * epoch, to replace trained models without consent.
     *
     * @throws UnknownMember when a member named is not in S
     * @throws org.multimagnet.workspace.ReplacementRefused naming the first trained model (and how many more)
     */
    public Plan prepare(Request r) {
        Workspace w = workspaceToTrain(r.workspace(), r.dataset(), r.seed());
        Workspace.lockForWriting(w.root()); // a workspace another process holds is refused before the training
        Map<Integer, ModelSpec> specs = specs(w);
        List<ModelSpec> todo = new ArrayList<>();
        if (r.what() != What.AUTOENCODERS) {
            todo.add(r.recipe() != null ? r.recipe().spec(w.dataset().shape()) : specs.get(0));
        }
        if (r.what() != What.CLASSIFIER) {
            List<Integer> ids = new ArrayList<>(specs.keySet());
            ids.remove(Integer.valueOf(0));
            for (int id : r.members().isEmpty() ? ids : r.members()) {
                if (id < 1 || !specs.containsKey(id)) {
                    throw new UnknownMember("no member " + id + " (S has members " + describe(ids) + ")");
                }
                todo.add(specs.get(id));
            }
        }
        new ModelTraining(w, p -> { }, Cancellation.NEVER, r.consent()).requireConsent(todo);
        return new Plan(w, todo, r);
    }

    /** "1..10", or the ids when they have gaps */
    private static String describe(List<Integer> ids) {
        if (ids.isEmpty()) {
            return "none";
        }
        boolean contiguous = ids.get(ids.size() - 1) - ids.get(0) == ids.size() - 1;
        return contiguous ? ids.get(0) + ".." + ids.get(ids.size() - 1) : ids.toString();
    }

    /**
     * Trains, evaluates and saves every model of the plan, each as soon as it is done; each manifest records the
     * spec it was trained with, so an edit trained here is what any later training starts from.
     *
     * @param onSaved told of each model once saved
     * @return the models trained, in order
     */
    public List<Trained> run(Plan plan, TrainingListener listener, Cancellation cancellation, Consumer<Trained> onSaved) {
        Request r = plan.request();
        Workspace w = plan.workspace();
        ModelTraining training = new ModelTraining(w, listener, cancellation, r.consent());
        List<Trained> done = new ArrayList<>();
        for (ModelSpec spec : plan.specs()) {
            boolean f = spec.role() == ModelRole.CLASSIFIER;
            Overrides o = f ? r.classifier() : r.autoencoders();
            ModelManifest m = training.train(spec, new TrainingOptions(o.epochs(), o.limit(), r.seed(), o.batchSize(),
                    o.learningRate()), saved -> { });
            Trained t = new Trained(m, f || r.samples() == 0 ? null : sample(w, spec.id(), r.samples()));
            done.add(t);
            onSaved.accept(t);
        }
        return done;
    }

    /** Reconstructions of the first test images by the member as stored, with each image's RE mark. */
    private static Sample sample(Workspace w, int id, int count) {
        NetworkAutoencoder a = w.models().loadAutoencoder(id);
        Dataset d = w.dataset();
        int[] test = w.split().test();
        int n = Math.min(count, test.length);
        int size = d.shape().size();
        float[] x = new float[n * size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(d.pixels(), test[i] * size, x, i * size, size);
        }
        INDArray xs = Nd4j.create(x, d.shape().batch(n));
        INDArray rec = a.reconstruct(xs);
        return new Sample(d.shape(), x, rec.dup().data().asFloat(), ReconstructionError.of(xs, rec).toDoubleVector());
    }
}
