package org.multimagnet.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.ReplacementRefused;

/** The adaptive stage called directly: its checks, its consent, and the one-image attack against a set's. */
class AdaptiveStageTest {
    @TempDir
    Path tmp;

    /** A request with the command line's defaults, varied by the test. */
    private record R(Path workspace, String defense, String threat, Path attackerWorkspace, String method, int draws,
                     String norm, List<Double> eps, int count, int steps, double lambda, int lambdaSteps, Path records,
                     boolean save, Consent consent) {
        static R of(Path workspace) {
            return new R(workspace, "multimagnet", "whitebox", null, "all-members", AdaptiveStage.DEFAULT_DRAWS, "l2",
                    List.of(2.0), 2, 2, AdaptiveStage.DEFAULT_LAMBDA, 1, null, false, Consent.ASK_FIRST);
        }

        R with(String field, Object value) {
            return switch (field) {
                case "defense" -> new R(workspace, (String) value, threat, attackerWorkspace, method, draws, norm, eps,
                        count, steps, lambda, lambdaSteps, records, save, consent);
                case "threat" -> new R(workspace, defense, (String) value, attackerWorkspace, method, draws, norm, eps,
                        count, steps, lambda, lambdaSteps, records, save, consent);
                case "attacker-workspace" -> new R(workspace, defense, threat, (Path) value, method, draws, norm, eps,
                        count, steps, lambda, lambdaSteps, records, save, consent);
                case "method" -> new R(workspace, defense, threat, attackerWorkspace, (String) value, draws, norm, eps,
                        count, steps, lambda, lambdaSteps, records, save, consent);
                case "draws" -> new R(workspace, defense, threat, attackerWorkspace, method, (Integer) value, norm, eps,
                        count, steps, lambda, lambdaSteps, records, save, consent);
                case "norm" -> new R(workspace, defense, threat, attackerWorkspace, method, draws, (String) value, eps,
                        count, steps, lambda, lambdaSteps, records, save, consent);
                case "eps" -> new R(workspace, defense, threat, attackerWorkspace, method, draws, norm,
                        List.of((Double) value), count, steps, lambda, lambdaSteps, records, save, consent);
                case "count" -> new R(workspace, defense, threat, attackerWorkspace, method, draws, norm, eps,
                        (Integer) value, steps, lambda, lambdaSteps, records, save, consent);
                case "steps" -> new R(workspace, defense, threat, attackerWorkspace, method, draws, norm, eps, count,
                        (Integer) value, lambda, lambdaSteps, records, save, consent);
                case "lambda" -> new R(workspace, defense, threat, attackerWorkspace, method, draws, norm, eps, count,
                        steps, (Double) value, lambdaSteps, records, save, consent);
                case "lambda-steps" -> new R(workspace, defense, threat, attackerWorkspace, method, draws, norm, eps,
                        count, steps, lambda, (Integer) value, records, save, consent);
                case "records" -> new R(workspace, defense, threat, attackerWorkspace, method, draws, norm, eps, count,
                        steps, lambda, lambdaSteps, (Path) value, save, consent);
                default -> throw new IllegalArgumentException(field);
            };
        }

        AdaptiveStage.Request request() {
            return new AdaptiveStage.Request(workspace, defense, null, threat, attackerWorkspace, method, draws, norm,
                    eps, count, steps, lambda, lambdaSteps, 1, records, save, consent);
        }
    }

    /**
     * Each bad setting is named, in the face's words, before any model is read: the folder holds no workspace, so
     * an error about anything else would mean the stage looked there first.
     */
    @Test
    void aBadSettingIsNamedBeforeAnyModelLoads() throws Exception {
        R ok = R.of(tmp.resolve("no-workspace"));
        Path existing = Files.writeString(tmp.resolve("records.jsonl"), "kept\n");
        List<Object[]> cases = List.of(
                new Object[] {ok.with("defense", "both"), "--defense both: expected magnet or multimagnet",
                    "defense both: expected magnet or multimagnet"},
                new Object[] {ok.with("threat", "blackbox"), "--threat blackbox: expected", "threat blackbox"},
                new Object[] {ok.with("method", "sampled"), "--method sampled: expected", "method sampled"},
                new Object[] {ok.with("norm", "l1"), "--norm l1: expected linf or l2", "norm l1"},
                new Object[] {ok.with("eps", -0.1), "--eps -0.1: expected a budget > 0", "ε -0.1"},
                new Object[] {ok.with("count", 0), "--count must be at least 1, got 0", "count must"},
                new Object[] {ok.with("steps", 0), "--steps must be at least 1, got 0", "steps must"},
                new Object[] {ok.with("lambda", -1.0), "--lambda must be at least 0", "λ must"},
                new Object[] {ok.with("lambda-steps", 21), "--lambda-steps 21: expected 1 to 20", "λ rounds 21"},
                new Object[] {ok.with("lambda-steps", 3).with("threat", "oblivious"), "--lambda-steps 3: the search",
                    "λ rounds 3"},
                new Object[] {ok.with("draws", 0), "--draws 0: expected at least 1", "draws 0"},
                new Object[] {ok.with("threat", "oblivious").with("method", "eot"), "--method eot: the oblivious",
                    "method eot"},
                new Object[] {ok.with("threat", "graybox"), "--threat graybox: needs --attacker-workspace",
                    "threat graybox: needs attacker's workspace"},
                new Object[] {ok.with("attacker-workspace", tmp), "--attacker-workspace " + tmp + ": only with",
                    "attacker's workspace " + tmp},
                new Object[] {ok.with("records", tmp), "--records " + tmp + ": is a folder", "records " + tmp},
                new Object[] {ok.with("records", existing), "--records " + existing + ": exists; expected a new file "
                    + "(or --replace)", "records " + existing + ": exists; expected a new file (or replace)"});
        AdaptiveStage cli = new AdaptiveStage(FieldNames.OPTIONS);
        AdaptiveStage form = new AdaptiveStage(FieldNames.FORM);
        for (Object[] c : cases) {
            AdaptiveStage.Request r = ((R) c[0]).request();
            UserException e = assertThrows(UserException.class, () -> cli.prepare(r, n -> { }, Cancellation.NEVER));
            assertTrue(e.getMessage().startsWith((String) c[1]), e.getMessage());
            UserException f = assertThrows(UserException.class, () -> form.prepare(r, n -> { }, Cancellation.NEVER));
            assertTrue(f.getMessage().startsWith((String) c[2]), f.getMessage());
        }
        assertEquals("kept\n", Files.readString(existing));
        // the one-image attack checks the same way
        UserException one = assertThrows(UserException.class, () -> form.attackOne(AdaptiveStage.Request.oneImage(
                ok.workspace(), "multimagnet", "all-members", "l2", 0, 5, 8, 1), new float[784],
                org.multimagnet.data.ImageShape.MNIST, -1, ProgressListener.NONE, Cancellation.NEVER));
        assertEquals("ε 0.0: expected a budget > 0", one.getMessage());
    }

