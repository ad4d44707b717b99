package org.multimagnet.workspace;

import java.util.List;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.nn.ModelSpec;

/**
 * The JSON manifest beside each model file in {@code W/models/}: what the model is, what it
 * was trained on and how, how good it is, and the checksum of its file.
 *
 * @param role              classifier or autoencoder
 * @param id                member id in S (0 for the classifier)
 * @param name              the spec's name
 * @param spec              the architecture and training spec, with the epochs actually run
 * @param parameters        trainable parameter count
 * @param file              the model file, relative to the workspace folder (e.g. {@code models/ae-01.zip})
 * @param sha256            SHA-256 of the model file
 * @param dataset           the dataset source (e.g. {@code sample:mnist})
 * @param split             the split rule used
 * @param trainImages       how many Tr images were used
 * @param seed              the training seed
 * @param epochs            epochs run
 * @param epochLosses       mean training loss of each epoch
 * @param finalLoss         the last epoch's mean training loss
 * @param testAccuracy      the classifier's accuracy on Te (null for autoencoders)
 * @param reconstructionTrain autoencoders: errors on Tr (null for the classifier)
 * @param reconstructionTest  autoencoders: errors on Te (null for the classifier)
 * @param trainingSeconds   training wall time
 * @param imagesPerSecond   training throughput
 * @param engine            the backend that trained the model and the policy that chose it (e.g.
 *                          {@code lanes (policy auto)}; {@code nn.BackendPolicy})
 * @param backend           the ND4J build
 * @param app               the program's version
 * @param createdAt         ISO-8601 time of writing
 */
public record ModelManifest(ModelRole role, int id, String name, ModelSpec spec, long parameters, String file,
                            String sha256, String dataset, String split, int trainImages, long seed, int epochs,
                            List<Double> epochLosses, double finalLoss, Double testAccuracy,
                            Errors reconstructionTrain, Errors reconstructionTest, double trainingSeconds,
                            double imagesPerSecond, String engine, String backend, String app, String createdAt) {

    /**
     * Reconstruction errors of an autoencoder on a set of images.
     *
     * @param meanAbsolute mean |x - a(x)| (the RE mark, p = 1)
     * @param meanSquared  mean (x - a(x))²
     * @param images       images used
     */
    public record Errors(double meanAbsolute, double meanSquared, int images) {
    }
}
