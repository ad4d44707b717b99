package org.multimagnet.nn;

/**
 * One progress event of {@link Trainer}, sent after every batch.
 *
 * @param role            what is being trained
 * @param member          the member's id in S (0 for the classifier)
 * @param name            the model's name
 * @param epoch           1-based epoch
 * @param epochs          epochs in all
 * @param batch           1-based batch within the epoch
 * @param batches         batches per epoch
 * @param loss            the training loss of this batch
 * @param imagesPerSecond training throughput since the start of this model
 * @param etaSeconds      estimated seconds left for this model
 */
public record TrainingProgress(ModelRole role, int member, String name, int epoch, int epochs, int batch, int batches,
                               double loss, double imagesPerSecond, double etaSeconds) {

    /** @return batches done so far over all epochs */
    public long done() {
        return (long) (epoch - 1) * batches + batch;
    }

    /** @return batches in all epochs */
    public long total() {
        return (long) epochs * batches;
    }
}
