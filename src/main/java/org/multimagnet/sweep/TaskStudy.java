package org.multimagnet.sweep;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.multimagnet.attack.Attack;
import org.multimagnet.attack.AttackLabels;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.attack.Attacks;
import org.multimagnet.attack.PaperSetting;
import org.multimagnet.common.BuildInfo;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.Splits;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Calibration;
import org.multimagnet.defense.CalibrationData;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.CalibrationResult;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.ReformerSource;
import org.multimagnet.experiment.Evaluation;
import org.multimagnet.experiment.MeanStd;
import org.multimagnet.experiment.Protocol;
import org.multimagnet.experiment.ProtocolData;
import org.multimagnet.experiment.ProtocolSettings;
import org.multimagnet.nn.Classifier;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.workspace.AttackSet;
import org.multimagnet.workspace.AttackSetStore;
import org.multimagnet.workspace.AttackSets;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.TestPairs;
import org.multimagnet.workspace.Workspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One task's study, with the classes the stage commands use: V_atk and D_atk made with the task's attack and seed,
 * the calibration stage on V = V_leg ∪ V_atk, and the chunked protocol on D = D_leg ∪ D_atk. Everything it makes
 * goes into the folder it is given; the shared workspace is only read.
 */
final class TaskStudy {
    /** The folder of the task's attack sets, inside its own folder. */
    static final String ATTACKS = "attacks";
    /** The folder of the task's calibration, inside its own folder. */
    static final String CALIBRATION = "calibration";
    /** The protocol's full record, as {@code evaluate} writes it. */
    static final String EVALUATION = "evaluation.json";

    private static final int BATCH = 100;

    private TaskStudy() {
    }

    /**
     * Runs the task into {@code folder} (new or empty).
     *
     * @param log    told each stage as it starts
     * @param cancel checked between batches
     * @return the result, also written as {@code folder/result.json}
     */
    static TaskResult run(SweepTask task, Path folder, Consumer<String> log, Cancellation cancel) {
        long start = System.nanoTime();
        Instant started = Instant.now();
        DefenseKind kind = DefenseKind.parse(task.defense());
        Workspace w = Workspace.open(Path.of(task.workspace()));
        Dataset dataset = w.dataset();
        Attack attack = Attacks.create(task.attack(), PaperSetting.forShape(dataset.shape()), task.params());
        Classifier f = w.classifier();
        List<NetworkAutoencoder> s = w.autoencoders();
        CalibrationGrid grid = grid(task, w, s.size());

        log.accept("V_atk: " + attack.name() + " on " + task.validationCount() + " V_leg images (seed " + task.seed()
                + ")");
        AttackSets.Made v = attackSet(w, attack, AttackSets.VALIDATION, task, folder, log, cancel);
        log.accept("D_atk: " + attack.name() + " on " + task.testCount() + " Te images (seed " + task.seed() + ")");
        AttackSets.Made d = attackSet(w, attack, AttackSets.TEST, task, folder, log, cancel);

        log.accept("calibration: " + grid.combinations().size() + " combinations, seed " + grid.seed());
        // V_leg is every validation image, as the calibrate stage takes it (CalibrationStore.validationSet)
        int[] validation = Splits.paper(dataset).validation();
        Dataset vLeg = dataset.subset(validation);
        AttackSet vAtk = AttackSetStore.load(v.folder());
        CalibrationData observed = Calibration.observe(f, s, Nd4j.create(vLeg.pixels(), dataset.shape().batch(vLeg.size())),
                Nd4j.create(vAtk.images(), dataset.shape().batch(vAtk.labels().length)),
                CalibrationStore.pairedLegitimate(validation, vAtk.manifest().sourceIndices()), ProgressListener.NONE,
                cancel);
        CalibrationResult calibrated = Calibration.evaluate(observed, grid, attack.name(), ProgressListener.NONE, cancel);
        Path calibrationFolder = folder.resolve(CALIBRATION);
        Json.writeFile(calibrationFolder.resolve(CalibrationStore.GRID), grid);
        for (CBest b : calibrated.best()) {
            Json.writeFile(calibrationFolder.resolve(CalibrationStore.fileName(b.defense())), b);
        }
        CBest cBest = calibrated.cBest(kind).orElseThrow(() -> new UserException("the calibration grid "
                + (task.calibrationGrid() == null ? "" : task.calibrationGrid() + " ") + "has no combination for "
                + kind.displayName() + (kind == DefenseKind.MAGNET ? " (it needs ensemble size 1)" : "")));

        log.accept("protocol: " + task.chunks() + " chunks of " + task.chunkSize() + ", " + kind.displayName());
        TestPairs pairs = TestPairs.of(AttackSetStore.load(d.folder()), dataset);
        long[] shape = dataset.shape().batch(pairs.size());
        ProtocolData data = ProtocolData.observe(f, s, Nd4j.create(pairs.legitimate().pixels(), shape),
                Nd4j.create(pairs.adversarial().pixels(), shape), pairs.legitimate().labels(),
                pairs.adversarial().labels(), ProgressListener.NONE, cancel)
                .withExcludedPairs(0);
        ProtocolSettings settings = new ProtocolSettings(task.chunks(), task.chunkSize(), task.seed(),
                task.ensembleSizes() != null ? task.ensembleSizes() : cBest.combination().ensembleSizes(),
                ReformerSource.ENSEMBLE);
        Evaluation e = Protocol.run(data, cBest, kind, settings, w.config().dataset(), null, cancel);
        Json.writeFile(folder.resolve(EVALUATION), e);

        TaskResult r = new TaskResult(task.id(), task, metrics(e), attackScores(d, v), calibration(cBest, settings),
                provenance(w, started, start));
        Json.writeFile(folder.resolve(TaskResult.FILE), r);
        return r;
    }

