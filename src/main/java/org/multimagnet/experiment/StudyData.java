package org.multimagnet.experiment;

import java.util.List;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.data.Dataset;
import org.multimagnet.defense.CBest;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.multimagnet.workspace.AttackSet;
import org.multimagnet.workspace.AttackSetStore;
import org.multimagnet.workspace.CalibrationFreshness;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Workspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything the protocol needs for one attack, read from a workspace: D = D_leg ∪ D_atk observed through F and S,
 * C_best, and the attack set's record. D_leg is the images the attack set was made from (its source indices), so
 * D_atk[i] is the attacked D_leg[i].
 *
 * @param workspace the workspace
 * @param attack    the attack
 * @param attackSet D_atk as saved by {@code attack --split test}
 * @param cBest     the calibration for this attack
 * @param data      D observed
 */
public record StudyData(Workspace workspace, String attack, AttackSet attackSet, CBest cBest, ProtocolData data) {

    /**
     * Loads D_atk and C_best and makes the forward passes over D; refuses a C_best made with models that changed
     * since ({@link CalibrationFreshness}).
     *
     * @throws org.multimagnet.common.UserException when the attack set or the calibration is missing, naming the
     *                                              command that makes it, or when the calibration is stale
     */
    public static StudyData load(Workspace workspace, String attack, ProgressListener progress, Cancellation cancellation) {
        return load(workspace, attack, false, message -> { }, progress, cancellation);
    }

    /**
     * Loads D_atk and C_best and makes the forward passes over D, after checking C_best against the models now
     * ({@link CalibrationFreshness#admit}): no model is loaded and no forward pass runs when it refuses.
     *
     * @param allowStale use a C_best made with models that changed since
     * @param messages   told, in one line, when a stale C_best is used anyway or its freshness is unknown
     * @throws org.multimagnet.common.UserException when the attack set or the calibration is missing, naming the
     *                                              command that makes it, or when it is stale and not allowed
     */
    public static StudyData load(Workspace workspace, String attack, boolean allowStale,
                                 java.util.function.Consumer<String> messages, ProgressListener progress,
                                 Cancellation cancellation) {
        AttackSet atk = AttackSetStore.load(AttackSetStore.folder(workspace.root(), attack, "test"));
        CBest cBest = new CalibrationStore(workspace.root()).current(attack);
        CalibrationFreshness.admit(workspace.root(), cBest, allowStale, messages);
        Dataset dataset = workspace.dataset();
        int[] source = atk.manifest().sourceIndices();
        Dataset dLeg = dataset.subset(source);
        Classifier f = workspace.classifier();
        List<? extends Autoencoder> s = workspace.autoencoders();
        long[] shape = dataset.shape().batch(source.length);
        ProtocolData data = ProtocolData.observe(f, s, Nd4j.create(dLeg.pixels(), shape),
                Nd4j.create(atk.images(), dataset.shape().batch(atk.labels().length)), dLeg.labels(), atk.labels(),
                progress, cancellation);
        return new StudyData(workspace, attack, atk, cBest, data);
    }

    /** Runs the protocol for one defense on this D. */
    public Evaluation evaluate(DefenseKind defense, ProtocolSettings settings, java.util.function.Consumer<MarkRow> marks,
                               Cancellation cancellation) {
        return Protocol.run(data, cBest, defense, settings, workspace.config().dataset(), marks, cancellation);
    }

    /**
     * The marks of one member (the first of S) on D_leg and D_atk with C_best's metric, for the report's chart.
     */
    public MarkDistribution distribution() {
        double[][] marks = cBest.combination().metric()
                .withTemperature(cBest.combination().temperature() == null ? 1.0 : cBest.combination().temperature())
                .marks(data.observations());
        int member = data.observations().memberIds()[0];
        int leg = data.dLegCount();
        double[] legit = java.util.Arrays.copyOfRange(marks[0], 0, leg);
        double[] adv = java.util.Arrays.copyOfRange(marks[0], leg, data.size());
        String metric = cBest.combination().metric() + (cBest.combination().temperature() == null ? ""
                : " (T = " + cBest.combination().temperature() + ")");
        return new MarkDistribution(attack, member, metric, cBest.thresholdOf(member), legit, adv);
    }
}
