package org.multimagnet.workspace;

import java.util.List;
import java.util.Map;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.attack.ImageResult;
import org.multimagnet.data.ImageShape;

/**
 * The manifest of an adversarial set, {@code manifest.json} beside its IDX files.
 *
 * @param kind           always {@code "attack-set"}
 * @param attack         the attack's name (fgsm, bim, deepfool, cw)
 * @param params         the attack's parameter record, as JSON fields
 * @param labels         which label every image was moved away from: {@code predicted} (F's prediction, the
 *                       default) or {@code true}; null when the manifest does not record it (such a set may
 *                       hold the images F misclassifies as they were, unattacked: count them with
 *                       {@code unchanged})
 * @param split          where the source images came from: {@code test} (D_leg → D_atk) or {@code validation}
 *                       (V_leg → V_atk)
 * @param seed           the seed that drew the source images
 * @param count          number of images N
 * @param unchanged      how many adversarial images equal their source bit for bit (also in {@code summary}); null
 *                       when unknown, in manifests that do not record it (count them from the images then)
 * @param shape          shape of one image
 * @param classNames     class names of the source dataset, in label order
 * @param datasetSource  the workspace's dataset source string (e.g. {@code sample:mnist}), or null
 * @param modelChecksum  SHA-256 of the classifier file attacked
 * @param producer       the class that made the set
 * @param createdAt      ISO-8601 time the set was saved
 * @param seconds        wall-clock time of the attack
 * @param environment    app version, Java, OS and ND4J backend
 * @param files          file name → SHA-256, for {@code images.idx} and {@code labels.idx}
 * @param summary        the attack's statistics
 * @param sourceIndices  for each image, its index in the full dataset
 * @param perImage       the attack's result for each image
 */
public record AttackSetManifest(String kind, String attack, Map<String, Object> params, String labels, String split,
                                long seed, int count, Integer unchanged, ImageShape shape, List<String> classNames, String datasetSource,
                                String modelChecksum, String producer, String createdAt, double seconds,
                                Map<String, String> environment, Map<String, String> files, AttackSummary summary,
                                int[] sourceIndices, List<ImageResult> perImage) {
    /** The value of {@link #kind()}. */
    public static final String KIND = "attack-set";
}
