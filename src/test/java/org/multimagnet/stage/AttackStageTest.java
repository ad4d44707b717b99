package org.multimagnet.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.multimagnet.experiment.AdaptiveAttack;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.workspace.AttackSetStore;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.ReplacementRefused;
import org.multimagnet.workspace.Workspace;
import org.nd4j.linalg.factory.Nd4j;

/** The attack stage called directly, as both faces call it. */
class AttackStageTest {
    @TempDir
    Path tmp;

    private static AttackStage.Request request(Path w, String attack, Map<String, String> params, String labels,
                                               int batch, Path out, boolean scratch, Consent consent) {
        return new AttackStage.Request(w, attack, params, "test", 10, 3, labels, batch, out, scratch, consent);
    }

    /**
     * Each bad field is named, in the face's words, before the workspace is opened: the folder here holds no
     * workspace, so an error about anything else would mean the stage looked there first.
     */
    @Test
    void aBadFieldIsNamedBeforeTheWorkspaceOpens() {
        Path none = tmp.resolve("no-workspace");
        AttackStage cli = new AttackStage(FieldNames.OPTIONS);
        record Bad(AttackStage.Request request, String message) {
        }
        List<Bad> bad = List.of(
                new Bad(request(none, "pgd", Map.of(), null, 100, null, false, Consent.ASK_FIRST),
                        "unknown attack 'pgd'"),
                new Bad(request(none, "bim", Map.of("alpha", "x"), null, 100, null, false, Consent.ASK_FIRST),
                        "bim: parameter 'alpha' = 'x' is not a finite number"),
                new Bad(request(none, "fgsm", Map.of(), "maybe", 100, null, false, Consent.ASK_FIRST),
                        "--labels 'maybe': expected predicted or true"),
                new Bad(request(none, "fgsm", Map.of(), null, 0, null, false, Consent.ASK_FIRST),
                        "--batch-size must be at least 1, got 0"),
                new Bad(request(none, "fgsm", Map.of(), null, 100, tmp.resolve("out"), true, Consent.ASK_FIRST),
                        "--scratch and --out " + tmp.resolve("out")),
                new Bad(new AttackStage.Request(none, "fgsm", Map.of(), "train", 10, 3, null, 100, null, false,
                        Consent.ASK_FIRST), "--split train: expected test or validation"),
                new Bad(new AttackStage.Request(none, "fgsm", Map.of(), "test", 0, 3, null, 100, null, false,
                        Consent.ASK_FIRST), "--count must be at least 1, got 0"));
        for (Bad b : bad) {
            UserException e = assertThrows(UserException.class, () -> cli.run(b.request(), n -> { },
                    ProgressListener.NONE, Cancellation.NEVER));
            assertTrue(e.getMessage().startsWith(b.message()), e.getMessage());
        }
        // the workbench's words for the same field
        UserException form = assertThrows(UserException.class, () -> new AttackStage(FieldNames.FORM).run(
                request(none, "fgsm", Map.of(), null, 0, null, false, Consent.ASK_FIRST), n -> { },
                ProgressListener.NONE, Cancellation.NEVER));
        assertEquals("batch size must be at least 1, got 0", form.getMessage());
    }

    /**
     * A set the workspace holds is not replaced without consent: refused before any image is attacked, its files
     * byte for byte as they were; in scratch the same request makes a set beside it, whose images are the drawn
     * sources attacked within ε.
     */
    @Test
    void aRefusedReplacementLeavesTheSetUntouchedAndScratchMakesOneBeside() throws Exception {
        Path w = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Map<String, String> before = TestWorkspaces.snapshot(w.resolve("attacks"));
        List<Long> steps = new ArrayList<>();
        ProgressListener progress = (done, total, m) -> steps.add(done);
        AttackStage stage = new AttackStage(FieldNames.OPTIONS);
        ReplacementRefused refused = assertThrows(ReplacementRefused.class, () -> stage.run(request(w, "fgsm",
                Map.of(), null, 100, null, false, Consent.ASK_FIRST), n -> { }, progress, Cancellation.NEVER));
        assertEquals("attacks/fgsm-test", refused.artifact().id());
        assertEquals(List.of(), steps, "nothing attacked");
        assertEquals(before, TestWorkspaces.snapshot(w.resolve("attacks")));

        AttackStage.Result r = stage.run(request(w, "fgsm", Map.of("eps", "0.1"), null, 4, null, true,
                Consent.ASK_FIRST), n -> { }, progress, Cancellation.NEVER);
        assertEquals(before, TestWorkspaces.snapshot(w.resolve("attacks")), "the workspace's sets as they were");
        assertTrue(r.folder().startsWith(w.toAbsolutePath().normalize().resolve("scratch")), r.folder().toString());
        assertEquals("predicted", r.labels());
        assertEquals("sample:mnist", r.dataset());
        assertEquals(10, r.images().size());
        assertTrue(steps.size() >= 3, "told after every batch of 4: " + steps);
        Dataset d = Workspace.open(w).dataset();
        int[] sources = AttackSetStore.load(r.folder()).manifest().sourceIndices();
        int size = d.shape().size();
        for (int j = 0; j < r.images().size(); j++) {
            assertArrayEquals(d.image(sources[j]), Arrays.copyOfRange(r.images().originals(), j * size,
                    (j + 1) * size), "the original of image " + j);
            assertTrue(r.images().linf()[j] <= 0.1 + 1e-6, "within ε: " + r.images().linf()[j]);
        }
    }

