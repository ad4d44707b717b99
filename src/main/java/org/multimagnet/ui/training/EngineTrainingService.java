package org.multimagnet.ui.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.defense.ReconstructionError;
import org.multimagnet.nn.Architecture;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.nn.ModelSpecs;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.TrainingOptions;
import org.multimagnet.workspace.ModelManifest;
import org.multimagnet.workspace.ModelStore;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.ModelTraining;
import org.multimagnet.workspace.Workspace;
import org.multimagnet.workspace.WorkspaceLock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link TrainingService} over the engine: the built-in specs ({@link ModelSpecs}), the stored manifests
 * ({@link ModelStore}) and {@link ModelTraining}. Member edits made in the pane live in this service while the
 * workbench runs and take effect at the next training, whose manifest records the spec used; there is no separate
 * spec file.
 * Used only from the compute thread.
 */
public final class EngineTrainingService implements TrainingService {
    /** Sample images shown after training a member. */
    static final int SAMPLES = 6;

    private final Map<Path, Map<Integer, ModelSpec>> edited = new HashMap<>();
    private final Map<Path, Workspace> open = new HashMap<>();

    private Workspace workspace(Path folder) {
        Path key = folder.toAbsolutePath().normalize();
        return open.computeIfAbsent(key, Workspace::open);
    }

    /** The specs in force: stored manifests' specs, then the built-ins, then the pane's edits (removals = null). */
    private Map<Integer, ModelSpec> specs(Workspace w) {
        Map<Integer, ModelSpec> out = new LinkedHashMap<>();
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

    @Override
    public List<ModelRow> models(Path folder) {
        Workspace w = workspace(folder);
        Map<Integer, ModelManifest> stored = new HashMap<>();
        for (ModelManifest m : w.models().list()) {
            stored.put(m.id(), m);
        }
        List<ModelRow> rows = new ArrayList<>();
        specs(w).entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ModelSpec s = e.getValue();
            ModelManifest m = stored.get(e.getKey());
            rows.add(new ModelRow(s.id(), s.name(), structure(s), s.role() == ModelRole.CLASSIFIER ? "relu" : s.activation(),
                    s.noise(), s.epochs(), Architecture.parameterCount(s), status(m)));
        });
        return rows;
    }

    private static String status(ModelManifest m) {
        if (m == null) {
            return "not trained";
        }
        String what = m.testAccuracy() != null ? String.format("Te accuracy %.2f%%", 100 * m.testAccuracy())
                : m.reconstructionTest() != null ? String.format("Te error %.4f", m.reconstructionTest().meanAbsolute())
                : String.format("loss %.4f", m.finalLoss());
        return String.format("trained: %d epochs on %,d images, %s", m.epochs(), m.trainImages(), what);
    }

    static String structure(ModelSpec s) {
        if (s.role() == ModelRole.CLASSIFIER) {
            return s.structure().size() + " layers";
        }
        return "[" + String.join(", ", s.structure()) + "]";
    }

    @Override
    public List<ModelRow> saveMember(Path folder, MemberForm f) {
        Workspace w = workspace(folder);
        if (f.id() < 1) {
            throw new UserException("member id: " + f.id() + " is not a member of S (ids start at 1)");
        }
        Map<Integer, ModelSpec> current = specs(w);
        ModelSpec base = current.getOrDefault(f.id(), ModelSpecs.membersFor(w.dataset().shape()).get(0));
        List<String> tokens = new ArrayList<>();
        for (String t : f.structure().split("[,\\s]+")) {
            if (!t.isBlank()) {
                tokens.add(t.trim());
            }
        }
        ModelSpec s = new ModelSpec(ModelRole.AUTOENCODER, f.id(), "member " + f.id() + " " + tokens + " "
                + f.activation() + " v=" + f.noise(), base.inputShape(), tokens, f.activation(), f.noise(),
                base.activityL2(), base.batchNorm(), f.epochs(), base.batchSize(), base.optimiser(), base.learningRate(),
                base.shiftPixels(), base.flips(), base.outputBatchNorm());
        Architecture.parameterCount(s); // the layer plan names a bad token before the edit is kept
        edited.computeIfAbsent(w.root(), k -> new HashMap<>()).put(f.id(), s);
        return models(folder);
    }

    @Override
    public List<ModelRow> removeMember(Path folder, int id) {
        Workspace w = workspace(folder);
        edited.computeIfAbsent(w.root(), k -> new HashMap<>()).put(id, null);
        return models(folder);
    }

    @Override
    public void requireConsent(Path folder, List<Integer> ids, Consent consent) {
        Workspace w = workspace(folder);
        Map<Integer, ModelSpec> specs = specs(w);
        List<ModelSpec> todo = ids.stream().map(specs::get).filter(java.util.Objects::nonNull).toList();
        new ModelTraining(w, p -> { }, new Cancellation(), consent).requireConsent(todo);
    }

    @Override
    public TrainOutcome train(Path folder, int id, TrainOptions o, Consent consent, Consumer<LossPoint> onBatch,
                              Cancellation cancellation) {
        Workspace w = workspace(folder);
        WorkspaceLock.acquire(w.root()); // a workspace another process holds is refused before the training
        ModelSpec spec = specs(w).get(id);
        if (spec == null) {
            throw new UserException("no model " + id + " in " + folder + " (it was removed)");
        }
        ModelTraining training = new ModelTraining(w, p -> onBatch.accept(new LossPoint(id, p.epoch(), p.epochs(),
                p.batch(), p.batches(), p.loss())), cancellation, consent);
        ModelManifest m = training.train(spec, new TrainingOptions(o.epochs(), o.limit(), o.seed()), saved -> { });
        Dataset d = w.dataset();
        if (spec.role() == ModelRole.CLASSIFIER) {
            return new TrainOutcome(id, m.epochLosses(), m.trainingSeconds(), d.shape(), new float[0], new float[0],
                    new double[0], status(m));
        }
        // Reconstructions of the first test images, by the model as stored.
        NetworkAutoencoder a = w.models().loadAutoencoder(id);
        int[] test = w.split().test();
        int n = Math.min(SAMPLES, test.length);
        int size = d.shape().size();
        float[] x = new float[n * size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(d.pixels(), test[i] * size, x, i * size, size);
        }
        INDArray xs = Nd4j.create(x, d.shape().batch(n));
        INDArray rec = a.reconstruct(xs);
        float[] r = rec.dup().data().asFloat();
        // Each image's RE mark (paper Eq. 1, p = 1), as the defense computes it.
        double[] err = ReconstructionError.of(xs, rec).toDoubleVector();
        return new TrainOutcome(id, m.epochLosses(), m.trainingSeconds(), d.shape(), x, r, err, status(m));
    }
}
