package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.attack.AttackOutcome;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Checksums;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.CBest;
import org.multimagnet.nn.ModelIO;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.nn.ModelSpecs;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkModel;
import org.multimagnet.nn.ParameterKey;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.multimagnet.nn.Trainer;
import org.multimagnet.nn.TrainingListener;
import org.multimagnet.nn.TrainingOptions;

/**
 * Crash safety: a child process ({@link CrashWriterMain}) saves a model, an attack set and a calibration
 * over and over into one workspace and is SIGKILLed at seeded random moments. After every kill the workspace must
 * load: each artifact is absent (never saved yet) or one whole version, consistent with its manifest, never older
 * than the one seen before the kill; hidden leftovers are ignored by the readers and cleared by the next writer.
 */
class CrashSafetyKillTest {
    /** Kill points run in CI. */
    static final int KILLS = 12;
    private static final long SEED = 20190101L;

    @TempDir
    Path tmp;

    @Test
    void killingAWriterAtRandomMomentsNeverLeavesAHalfWrittenArtifact() throws Exception {
        Path w = tmp.resolve("ws");
        List<String> modelFiles = new ArrayList<>();
        List<String> modelSums = new ArrayList<>();
        List<byte[]> versions = tinyModels(3);
        for (int i = 0; i < versions.size(); i++) {
            Path f = tmp.resolve("model-" + i + ".zip");
            Files.write(f, versions.get(i));
            modelFiles.add(f.toString());
            modelSums.add(Checksums.sha256(versions.get(i)));
        }
        ModelStore models = new ModelStore(w);
        CalibrationStore calibrations = new CalibrationStore(w);
        Path setFolder = AttackSetStore.folder(w, CrashArtifacts.ATTACK, "test");
        Random random = new Random(SEED);
        long seenModel = 0;
        long seenSet = 0;
        long seenCalibration = 0;
        Map<String, Integer> killedDuring = new TreeMap<>();
        int leftovers = 0;
        long started = System.nanoTime();
        long childMillis = 0;
        for (int k = 0; k < KILLS; k++) {
            long first = (k + 1) * 100_000L; // versions grow from one child to the next
            List<String> args = new ArrayList<>(List.of(w.toString(), Long.toString(first)));
            args.addAll(modelFiles);
            long t0 = System.nanoTime();
            try (ChildJvm child = ChildJvm.start(CrashWriterMain.class, args.toArray(String[]::new))) {
                assertTrue(child.awaitLine("ready", 20_000), "child did not start: " + child.output());
                childMillis += (System.nanoTime() - t0) / 1_000_000;
                // a seeded number of steps (each line announces one), then a seeded pause inside the next step
                int steps = random.nextInt(6);
                assertTrue(child.awaitLines(2 + steps, 20_000), "child stopped: " + child.output());
                Thread.sleep(random.nextInt(60)); // model and calibration saves take tens of ms, a set longer
                child.kill();
                String last = child.lastLine();
                assertTrue(last.equals("ready") || last.matches("(model|attack|calibration) \\d+"),
                        "the child failed: " + child.output());
                killedDuring.merge(last.split(" ")[0], 1, Integer::sum);
            }
            leftovers += hiddenLeftovers(w);

            if (models.has(CrashArtifacts.MODEL_STEM)) {
                NetworkModel m = models.load(CrashArtifacts.MODEL_STEM); // checksum checked against the manifest
                ModelManifest manifest = models.manifest(CrashArtifacts.MODEL_STEM);
                long v = manifest.seed();
                assertEquals(modelSums.get((int) (v % 3)), manifest.sha256(), "model version " + v);
                assertEquals(1, m.spec().id());
                assertTrue(v >= seenModel, "model went back from version " + seenModel + " to " + v);
                seenModel = v;
            }
            if (Files.isRegularFile(FolderSwap.readable(setFolder).resolve(AttackSetStore.MANIFEST))) {
                AttackSet set = AttackSetStore.load(setFolder); // checksums checked against the manifest
                long v = set.manifest().seed();
                AttackOutcome expected = CrashArtifacts.outcome(v);
                assertArrayEquals(expected.adversarial(), set.images(), "attack set version " + v);
                assertArrayEquals(expected.labels(), set.labels(), "attack set version " + v);
                assertTrue(v >= seenSet, "attack set went back from version " + seenSet + " to " + v);
                seenSet = v;
            }
            if (calibrations.calibratedAttacks().contains(CrashArtifacts.ATTACK)) {
                CBest best = calibrations.current(CrashArtifacts.ATTACK);
                long v = best.seed();
                assertEquals(CrashArtifacts.calibration(v).cBest(), best, "C_best version " + v);
                assertEquals(CrashArtifacts.grid(v), calibrations.readGrid(CrashArtifacts.ATTACK).orElseThrow(),
                        "grid.json beside C_best version " + v);
                GridResults rows = calibrations.readGridResults(CrashArtifacts.ATTACK).orElseThrow();
                assertEquals(best.createdAt(), rows.createdAt(), "grid-results.json beside C_best version " + v);
                assertEquals(CrashArtifacts.calibration(v).rows(), rows.rows());
                assertTrue(v >= seenCalibration, "calibration went back from " + seenCalibration + " to " + v);
                seenCalibration = v;
            }
        }
        System.out.println("CrashSafetyKillTest: " + KILLS + " kills, during " + killedDuring + "; hidden leftovers"
                + " seen after kills: " + leftovers + "; last versions model " + seenModel + ", set " + seenSet
                + ", calibration " + seenCalibration + "; " + (System.nanoTime() - started) / 1_000_000
                + " ms for the kills, of which " + childMillis + " ms starting children");
        assertTrue(seenModel > 0 && seenSet > 0 && seenCalibration > 0,
                "every artifact was saved at least once: " + killedDuring);
        assertTrue(killedDuring.size() >= 2, "kills landed in several steps: " + killedDuring);
    }

    /**
     * {@code count} different model files of member 1: one trained for an epoch on 8 synthetic images, the others
     * the same with every parameter shifted (real, loadable model files, without training each).
     */
    static List<byte[]> tinyModels(int count) {
        ModelSpec spec = ModelSpecs.mnistMembers().get(0);
        ImageShape shape = ImageShape.MNIST;
        int n = 8;
        float[] px = new float[n * shape.size()];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rnd.nextDouble();
        }
        Dataset d = new Dataset("synthetic", "test", shape, px, new int[n], CrashArtifacts.DIGITS, -1);
        int[] idx = {0, 1, 2, 3, 4, 5, 6, 7};
        NetworkModel trained = new Trainer(TrainingListener.NONE, Cancellation.NEVER)
                .train(spec, d, idx, new TrainingOptions(1, n, 7, n, 0)).model();
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Map<ParameterKey, INDArray> shifted = new LinkedHashMap<>();
            for (Map.Entry<ParameterKey, INDArray> e : trained.parameters().entrySet()) {
                shifted.put(e.getKey(), e.getValue().add(0.01 * k));
            }
            out.add(ModelIO.toBytes(new NetworkAutoencoder(trained.spec(), shifted)));
        }
        return out;
    }

    private static int hiddenLeftovers(Path w) throws IOException {
        try (Stream<Path> s = Files.walk(w)) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith(".")
                    && !p.getFileName().toString().equals(WorkspaceLock.FILE)).count();
        }
    }
}
