package org.multimagnet.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.Decision;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.MemberVote;
import org.multimagnet.defense.Verdict;
import org.multimagnet.workspace.CalibrationStore;

/**
 * {@link DeployStage} on copies of the demo workspace, called directly: which C_best decides, the order of the
 * checks (a stale calibration and a bad n are refused before any model loads), seeds that replay, and the exact
 * acceptance agreeing with the decisions themselves.
 */
class DeployStageTest {
    @TempDir
    static Path shared;

    /** The demo, untouched by any test (the stage only reads it). */
    private static Path demo;
    private static Path image;

    @BeforeAll
    static void copyTheDemo() throws Exception {
        demo = TestWorkspaces.copy(TestWorkspaces.DEMO, Files.createDirectory(shared.resolve("demo")));
        image = TestWorkspaces.writeRoughOne(shared.resolve("one.f32"));
    }

    /** The workspace's models, counting the loads. */
    private static final class CountingModels implements WorkspaceModels {
        final AtomicInteger loads = new AtomicInteger();
        private final WorkspaceModels files = WorkspaceModels.fromFiles();

        @Override
        public Models load(Path workspace, boolean withDataset) {
            loads.incrementAndGet();
            return files.load(workspace, withDataset);
        }
    }

    private static DeployStage.Request request(Path ws, String attack, DefenseKind defense, Integer n, boolean stale) {
        return new DeployStage.Request(ws, attack, defense, n, null, stale);
    }

    @Test
    void theCBestThatDecidesFollowsTheDefenseElseN() {
        DeployStage stage = new DeployStage();
        DeployStage.Deployer drawn = stage.open(request(demo, "cw", null, null, false), m -> { });
        assertEquals(DefenseKind.MULTIMAGNET, drawn.cBest().defense());
        assertEquals(drawn.cBest().combination().ensembleSizes(), drawn.settings().ensembleSizes());
        DeployStage.Deployer one = drawn.withEnsembleSize(1);
        assertEquals(DefenseKind.MAGNET, one.cBest().defense(), "n = 1 is MagNet, with MagNet's C_best");
        assertEquals(new CalibrationStore(demo).current("cw", DefenseKind.MAGNET), one.cBest());
        assertEquals(List.of(1), one.settings().ensembleSizes());
        assertSame(one, drawn.withEnsembleSize(1), "kept for the next decision");
        // a defense named keeps its C_best whatever n
        DeployStage.Deployer named = stage.open(request(demo, "cw", DefenseKind.MULTIMAGNET, 1, false), m -> { });
        assertEquals(DefenseKind.MULTIMAGNET, named.cBest().defense());
        assertEquals(List.of(1), named.settings().ensembleSizes());
        // no attack named: the most recent calibration
        DeployStage.Deployer recent = stage.open(request(demo, null, null, null, false), m -> { });
        assertEquals(new CalibrationStore(demo).current(null), recent.cBest());
    }

    @Test
    void votesFollowMarksAndTheSameSeedReplaysEveryDraw() {
        DeployStage.Deployer s = new DeployStage().open(request(demo, "fgsm", null, null, false), m -> { });
        List<Path> files = List.of(image, image, image, image, image, image);
        List<DeployStage.FileDecision> first = s.decideFiles(files, 11);
        List<Integer> sizes = new ArrayList<>();
        for (DeployStage.FileDecision f : first) {
            Decision d = f.decision();
            int leg = 0;
            for (MemberVote v : d.members()) {
                assertEquals(v.mark() <= v.threshold() ? Verdict.LEGITIMATE : Verdict.ADVERSARIAL, v.vote());
                assertEquals(s.cBest().thresholdOf(v.id()), v.threshold(), "MTA: each member's own τ");
                leg += v.vote() == Verdict.LEGITIMATE ? 1 : 0;
            }
            assertEquals(leg > d.members().size() - leg ? Verdict.LEGITIMATE : Verdict.ADVERSARIAL, d.verdict());
            assertEquals(d.verdict() == Verdict.LEGITIMATE, d.reformerId() != null);
            sizes.add(d.members().size());
        }
        assertTrue(s.cBest().combination().ensembleSizes().containsAll(sizes), sizes.toString());
        assertEquals(ids(first), ids(s.decideFiles(files, 11)), "same seed, same ensembles");
        assertTrue(!ids(first).equals(ids(s.decideFiles(files, 12))), "another seed draws others");
        // one generator for all the files, in order: the same image is not decided by the same ensemble each time
        assertTrue(new java.util.HashSet<>(ids(first)).size() > 1, ids(first).toString());
        assertEquals(ids(first).get(0), ids(s.decideFiles(List.of(image), 11)).get(0));
    }

    private static List<List<Integer>> ids(List<DeployStage.FileDecision> ds) {
        return ds.stream().map(d -> d.decision().members().stream().map(MemberVote::id).toList()).toList();
    }

