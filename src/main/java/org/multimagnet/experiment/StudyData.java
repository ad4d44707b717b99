package org.multimagnet.experiment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.multimagnet.defense.DefenseKind;
import java.util.List;
import java.util.stream.IntStream;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.defense.CBest;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.multimagnet.workspace.AttackSet;
import org.multimagnet.workspace.CalibrationFreshness;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.TestPairs;
import org.multimagnet.workspace.Workspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything the protocol needs for one attack, read from a workspace: D = D_leg ∪ D_atk ({@link TestPairs})
 * observed through F and S, C_best, and the attack set's record.
 *
 * <p>On request, the pairs whose adversarial image equals its source bit for bit are left out of D: such an image
 * is not adversarial, and no detector can tell the two copies apart, so each pair scores one error whatever the
 * defense does.
 *
 * @param workspace the workspace
 * @param attack    the attack
 * @param attackSet D_atk as saved by {@code attack --split test}
 * @param cBests    each defense's calibration for this attack (MagNet's and MultiMagNet's C_best)
 * @param data      D observed (records how many pairs were left out)
 */
public record StudyData(Workspace workspace, String attack, AttackSet attackSet, Map<DefenseKind, CBest> cBests,
                        ProtocolData data) {

    public StudyData {
        cBests = Map.copyOf(cBests);
    }

    /**
     * Loads D_atk and both C_best (refusing one made with models that changed since, {@link CalibrationFreshness})
     * and makes the forward passes over D, with every pair of the attack set in D.
     *
     * @throws org.multimagnet.common.UserException when the attack set or a calibration is missing, naming the
     *                                              command that makes it, or when a calibration is stale
     */
    public static StudyData load(Workspace workspace, String attack, ProgressListener progress, Cancellation cancellation) {
        return load(workspace, attack, List.of(DefenseKind.values()), false, false, message -> { }, null, progress,
                cancellation);
    }

    /**
     * Loads D_atk and each defense's C_best, checks them against the models now ({@link CalibrationFreshness#admit}),
     * optionally leaves out the unchanged pairs, checks that D is large enough for the protocol and makes the
     * forward passes over D. Every check comes before any model is loaded or forward pass runs.
     *
     * @param defenses         the defenses to be evaluated: only their C_best is read and checked
     * @param excludeUnchanged leave out every pair (D_leg[i], D_atk[i]) with D_atk[i] equal to D_leg[i]
     * @param allowStale       use a C_best made with models that changed since
     * @param messages         told, in one line, when a stale C_best is used anyway or its freshness is unknown
     * @param settings         the protocol D must be large enough for (chunks × chunk size images); null for no check
     * @throws UserException when the attack set or a calibration is missing, naming the command that makes it, when
     *                       a calibration is stale and not allowed, or when D holds fewer images than
     *                       {@code settings} need
     */
    public static StudyData load(Workspace workspace, String attack, List<DefenseKind> defenses,
                                 boolean excludeUnchanged, boolean allowStale,
                                 java.util.function.Consumer<String> messages, ProtocolSettings settings,
                                 ProgressListener progress, Cancellation cancellation) {
        CalibrationStore store = new CalibrationStore(workspace.root());
        store.folder(attack); // checks the name: it becomes part of paths
        Map<DefenseKind, CBest> cBests = new java.util.EnumMap<>(DefenseKind.class);
        for (DefenseKind d : defenses) {
            CBest c = store.current(attack, d);
            CalibrationFreshness.admit(workspace.root(), c, allowStale, messages);
            requireSizesFit(workspace, store, c);
            cBests.put(d, c);
        }
        TestPairs pairs = TestPairs.load(workspace.root(), attack, workspace.dataset());
        AttackSet atk = pairs.attackSet();
        int d = workspace.dataset().shape().size();
        int[] kept = excludeUnchanged ? changedPairs(pairs.legitimate().pixels(), pairs.adversarial().pixels(), d)
                : IntStream.range(0, pairs.size()).toArray();
        int excluded = pairs.size() - kept.length;
        if (settings != null) {
            requireEnough(settings, 2 * kept.length, pairs.size(), excludeUnchanged ? excluded : -1);
        }
        Classifier f = workspace.classifier();
        List<? extends Autoencoder> s = workspace.autoencoders();
        TestPairs used = excluded == 0 ? pairs : pairs.subset(kept);
        Dataset leg = used.legitimate();
        Dataset adv = used.adversarial();
        long[] shape = workspace.dataset().shape().batch(kept.length);
        ProtocolData data = ProtocolData.observe(f, s, Nd4j.create(leg.pixels(), shape), Nd4j.create(adv.pixels(), shape),
                leg.labels(), adv.labels(), progress, cancellation).withExcludedPairs(excluded);
        return new StudyData(workspace, attack, atk, cBests, data);
    }

    /**
     * @return the C_best a defense is evaluated with
     * @throws IllegalArgumentException when this D was loaded without that defense
     */
    public CBest cBest(DefenseKind defense) {
        CBest c = cBests.get(defense);
        if (c == null) {
            throw new IllegalArgumentException("D was loaded for " + cBests.keySet() + ", not for " + defense);
        }
        return c;
    }

    /**
     * The pairs an attack changed.
     *
     * @param dLeg {@code N·d} source pixels
     * @param dAtk {@code N·d} adversarial pixels, image i attacked from source image i
     * @param d    values per image
     * @return the indices i, ascending, whose adversarial image differs from its source in at least one bit
     */
    public static int[] changedPairs(float[] dLeg, float[] dAtk, int d) {
        if (dLeg.length != dAtk.length || d < 1 || dLeg.length % d != 0) {
            throw new IllegalArgumentException(dLeg.length + " source and " + dAtk.length
                    + " adversarial values do not pair up as images of " + d);
        }
        return IntStream.range(0, dLeg.length / d)
                .filter(i -> !Arrays.equals(dLeg, i * d, (i + 1) * d, dAtk, i * d, (i + 1) * d)).toArray();
    }

    /** Refuses, before any forward pass, a C_best whose ensemble sizes S cannot hold. */
    private static void requireSizesFit(Workspace workspace, CalibrationStore store, CBest c) {
        long m = workspace.models().list().stream()
                .filter(x -> x.role() == org.multimagnet.nn.ModelRole.AUTOENCODER).count();
        for (int n : c.combination().ensembleSizes()) {
            if (n > m) {
                throw UserException.badFile(store.folder(c.attack()).resolve(CalibrationStore.fileName(c.defense())),
                        "combination: ensemble size " + n + " is larger than the repository S (m = " + m
                                + " autoencoders)");
            }
        }
    }

    private static void requireEnough(ProtocolSettings settings, int size, int pairs, int excluded) {
        long needed = (long) settings.chunks() * settings.chunkSize(); // int would overflow for absurd layouts
        if (needed <= size) {
            return;
        }
        String layout = settings.chunks() + " chunks of " + settings.chunkSize() + " need " + needed + " images";
        throw new UserException(excluded >= 0
                ? "--exclude-unchanged left " + excluded + " of " + pairs + " pairs out, so D holds " + size
                        + " images; " + layout + " (use fewer chunks or a smaller chunk size)"
                : "D holds " + size + " images (" + pairs + " pairs); " + layout);
    }

    /** Runs the protocol for one defense on this D, with that defense's own C_best. */
    public Evaluation evaluate(DefenseKind defense, ProtocolSettings settings, java.util.function.Consumer<MarkRow> marks,
                               Cancellation cancellation) {
        return Protocol.run(data, cBest(defense), defense, settings, workspace.config().dataset(), marks,
                cancellation);
    }

    /** The defense's scores over every possible draw of the ensemble ({@link ExactEvaluation}). */
    public ExactEvaluation exact(DefenseKind defense, ProtocolSettings settings) {
        return ExactEvaluation.of(data, cBest(defense), defense.id(), settings);
    }

    /**
     * The marks of one member (the first of S) on D_leg and D_atk with C_best's metric, for the report's chart.
     */
    public MarkDistribution distribution() {
        CBest cBest = cBests.getOrDefault(DefenseKind.MULTIMAGNET, cBests.values().iterator().next());
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