    /** The task's own grid file, else the workspace's for the attack, else the built-in one; the task's seed. */
    private static CalibrationGrid grid(SweepTask task, Workspace w, int m) {
        CalibrationGrid c = task.calibrationGrid() != null ? CalibrationStore.readGrid(Path.of(task.calibrationGrid()))
                : new CalibrationStore(w.root()).readGrid(task.attack())
                        .orElseGet(() -> CalibrationGrid.example().forRepositorySize(m));
        return c.withSeed(task.seed());
    }

    private static AttackSets.Made attackSet(Workspace w, Attack attack, String split, SweepTask task, Path folder,
                                             Consumer<String> log, Cancellation cancel) {
        int count = split.equals(AttackSets.TEST) ? task.testCount() : task.validationCount();
        AttackSets.Sources sources = AttackSets.drawSources(w, split, count, task.seed(), note -> log.accept("note: "
                + note));
        Path out = folder.resolve(ATTACKS).resolve(attack.name() + "-" + split);
        return AttackSets.make(w, attack, sources, AttackLabels.PREDICTED, BATCH, out, Consent.ASK_FIRST,
                ProgressListener.NONE, cancel);
    }

    private static Map<String, MeanStd> metrics(Evaluation e) {
        Map<String, MeanStd> m = new LinkedHashMap<>();
        m.put("accuracy", e.accuracy());
        m.put("detectionRate", e.detectionRate());
        m.put("acceptanceRate", e.acceptanceRate());
        m.put("falsePositiveRate", MeanStd.of(e.chunks().stream()
                .mapToDouble(c -> c.confusion().falsePositiveRate()).toArray()));
        m.put("noDefense", e.scenarios().noDefense());
        m.put("withDefense", e.scenarios().detector());
        m.put("withReformer", e.scenarios().withReformer());
        return m;
    }

    private static Map<String, Double> attackScores(AttackSets.Made test, AttackSets.Made validation) {
        AttackSummary t = test.outcome().summary();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("successRate", t.successRate());
        m.put("accuracyBefore", t.accuracyBefore());
        m.put("accuracyAfter", t.accuracyAfter());
        m.put("meanL2", t.meanL2());
        m.put("maxLinf", t.maxLinf());
        m.put("validationSuccessRate", validation.outcome().summary().successRate());
        return m;
    }

    private static Map<String, Object> calibration(CBest b, ProtocolSettings settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("combination", b.combination().toString());
        m.put("accuracyOnV", b.acc());
        m.put("ensembleSizes", settings.ensembleSizes());
        return m;
    }

    private static Map<String, Object> provenance(Workspace w, Instant started, long startNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", BuildInfo.version());
        m.put("backend", BuildInfo.backend());
        m.put("java", System.getProperty("java.version"));
        m.put("dataset", w.config().dataset());
        m.put("models", w.models().checksums());
        m.put("started", started.toString());
        m.put("seconds", (System.nanoTime() - startNanos) / 1e9);
        Map<String, String> array = new LinkedHashMap<>();
        for (String name : List.of("SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_JOB_ID", "JOB_COMPLETION_INDEX")) {
            String value = System.getenv(name);
            if (value != null) {
                array.put(name, value);
            }
        }
        m.put("scheduler", array);
        return m;
    }
}
