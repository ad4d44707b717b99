package org.multimagnet.experiment;

import java.util.List;

/**
 * The protocol's result for one (dataset, attack, defense): Tables 2/3 (ACC, PPV, NPV as μ and σ over the chunks),
 * the Table 5 scenarios for this defense and Table 6 (F's accuracy on D_atk alone).
 *
 * @param dataset             the dataset source
 * @param attack              the attack D_atk was made with
 * @param defense             {@code magnet} or {@code multimagnet}
 * @param settings            chunks, chunk size, seed, ensemble sizes, reformer source
 * @param calibration         the C_best combination used, as text
 * @param accuracy            ACC = (TN + TP) / all (Eq. 9)
 * @param ppv                 the paper's PPV = TN / (TN + FN): in plain words the detection rate
 * @param npv                 the paper's NPV = TP / (TP + FP): in plain words the acceptance rate of legitimate images
 * @param scenarios           F's accuracy on D without defense, behind the detector, behind detector and reformer
 * @param attackAccuracy      F's accuracy on D_atk alone, no defense (Table 6)
 * @param discardedImageRule  how an image the defense discards is scored in the scenarios
 * @param chunks              every chunk's result
 * @param imageCount          |D|, the images the chunks were drawn from; null when not recorded
 * @param excludedPairs       pairs (D_leg[i], D_atk[i]) left out of D because the attack left D_atk[i] equal to
 *                            D_leg[i] (each removes one image of each kind); null when not recorded
 */
public record Evaluation(String dataset, String attack, String defense, ProtocolSettings settings, String calibration,
                         MeanStd accuracy, MeanStd ppv, MeanStd npv, Scenarios scenarios, double attackAccuracy,
                         String discardedImageRule, List<ChunkResult> chunks, Integer imageCount,
                         Integer excludedPairs) {

    /** An evaluation that does not record the size of D or the excluded pairs. */
    public Evaluation(String dataset, String attack, String defense, ProtocolSettings settings, String calibration,
                      MeanStd accuracy, MeanStd ppv, MeanStd npv, Scenarios scenarios, double attackAccuracy,
                      String discardedImageRule, List<ChunkResult> chunks) {
        this(dataset, attack, defense, settings, calibration, accuracy, ppv, npv, scenarios, attackAccuracy,
                discardedImageRule, chunks, null, null);
    }

    /** The first scoring of Table 5, over all images of a chunk. */
    public static final String DISCARD_RULE = "over all images: an image the defense discards counts as correctly "
            + "handled when it is adversarial and as an error when it is legitimate";

    /** The second scoring of Table 5, the authors' code's. */
    public static final String ACCEPTED_RULE = "over the images the detector let through: F's accuracy on the "
            + "accepted images only (discarded images, of either kind, are left out)";

    /**
     * F's accuracy on D in the scenarios of paper Table 5 that this defense takes part in, under both scorings.
     *
     * @param noDefense            scenario (i): F alone (the same under both scorings)
     * @param detector             scenario (ii) MagNet only / (iii) MultiMagNet only, over all images
     *                             ({@link #DISCARD_RULE})
     * @param withReformer         scenario (iv) MagNet and reformer / (v) MultiMagNet and reformer, over all images
     * @param detectorAccepted     scenario (ii) / (iii) over the accepted images ({@link #ACCEPTED_RULE})
     * @param withReformerAccepted scenario (iv) / (v) over the accepted images
     */
    public record Scenarios(MeanStd noDefense, MeanStd detector, MeanStd withReformer, MeanStd detectorAccepted,
                            MeanStd withReformerAccepted) {
    }

    /** @return the paper's PPV under its plain name */
    public MeanStd detectionRate() {
        return ppv;
    }

    /** @return the paper's NPV under its plain name */
    public MeanStd acceptanceRate() {
        return npv;
    }
}
