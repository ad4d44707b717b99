package org.multimagnet.ui.training;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.multimagnet.common.Cancellation;
import org.multimagnet.workspace.Consent;
import org.multimagnet.data.ImageShape;

/**
 * What the training pane needs from the engine: the workspace's model specs (classifier F and the members of S),
 * editing a member's spec, and training with per-batch losses (nn.Trainer). Runs on the compute thread.
 */
public interface TrainingService {

    /** @return the classifier (id 0) and the members of S, in id order */
    List<ModelRow> models(Path workspace);

    /**
     * Adds a member, or replaces the member with the same id.
     *
     * @return the models afterwards
     * @throws org.multimagnet.common.UserException or IllegalArgumentException naming the bad field
     */
    List<ModelRow> saveMember(Path workspace, MemberForm form);

    /** Removes member {@code id} (its spec; a trained model file stays until retrained). */
    List<ModelRow> removeMember(Path workspace, int id);

    /**
     * Refuses, before any training, to replace trained models without consent.
     *
     * @throws org.multimagnet.workspace.ReplacementRefused naming the first trained one (and how many more) when
     *                                                      {@code consent} does not allow replacing them
     */
    void requireConsent(Path workspace, List<Integer> ids, Consent consent);

    /**
     * Trains model {@code id} (0 = classifier) and stores it in the workspace; the model it replaces is kept in
     * the workspace's history.
     *
     * @param consent whether a trained model may be replaced
     * @param onBatch receives every batch's loss, on the compute thread
     */
    TrainOutcome train(Path workspace, int id, TrainOptions options, Consent consent, Consumer<LossPoint> onBatch,
                       Cancellation cancellation);

    /**
     * A model as the table shows it.
     *
     * @param id         0 for F, else the member's id in S
     * @param name       its name
     * @param structure  its layers, e.g. {@code [3, avg, 3]}
     * @param activation hidden activation
     * @param noise      denoising noise v (members)
     * @param epochs     the spec's epochs
     * @param parameters trainable parameters
     * @param status     "trained (loss 0.0123, 2025-…)" or "not trained"
     */
    record ModelRow(int id, String name, String structure, String activation, double noise, int epochs,
                    long parameters, String status) {
        /** @return "F" or "AE n" */
        public String label() {
            return id == 0 ? "F" : "AE " + id;
        }
    }

    /**
     * An edited member spec: one row of the member table (structure, activation, noise v, epochs).
     *
     * @param id         its id in S (1-based)
     * @param structure  comma-separated tokens, e.g. {@code 3, avg, 3}
     * @param activation sigmoid, relu or linear
     * @param noise      v in [0,1]
     * @param epochs     at least 1
     */
    record MemberForm(int id, String structure, String activation, double noise, int epochs) {
    }

    /**
     * Training overrides for quick runs on small machines.
     *
     * @param epochs epochs instead of the spec's, 0 to keep them
     * @param limit  at most this many training images, 0 for all of Tr
     * @param seed   the seed
     */
    record TrainOptions(int epochs, int limit, long seed) {
    }

    /**
     * One batch's loss.
     *
     * @param id      the model
     * @param epoch   1-based
     * @param epochs  in all
     * @param batch   1-based within the epoch
     * @param batches per epoch
     * @param loss    the batch's training loss
     */
    record LossPoint(int id, int epoch, int epochs, int batch, int batches, double loss) {
        /** @return fractional epochs done, the chart's x */
        public double x() {
            return epoch - 1 + (double) batch / batches;
        }
    }

    /**
     * A finished training.
     *
     * @param id              the model
     * @param epochLosses     mean loss per epoch
     * @param seconds         wall time
     * @param shape           image shape
     * @param originals       sample images (CHW each), for members
     * @param reconstructions their reconstructions, same layout; empty for F
     * @param errors          mean |x − a(x)| per sample image; empty for F
     * @param summary         one line, e.g. "test accuracy 97.8%" or "mean reconstruction error 0.021"
     */
    record TrainOutcome(int id, List<Double> epochLosses, double seconds, ImageShape shape, float[] originals,
                        float[] reconstructions, double[] errors, String summary) {
        public TrainOutcome {
            epochLosses = List.copyOf(epochLosses);
        }

        /** @return the number of sample images */
        public int samples() {
            return errors.length;
        }
    }
}