    /**
     * With n = 1 each member decides alone and always the same way, so the exact count of accepting "ensembles"
     * of size 1 is the number of members seen accepting over enough draws.
     */
    @Test
    void exactAcceptanceOfSizeOneCountsTheMembersThatAccept() {
        DeployStage.Deployer s = new DeployStage().open(request(demo, "fgsm", null, null, false), m -> { });
        float[] x = new float[784];
        for (int p = 0; p < 784; p++) {
            x[p] = p % 28 > 10 && p % 28 < 16 && p / 28 > 4 && p / 28 < 24 ? 1f : 0f;
        }
        DeployStage.Deployer one = s.withEnsembleSize(1);
        Map<Integer, Verdict> byMember = new HashMap<>();
        SplittableRandom rng = new SplittableRandom(5);
        for (int k = 0; k < 200 && byMember.size() < one.repositorySize(); k++) {
            Decision d = one.decide(x, rng);
            Verdict before = byMember.put(d.members().get(0).id(), d.verdict());
            assertTrue(before == null || before == d.verdict(), "a member decides alone the same way every time");
        }
        assertEquals(one.repositorySize(), byMember.size());
        long accepting = byMember.values().stream().filter(v -> v == Verdict.LEGITIMATE).count();
        List<DeployStage.Acceptance> a = s.acceptance(x, List.of(1, 3));
        assertEquals(new DeployStage.Acceptance(1, accepting, one.repositorySize()), a.get(0));
        assertEquals(3, a.get(1).n());
        assertEquals(120, a.get(1).ensembles(), "C(10, 3)");
    }

    @Test
    void aBadEnsembleSizeIsNamedBeforeTheModelsLoadAndALargeOneAfter() {
        CountingModels models = new CountingModels();
        DeployStage stage = new DeployStage(models);
        BadRequest even = assertThrows(BadRequest.class,
                () -> stage.open(request(demo, "fgsm", null, 4, false), m -> { }));
        assertEquals("ensemble size 4: ensemble size n must be odd and >= 1, got 4", even.getMessage());
        assertEquals("--ensemble-size 4: ensemble size n must be odd and >= 1, got 4",
                even.message(FieldNames.OPTIONS));
        assertEquals(0, models.loads.get(), "refused before any model loads");
        BadRequest large = assertThrows(BadRequest.class,
                () -> stage.open(request(demo, "fgsm", null, 13, false), m -> { }));
        assertEquals("ensemble size 13: ensemble size n = 13 is larger than the repository S (m = 10 autoencoders)",
                large.getMessage());
    }

    @Test
    void theModelsLoadOnceUntilAManifestChanges(@TempDir Path tmp) throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        CountingModels models = new CountingModels();
        DeployStage stage = new DeployStage(models);
        DeployStage.Deployer s = stage.open(request(ws, "bim", null, null, false), m -> { });
        assertSame(s, stage.open(request(ws, "bim", null, null, false), m -> { }));
        DeployStage.Deployer other = stage.open(request(ws, "cw", null, null, false), m -> { });
        assertNotSame(s, other);
        assertEquals(1, models.loads.get(), "another calibration, the same models");
        Path manifest = ws.resolve("models/ae-02.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"createdAt\" : \"[^\"]*\"",
                "\"createdAt\" : \"2099-01-01T00:00:00Z\""));
        DeployStage.Deployer again = stage.open(request(ws, "cw", null, null, false), m -> { });
        assertEquals(2, models.loads.get(), "a manifest changed: loaded again");
        assertEquals(new DeployStage.Newest("ae-02", "2099-01-01T00:00:00Z"), again.newest());
        assertEquals(List.of("3"), again.members().get(1).structure());
    }

    /**
     * A member whose bytes changed since the calibration: refused before any model loads, in the words both faces
     * show, and decided with when allowed, with the warning told once.
     */
    @Test
    void aStaleCalibrationIsRefusedBeforeTheModelsLoadUnlessAllowed(@TempDir Path tmp) throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Files.copy(ws.resolve("models/ae-04.zip"), ws.resolve("models/ae-03.zip"), StandardCopyOption.REPLACE_EXISTING);
        CountingModels models = new CountingModels();
        DeployStage stage = new DeployStage(models);
        List<String> said = new ArrayList<>();
        UserException e = assertThrows(UserException.class,
                () -> stage.open(request(ws, "fgsm", null, null, false), said::add));
        String cBest = ws.toAbsolutePath().normalize().resolve("calibration/fgsm/cbest.json").toString();
        assertTrue(e.getMessage().startsWith(cBest + ": calibrated with models that changed since: ae-03 (member 3) "
                + "changed"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; re-run 'calibrate --workspace " + ws.toAbsolutePath().normalize()
                + " --attack fgsm' (or the Calibration pane), or allow a stale calibration (--allow-stale) to use it "
                + "anyway"), e.getMessage());
        assertEquals(List.of(), said);
        assertEquals(0, models.loads.get());

        // allowed, the models load (ae-03's bytes no longer match its manifest, so the loader refuses them: the
        // gate let the request through, and said so first)
        UserException loader = assertThrows(UserException.class,
                () -> stage.open(request(ws, "fgsm", null, null, true), said::add));
        assertEquals(1, models.loads.get());
        assertTrue(loader.getMessage().contains("ae-03"), loader.getMessage());
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("warning: " + cBest + ": calibrated with models that changed since: ae-03")
                && said.get(0).endsWith("; used anyway, as a stale calibration is allowed (--allow-stale)"), said.get(0));
    }

    @Test
    void theTestSetInterleavesEachSourceWithItsAttack() {
        DeployStage.Deployer s = new DeployStage().open(request(demo, "deepfool", null, null, false), m -> { });
        DeployStage.TestSet d = s.testSet();
        assertEquals("deepfool", d.attack());
        assertEquals(2 * d.pairs(), d.size());
        assertEquals(d.size() * 784L, d.pixels().length);
        for (int i = 0; i < d.size(); i++) {
            assertEquals(i % 2 == 1, d.adversarial()[i], "image " + i);
        }
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), s.classNames());
    }
}
