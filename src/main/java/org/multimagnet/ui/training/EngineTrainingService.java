package org.multimagnet.ui.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.multimagnet.common.Cancellation;
import org.multimagnet.stage.TrainStage;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.ModelManifest;

/**
 * {@link TrainingService} over {@link TrainStage}, the training stage the command line runs too: it decides which
 * spec each model trains with and keeps the pane's member edits until they are trained (the manifest then records
 * the spec used; there is no separate spec file). Used only from the compute thread.
 */
public final class EngineTrainingService implements TrainingService {
    /** Sample images shown after training a member. */
    static final int SAMPLES = 6;

    private final TrainStage stage = new TrainStage();

    @Override
    public List<ModelRow> models(Path folder) {
        List<ModelRow> rows = new ArrayList<>();
        for (TrainStage.Entry e : stage.models(folder)) {
            rows.add(new ModelRow(e.id(), e.name(), structure(e), e.classifier() ? "relu" : e.activation(),
                    e.noise(), e.epochs(), e.parameters(), status(e.stored())));
        }
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

    static String structure(TrainStage.Entry e) {
        List<String> layers = e.structure();
        return e.classifier() ? layers.size() + " layers" : "[" + String.join(", ", layers) + "]";
    }

    @Override
    public List<ModelRow> saveMember(Path folder, MemberForm f) {
        List<String> tokens = new ArrayList<>();
        for (String t : f.structure().split("[,\\s]+")) {
            if (!t.isBlank()) {
                tokens.add(t.trim());
            }
        }
        stage.editMember(folder, f.id(), tokens, f.activation(), f.noise(), f.epochs());
        return models(folder);
    }

    @Override
    public List<ModelRow> removeMember(Path folder, int id) {
        stage.removeMember(folder, id);
        return models(folder);
    }

    @Override
    public void requireConsent(Path folder, List<Integer> ids, Consent consent) {
        boolean classifier = ids.contains(0);
        List<Integer> members = ids.stream().filter(id -> id != 0).toList();
        if (classifier) {
            stage.prepare(request(folder, 0, null, consent));
        }
        if (!members.isEmpty()) {
            stage.prepare(new TrainStage.Request(folder, null, TrainStage.What.AUTOENCODERS, members, null, null, null,
                    0, consent, 0));
        }
    }

    private static TrainStage.Request request(Path folder, int id, TrainOptions o, Consent consent) {
        TrainStage.Overrides overrides = o == null ? TrainStage.Overrides.NONE
                : new TrainStage.Overrides(o.epochs(), o.limit(), 0, 0);
        return new TrainStage.Request(folder, null, id == 0 ? TrainStage.What.CLASSIFIER : TrainStage.What.AUTOENCODERS,
                id == 0 ? List.of() : List.of(id), overrides, overrides, null, o == null ? 0 : o.seed(), consent,
                SAMPLES);
    }

    @Override
    public TrainOutcome train(Path folder, int id, TrainOptions o, Consent consent, Consumer<LossPoint> onBatch,
                              Cancellation cancellation) {
        TrainStage.Plan plan = stage.prepare(request(folder, id, o, consent));
        TrainStage.Trained t = stage.run(plan, p -> onBatch.accept(new LossPoint(id, p.epoch(), p.epochs(), p.batch(),
                p.batches(), p.loss())), cancellation, saved -> { }).get(0);
        ModelManifest m = t.manifest();
        TrainStage.Sample s = t.sample();
        if (s == null) {
            return new TrainOutcome(id, m.epochLosses(), m.trainingSeconds(), plan.workspace().dataset().shape(),
                    new float[0], new float[0], new double[0], status(m));
        }
        return new TrainOutcome(id, m.epochLosses(), m.trainingSeconds(), s.shape(), s.originals(),
                s.reconstructions(), s.errors(), status(m));
    }
}
