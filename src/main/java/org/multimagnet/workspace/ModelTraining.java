package org.multimagnet.workspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.multimagnet.common.BuildInfo;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.Split;
import org.multimagnet.nn.Architecture;
import org.multimagnet.nn.Evaluation;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.nn.ClassifierRecipe;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.nn.ModelSpecs;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.nn.Trainer;
import org.multimagnet.nn.TrainingListener;
import org.multimagnet.nn.TrainingOptions;
import org.multimagnet.nn.TrainingResult;

/**
 * Trains a workspace's models on its Tr, evaluates them (classifier accuracy on Te; reconstruction errors on Tr and
 * Te), and saves each with its manifest as soon as it is done. A cancelled model is not saved, so the one saved
 * before stays in place.
 */
public final class ModelTraining {

    private final Workspace workspace;
    private final TrainingListener listener;
    private final Cancellation cancellation;
    private final Consent consent;

    /**
     * @param workspace    where data come from and models go
     * @param listener     per-batch progress
     * @param cancellation checked before every batch
     * @param consent      whether a model the workspace holds may be replaced (it is kept in its history)
     */
    public ModelTraining(Workspace workspace, TrainingListener listener, Cancellation cancellation, Consent consent) {
        this.workspace = Objects.requireNonNull(workspace, "workspace");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
        this.consent = Objects.requireNonNull(consent, "consent");
    }

    /**
     * Refuses, before any training, to replace models the workspace holds without consent.
     *
     * @throws ReplacementRefused naming the first model that exists, when consent is {@link Consent#ASK_FIRST}
     */
    public void requireConsent(List<ModelSpec> specs) {
        if (consent == Consent.REPLACE) {
            return;
        }
        ArtifactHistory history = new ArtifactHistory(workspace.root());
        Artifact first = null;
        String description = null;
        List<String> others = new ArrayList<>();
        for (ModelSpec spec : specs) {
            Artifact a = Artifact.model(spec.fileStem());
            java.util.Optional<String> now = history.current(a);
            if (now.isEmpty()) {
                continue;
            }
            if (first == null) {
                first = a;
                description = now.get();
            } else {
                others.add(spec.fileStem());
            }
        }
        if (first != null) {
            throw new ReplacementRefused(first, description + (others.isEmpty() ? "" : " (and " + others.size()
                    + " more trained model" + (others.size() == 1 ? "" : "s") + " would be replaced: "
                    + String.join(", ", others) + ")"));
        }
    }

    /** @return the built-in member specs for this workspace's images, restricted to {@code ids} (empty = all) */
    public List<ModelSpec> memberSpecs(List<Integer> ids) {
        List<ModelSpec> all = ModelSpecs.membersFor(workspace.dataset().shape());
        if (ids.isEmpty()) {
            return all;
        }
        List<ModelSpec> out = new ArrayList<>();
        for (int id : ids) {
            if (id < 1 || id > all.size()) {
                throw new org.multimagnet.common.UserException("--members: no member " + id + " (S has members 1.."
                        + all.size() + ")");
            }
            out.add(all.get(id - 1));
        }
        return out;
    }

    /** @return the built-in classifier spec for this workspace's images */
    public ModelSpec classifierSpec() {
        return classifierSpec(ClassifierRecipe.PAPER);
    }

    /** @return the classifier spec of {@code recipe} for this workspace's images */
    public ModelSpec classifierSpec(ClassifierRecipe recipe) {
        return recipe.spec(workspace.dataset().shape());
    }

    /**
     * Trains, evaluates and saves one model.
     *
     * @param spec     what to train
     * @param options  epochs/limit overrides; its seed is the workspace-level seed, the model's is derived from it
     * @param onSaved  called with the manifest once saved
     * @return the saved manifest
     * @throws ReplacementRefused before training, when the model exists and consent is {@link Consent#ASK_FIRST}
     */
    public ModelManifest train(ModelSpec spec, TrainingOptions options, Consumer<ModelManifest> onSaved) {
        requireConsent(List.of(spec));
        Dataset d = workspace.dataset();
        Split s = workspace.split();
        long seed = options.seed() * 1000 + spec.id(); // one seed per model, recorded in its manifest
        TrainingResult r = new Trainer(listener, cancellation).train(spec, d,
                s.train(), new TrainingOptions(options.epochs(), options.limit(), seed, options.batchSize(),
                options.learningRate()));
        Double accuracy = null;
        ModelManifest.Errors tr = null;
        ModelManifest.Errors te = null;
        if (spec.role() == ModelRole.CLASSIFIER) {
            accuracy = Evaluation.accuracy((NetworkClassifier) r.model(), d, s.test());
        } else {
            NetworkAutoencoder a = (NetworkAutoencoder) r.model();
            int[] trUsed = java.util.Arrays.copyOf(s.train(), r.trainImages());
            tr = errors(Evaluation.reconstructionErrors(a, d, trUsed));
            te = errors(Evaluation.reconstructionErrors(a, d, s.test()));
        }
        ModelSpec run = r.spec();
        ModelManifest draft = new ModelManifest(run.role(), run.id(), run.name(), run,
                Architecture.parameterCount(run), null, null, workspace.config().dataset(), s.rule(),
                r.trainImages(), seed, run.epochs(), r.epochLosses(), r.finalLoss(), accuracy, tr, te,
                r.seconds(), r.imagesPerSecond(), r.backend(), BuildInfo.backend(), BuildInfo.version(), null);
        ModelManifest saved = workspace.models().save(r.model(), draft);
        onSaved.accept(saved);
        return saved;
    }

    private static ModelManifest.Errors errors(Evaluation.ReconstructionErrors e) {
        return new ModelManifest.Errors(e.meanAbsolute(), e.meanSquared(), e.images());
    }
}