    /** A stored set reads back beside its sources: each original is the dataset image it was made from. */
    @Test
    void aStoredSetReadsBackWithItsOriginals() {
        AttackStage stage = new AttackStage(FieldNames.FORM);
        assertTrue(stage.stored(tmp, "fgsm", "test").isEmpty(), "no set in a folder without one");
        AttackStage.Result r = stage.stored(TestWorkspaces.DEMO, "fgsm", "test").orElseThrow();
        AttackStage.Images i = r.images();
        int size = i.shape().size();
        for (int j = 0; j < i.size(); j += 97) {
            double l2 = 0;
            for (int k = 0; k < size; k++) {
                double delta = i.adversarial()[j * size + k] - i.originals()[j * size + k];
                l2 += delta * delta;
            }
            // the manifest's distortion is measured from the source image: a misplaced original would not match it
            assertEquals(i.l2()[j], Math.sqrt(l2), 1e-4, "image " + j);
        }
        assertEquals(r.summary().count(), i.size());
        assertEquals("test", r.split());
    }

    /** One real MNIST test image attacked: F's class moves; an image of another shape is refused before F runs. */
    @Test
    void attackOneChangesFsPredictionOnARealImage() {
        Workspace w = Workspace.open(TestWorkspaces.DEMO);
        Dataset d = w.dataset();
        int src = w.split().test()[0];
        float[] image = d.image(src);
        NetworkClassifier f = w.classifier();
        int clean = AdaptiveAttack.predictions(f, Nd4j.create(image, d.shape().batch(1)))[0];
        assertEquals(d.labels()[src], clean, "F reads the clean image right");
        float[] adv = new AttackStage(FieldNames.FORM).attackOne(TestWorkspaces.DEMO, "deepfool", Map.of(), image,
                d.shape(), d.labels()[src]);
        assertNotEquals(clean, AdaptiveAttack.predictions(f, Nd4j.create(adv, d.shape().batch(1)))[0]);
        assertArrayEquals(d.image(src), image, "the source image is left as it was");

        UserException e = assertThrows(UserException.class, () -> new AttackStage(FieldNames.FORM).attackOne(
                TestWorkspaces.DEMO, "deepfool", Map.of(), new float[ImageShape.CIFAR10.size()], ImageShape.CIFAR10, 0));
        assertTrue(e.getMessage().startsWith("image of shape"), e.getMessage());
    }

    /**
     * Table 1's column follows the workspace's images, whatever its dataset is called: MNIST's for the MNIST demo,
     * CIFAR-10's for the CIFAR-10 demo (decided from F's manifest: its dataset is not on this machine), CIFAR-10's for
     * colour images in a folder whose name says nothing, MNIST's for a folder that holds no workspace yet.
     */
    @Test
    void theDefaultsFollowTheWorkspacesImages() throws Exception {
        AttackStage stage = new AttackStage(FieldNames.FORM);
        assertEquals("0.2", stage.defaults(TestWorkspaces.DEMO, "fgsm").get("epsilon"));
        assertEquals("0.025", stage.defaults(TestWorkspaces.DEMO_CIFAR10, "fgsm").get("epsilon"));
        Path data = Files.createDirectories(tmp.resolve("images"));
        for (String f : List.of("data_batch_1.bin.gz", "test_batch.bin.gz")) {
            Files.copy(Path.of("sample-data/cifar10").resolve(f), data.resolve(f));
        }
        Path colour = Files.createDirectories(tmp.resolve("study"));
        Files.writeString(colour.resolve(Workspace.CONFIG), "{\"dataset\":\"" + data.toAbsolutePath() + "\",\"seed\":1}");
        assertEquals("0.025", stage.defaults(colour, "fgsm").get("epsilon"));
        assertEquals(Map.of("epsilon", "0.2"), stage.defaults(tmp.resolve("empty"), "fgsm"));
        assertEquals(List.of("overshoot", "maxIterations"),
                List.copyOf(stage.defaults(TestWorkspaces.DEMO, "deepfool").keySet()), "in the record's order");
    }
}
