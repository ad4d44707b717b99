package org.multimagnet.experiment;

import java.util.Map;

import org.multimagnet.defense.DefenseKind;
import java.util.List;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.data.Dataset;
import org.multimagnet.defense.CBest;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.multimagnet.workspace.AttackSet;
import org.multimagnet.workspace.AttackSetStore;
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
 * @param cBests    each defense's calibration for this attack (MagNet's and MultiMagNet's C_best)
 * @param data      D observed
 */
public record StudyData(Workspace workspace, String attack, AttackSet attackSet, Map<DefenseKind, CBest> cBests,
                        ProtocolData data) {

    public StudyData {
        cBests = Map.copyOf(cBests);
    }

    /**
     * Loads D_atk and C_best and makes the forward passes over D.
     *
     * @throws org.multimagnet.common.UserException when the attack set or the calibration is missing, naming the
     *                                              command that makes it
     */
    public static StudyData load(Workspace workspace, String attack, ProgressListener progress, Cancellation cancellation) {
        AttackSet atk = AttackSetStore.load(AttackSetStore.folder(workspace.root(), attack, "test"));
        CalibrationStore store = new CalibrationStore(workspace.root());
        Map<DefenseKind, CBest> cBests = new java.util.EnumMap<>(DefenseKind.class);
        for (DefenseKind d : DefenseKind.values()) {
            cBests.put(d, store.current(attack, d));
        }
        Dataset dataset = workspace.dataset();
        int[] source = atk.manifest().sourceIndices();
        Dataset dLeg = dataset.subset(source);
        Classifier f = workspace.classifier();
        List<? extends Autoencoder> s = workspace.autoencoders();
        long[] shape = dataset.shape().batch(source.length);
        ProtocolData data = ProtocolData.observe(f, s, Nd4j.create(dLeg.pixels(), shape),
                Nd4j.create(atk.images(), dataset.shape().batch(atk.labels().length)), dLeg.labels(), atk.labels(),
                progress, cancellation);
        return new StudyData(workspace, attack, atk, cBests, data);
    }

    /** @return the C_best a defense is evaluated with */
    public CBest cBest(DefenseKind defense) {
        return cBests.get(defense);
    }

    /** Runs the protocol for one defense on this D, with that defense's own C_best. */
    public Evaluation evaluate(DefenseKind defense, ProtocolSettings settings, java.util.function.Consumer<MarkRow> marks,
                               Cancellation cancellation) {
        return Protocol.run(data, cBest(defense), defense, settings, workspace.config().dataset(), marks,
                cancellation);
    }

    /**
     * The marks of one member (the first of S) on D_leg and D_atk with C_best's metric, for the report's chart.
     */
    public MarkDistribution distribution() {
        CBest cBest = cBest(DefenseKind.MULTIMAGNET);
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
