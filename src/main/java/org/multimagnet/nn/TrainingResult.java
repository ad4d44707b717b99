package org.multimagnet.nn;

import java.util.List;

/**
 * What {@link Trainer} returns.
 *
 * @param model         the trained model ({@link NetworkClassifier} or {@link NetworkAutoencoder})
 * @param spec          the spec trained, with the epochs actually run
 * @param seed          the seed used
 * @param trainImages   how many training images were used
 * @param epochLosses   the mean training loss of each epoch
 * @param finalLoss     the last epoch's mean training loss
 * @param seconds       wall time of the training
 * @param imagesPerSecond training throughput
 * @param backend       the backend that computed the training steps, and the policy that chose it
 *                      ({@link BackendPolicy#describe})
 */
public record TrainingResult(NetworkModel model, ModelSpec spec, long seed, int trainImages, List<Double> epochLosses,
                             double finalLoss, double seconds, double imagesPerSecond, String backend) {
    public TrainingResult {
        epochLosses = List.copyOf(epochLosses);
    }
}