    /**
     * Saved results are not replaced without consent: refused before the attack (nothing drawn, nothing attacked),
     * the file byte for byte as it was.
     */
    @Test
    void savedResultsNeedConsentBeforeAnyWork() throws Exception {
        Path w = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Path saved = w.resolve("evaluations/adaptive-multimagnet-whitebox-all-members-l2.json");
        byte[] before = Files.readAllBytes(saved);
        R save = new R(w, "multimagnet", "whitebox", null, "all-members", 8, "l2", List.of(1.0), 2, 1, 1, 1, null,
                true, Consent.ASK_FIRST);
        List<String> notes = new ArrayList<>();
        ReplacementRefused e = assertThrows(ReplacementRefused.class, () -> new AdaptiveStage(FieldNames.OPTIONS)
                .prepare(save.request(), notes::add, Cancellation.NEVER));
        assertEquals("evaluations/adaptive-multimagnet-whitebox-all-members-l2", e.artifact().id());
        assertArrayEquals(before, Files.readAllBytes(saved));
    }

    /**
     * The workbench's one-image attack is the command line's attack on that image: a set of one test image, with
     * the same settings and seed, ends at the same distortion and scores the same acceptance, verdict and F's class
     * as the one image attacked alone (the distortion would differ with another λ, step size or draw).
     */
    @Test
    void theOneImageAttackIsTheSetsAttackOnThatImage() throws Exception {
        Path records = tmp.resolve("one.jsonl");
        AdaptiveStage stage = new AdaptiveStage(FieldNames.OPTIONS);
        AdaptiveStage.Plan plan = stage.prepare(new AdaptiveStage.Request(TestWorkspaces.DEMO, "magnet", null,
                "whitebox", null, "all-members", AdaptiveStage.DEFAULT_DRAWS, "l2", List.of(2.0), 1, 4,
                AdaptiveStage.DEFAULT_LAMBDA, 1, 5, records, false, Consent.ASK_FIRST), n -> { }, Cancellation.NEVER);
        assertEquals(1, plan.images());
        assertEquals("magnet", plan.defense().id());
        List<AdaptiveStage.Budget> budgets = new ArrayList<>();
        AdaptiveStage.Result set = stage.run(plan, e -> ProgressListener.NONE, budgets::add, Cancellation.NEVER);
        assertEquals(1, set.written());
        JsonNode rec = Json.mapper().readTree(Files.readAllLines(records).get(0));
        int source = rec.get("sourceIndex").asInt();
        var w = org.multimagnet.workspace.Workspace.open(TestWorkspaces.DEMO);
        var d = w.dataset();

        List<Long> steps = new ArrayList<>();
        AdaptiveStage.One one = new AdaptiveStage(FieldNames.FORM).attackOne(AdaptiveStage.Request.oneImage(
                TestWorkspaces.DEMO, "magnet", "all-members", "l2", 2.0, 4, AdaptiveStage.DEFAULT_DRAWS, 5),
                d.image(source), d.shape(), d.labels()[source], (done, total, m) -> steps.add(done),
                Cancellation.NEVER);
        assertTrue(steps.size() >= 4, "progress step by step: " + steps);
        assertTrue(one.l2() <= 2.0 + 1e-4, "within ε: " + one.l2());
        assertEquals(List.of(1), one.sizes(), "MagNet draws one member");
        assertEquals(rec.get("prediction").asInt(), one.after());
        assertEquals(budgets.get(0).evaluation().meanL2(), one.l2(), 1e-4);
        assertEquals(budgets.get(0).evaluation().maxLinf(), one.linf(), 1e-5);
        assertEquals(budgets.get(0).evaluation().acceptance()[0], one.accepted(), 1e-12);
        assertEquals(budgets.get(0).evaluation().robustAccuracy()[0], one.defended(), 1e-12);
        assertTrue(one.attacked().contains("white-box all-members, L2 ε 2.0, 4 steps"), one.attacked());
    }
}
