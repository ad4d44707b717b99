package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Json;
import org.multimagnet.data.Dataset;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.MemberThreshold;
import org.multimagnet.defense.DefenseFakes;
import org.multimagnet.cli.FakeDefenseWorkspace.Run;
import org.multimagnet.stage.WorkspaceModels;

/** {@code calibrate} and {@code deploy} in process, with the defense tests' fake models in place of files. */
class DefenseCommandsTest {
    @TempDir
    Path w;

    private final FakeDefenseWorkspace fake = new FakeDefenseWorkspace();
    private final Dataset dataset = fake.dataset;
    private final WorkspaceModels fakes = fake.models;

    @BeforeEach
    void attackSet() {
        fake.saveValidationSet(w);
    }

    private static Run run(Object command, String... args) {
        return Run.of(command, args);
    }

    private void calibrate() {
        Run r = run(new CalibrateCommand(fakes), "--workspace", w.toString(), "--attack", "fake", "--seed", "5");
        assertEquals(0, r.code(), r.err());
    }

    /** Writes unseen clean images (from the dataset's last 60) as raw float32 files, CHW little-endian. */
    private List<String> imageFiles(int count) throws Exception {
        List<String> files = new ArrayList<>();
        int size = DefenseFakes.SHAPE.size();
        for (int j = 0; j < count; j++) {
            ByteBuffer b = ByteBuffer.allocate(4 * size).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < size; p++) {
                b.putFloat(dataset.pixels()[(60 + j) * size + p]);
            }
            Path f = w.resolve("img-" + j + ".f32");
            Files.write(f, b.array());
            files.add(f.toString());
        }
        return files;
    }

    /**
     * The exported marks are every mark of V (both metrics, every T of the grid, every member), and both C_best's
     * thresholds follow from them by the paper's rule, recomputed here: the marks of V_leg sorted in descending
     * order, index round(t_fp·|V_leg|).
     */
    @Test
    void calibrateExportsEveryMarkAndTheThresholdsFollowFromThem() throws Exception {
        Path csv = w.resolve("marks.csv");
        Run r = run(new CalibrateCommand(fakes), "--workspace", w.toString(), "--attack", "fake", "--export-marks",
                csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("set,image,member,metric,T,mark", lines.get(0));
        int vLeg = org.multimagnet.data.Splits.paper(dataset).validation().length;
        assertEquals(12, vLeg);
        assertEquals((1 + 5) * 5 * (vLeg + 60), lines.size() - 1, "(RE + JSD at 5 T) x 5 members x |V|");
        for (String file : List.of("cbest.json", "cbest-magnet.json")) {
            CBest b = Json.readFile(w.resolve("calibration/fake").resolve(file), CBest.class);
            String metric = b.combination().metric().name();
            String t = b.combination().temperature() == null ? "" : b.combination().temperature().toString();
            for (MemberThreshold tau : b.thresholds()) {
                String member = Integer.toString(tau.id());
                double[] marks = lines.stream().skip(1).map(l -> l.split(",", -1))
                        .filter(c -> c[0].equals("vleg") && c[2].equals(member) && c[3].equals(metric)
                                && c[4].equals(t))
                        .mapToDouble(c -> Double.parseDouble(c[5])).sorted().toArray();
                assertEquals(vLeg, marks.length);
                int index = (int) Math.min(vLeg - 1, Math.floor(b.combination().falsePositiveRate() * vLeg + 0.5));
                assertEquals(marks[vLeg - 1 - index], tau.threshold(), file + " member " + member);
            }
        }
        Run folder = run(new CalibrateCommand(fakes), "--workspace", w.toString(), "--attack", "fake",
                "--export-marks", w.toString());
        assertEquals(2, folder.code());
        assertTrue(folder.error().getMessage().contains("--export-marks " + w), folder.error().getMessage());
    }

    @Test
    void calibratePrintsCBestAndWritesTheFiles() {
        Run r = run(new CalibrateCommand(fakes), "--workspace", w.toString(), "--attack", "fake", "--json");
        assertEquals(0, r.code(), r.err());
        CBest b = Json.mapper().convertValue(readJson(r.out()).get("multimagnet"), CBest.class);
        CBest magnet = Json.mapper().convertValue(readJson(r.out()).get("magnet"), CBest.class);
        assertEquals(List.of(1), magnet.combination().ensembleSizes(), "MagNet is calibrated on its own, n = 1");
        assertTrue(Files.isRegularFile(w.resolve("calibration/fake/cbest-magnet.json")));
        assertEquals("fake", b.attack());
        assertEquals(5, b.thresholds().size());
        assertTrue(Files.isRegularFile(w.resolve("calibration/fake/cbest.json")));
        assertTrue(Files.isRegularFile(w.resolve("calibration/fake/grid-results.json")));
        // no --seed: the seed is drawn (SeedOption) and recorded in C_best and in grid.json
        assertTrue(readFile(w.resolve("calibration/fake/grid.json")).contains("\"seed\" : " + b.seed()));
        assertEquals(List.of(3, 5), b.combination().ensembleSizes(), "the example grid keeps to n <= m = 5");
        Run text = run(new CalibrateCommand(fakes), "--workspace", w.toString(), "--attack", "fake", "--replace");
        assertTrue(text.out().contains("C_best of MultiMagNet") && text.out().contains("C_best of MagNet")
                && text.out().contains("forward passes"), text.out());
    }

    @Test
    void calibrateRefusesAGridWithEnsemblesLargerThanM() throws Exception {
        Path grid = w.resolve("c.json");
        Files.writeString(grid, "{\"falsePositiveRates\":[0.01],\"metrics\":[\"RE\"],\"approaches\":[\"MTA\"],"
                + "\"ensembleSizes\":[3,7],\"seed\":1}");
        String e = failure(new CalibrateCommand(fakes), "--workspace", w.toString(), "--attack", "fake",
                "--grid", grid.toString());
        assertTrue(e.contains("c.json") && e.contains("m = 5"), e);
    }

    @Test
    void calibrateWithoutVAtkNamesTheAttackCommand() {
        String e = failure(new CalibrateCommand(fakes), "--workspace", w.toString(), "--attack", "cw");
        assertTrue(e.contains("--attack cw --split validation"), e);
    }

    @Test
    void deployJsonVotesAgreeWithMarksAndSeedsReplay() throws Exception {
        calibrate();
        List<String> files = imageFiles(10);
        List<String> args = new ArrayList<>(List.of("--workspace", w.toString(), "--json", "--seed", "11",
                "--ensemble-size", "3"));
        args.addAll(files);
        Run r = run(new DeployCommand(fakes), args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        JsonNode array = readJson(r.out());
        assertEquals(10, array.size());
        int accepted = 0;
        for (JsonNode o : array) {
            JsonNode members = o.get("members");
            assertEquals(1, members.size() % 2, "odd ensembles");
            int leg = 0;
            for (JsonNode m : members) {
                boolean ok = m.get("mark").asDouble() <= m.get("threshold").asDouble();
                assertEquals(ok ? "legitimate" : "adversarial", m.get("vote").asText());
                leg += ok ? 1 : 0;
            }
            String verdict = o.get("verdict").asText();
            assertEquals(leg > members.size() - leg ? "legitimate" : "adversarial", verdict);
            assertTrue(o.has("reformedPrediction"), "present even when null");
            assertEquals(verdict.equals("legitimate"), !o.get("reformedPrediction").isNull());
            assertEquals(3, o.get("probabilities").size());
            assertTrue(o.has("prediction") && o.has("file"));
            accepted += verdict.equals("legitimate") ? 1 : 0;
        }
        assertTrue(accepted >= 8, accepted + " of 10 clean images accepted");
        assertEquals(r.out(), run(new DeployCommand(fakes), args.toArray(String[]::new)).out(), "same seed");
        args.set(4, "12");
        assertNotEquals(ensembles(array), ensembles(readJson(run(new DeployCommand(fakes),
                args.toArray(String[]::new)).out())), "another seed draws other ensembles");
    }

    @Test
    void deployWithoutSeedPrintsTheSeedItDrew() throws Exception {
        calibrate();
        Run r = run(new DeployCommand(fakes), "--workspace", w.toString(), imageFiles(1).get(0));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\\nseed: \\d+\\n.*"), r.out());
        assertTrue(r.out().contains("ae-0"), r.out());
    }

    @Test
    void deployRefusesEvenOrTooLargeEnsembles() throws Exception {
        calibrate();
        String img = imageFiles(1).get(0);
        String even = failure(new DeployCommand(fakes), "--workspace", w.toString(), "--ensemble-size", "4",
                img);
        assertTrue(even.contains("odd"), even);
        String big = failure(new DeployCommand(fakes), "--workspace", w.toString(), "--ensemble-size", "7",
                img);
        assertTrue(big.contains("m = 5"), big);
    }

    @Test
    void deployWithoutCalibrationNamesTheCalibrateCommand() throws Exception {
        String img = imageFiles(1).get(0);
        String e = failure(new DeployCommand(fakes), "--workspace", w.toString(), img);
        assertTrue(e.contains("calibrate"), e);
    }

    /** Runs a command that must fail with bad input (exit 2) and returns the message. */
    private String failure(Object command, String... args) {
        Run r = run(command, args);
        assertEquals(2, r.code(), "exit code; error: " + r.error());
        return r.error().getMessage();
    }

    private static List<String> ensembles(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode o : array) {
            StringBuilder sb = new StringBuilder();
            o.get("members").forEach(m -> sb.append(m.get("id").asInt()).append(','));
            out.add(sb.toString());
        }
        return out;
    }

    private static JsonNode readJson(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    private static String readFile(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
