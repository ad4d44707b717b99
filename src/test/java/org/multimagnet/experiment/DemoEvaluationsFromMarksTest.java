package org.multimagnet.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.multimagnet.ChunkStatistics;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Json;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.workspace.CalibrationStore;

/**
 * Every committed evaluation of the demo workspaces (MNIST: 40 chunks of 100, CIFAR-10: as many chunks of 100 as its
 * sets allow; every attack evaluated, both defenses) is recomputed
 * here from its {@code evaluate --export-marks} CSV alone, with none of the program's protocol code: each member's
 * vote from its mark and threshold, each threshold from C_best (and the minimum over the drawn members under
 * minTA), the majority verdict, the confusion matrix of every chunk (Eq. 8), ACC, detection and acceptance rates
 * (Eq. 9) and F's accuracy under both scorings of Table 5, then μ and σ over the chunks.
 */
class DemoEvaluationsFromMarksTest {

    private record Row(int chunk, int image, boolean adversarial, int member, double mark, double threshold,
                       boolean vote, boolean verdict, int n, int label, int prediction, int reformedPrediction) {
    }

    static Stream<Arguments> evaluations() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Path ws : List.of(TestWorkspaces.DEMO, TestWorkspaces.DEMO_CIFAR10)) {
            try (Stream<Path> files = Files.list(ws.resolve("evaluations"))) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.matches("[a-z]+-(magnet|multimagnet)\\.json"))
                        .sorted().forEach(f -> {
                            String[] p = f.replace(".json", "").split("-");
                            out.add(Arguments.of(ws, p[0], p[1]));
                        });
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("evaluations")
    void evaluationFollowsFromItsMarks(Path workspace, String attack, String defense) throws IOException {
        Path dir = workspace.resolve("evaluations");
        JsonNode e = Json.mapper().readTree(dir.resolve(attack + "-" + defense + ".json").toFile());
        int chunks = e.get("settings").get("chunks").asInt();
        int chunkSize = e.get("settings").get("chunkSize").asInt();
        DefenseKind kind = DefenseKind.parse(defense);
        CBest cBest = new CalibrationStore(workspace).readCBest(attack, kind).orElseThrow();
        assertEquals(cBest.combination().toString(), e.get("calibration").asText(), "evaluated with its own C_best");
        List<Row> rows = read(dir.resolve(attack + "-" + defense + "-marks.csv"));

        Map<Integer, Map<Integer, List<Row>>> byChunk = new TreeMap<>();
        for (Row r : rows) {
            byChunk.computeIfAbsent(r.chunk(), c -> new TreeMap<>()).computeIfAbsent(r.image(), i -> new ArrayList<>())
                    .add(r);
        }
        assertEquals(chunks, byChunk.size(), "chunks");
        Set<Integer> seen = new HashSet<>();
        double[] acc = new double[chunks], detection = new double[chunks], acceptance = new double[chunks];
        double[] plain = new double[chunks], detector = new double[chunks], reformer = new double[chunks];
        double[] detectorAccepted = new double[chunks], reformerAccepted = new double[chunks];
        int c = 0;
        for (Map<Integer, List<Row>> chunk : byChunk.values()) {
            assertEquals(chunkSize, chunk.size(), "images a chunk");
            long tn = 0, fn = 0, fp = 0, tp = 0;
            int okPlain = 0, okDetector = 0, okReformer = 0, accepted = 0, okAccepted = 0, okReformed = 0;
            for (Map.Entry<Integer, List<Row>> image : chunk.entrySet()) {
                assertTrue(seen.add(image.getKey()), "image " + image.getKey() + " in one chunk only");
                List<Row> votes = image.getValue();
                Row first = votes.get(0);
                assertEquals(first.n(), votes.size(), "one row per drawn member");
                assertTrue(kind == DefenseKind.MAGNET ? first.n() == 1 : cBest.combination().ensembleSizes()
                        .contains(first.n()), "n = " + first.n());
                double minTau = votes.stream().mapToDouble(v -> cBest.thresholdOf(v.member())).min().orElseThrow();
                int qLeg = 0;
                for (Row v : votes) {
                    double tau = cBest.combination().approach() == ThresholdApproach.MIN_TA ? minTau
                            : cBest.thresholdOf(v.member());
                    assertEquals(tau, v.threshold(), "threshold of member " + v.member());
                    boolean legitimate = v.mark() <= v.threshold();
                    assertEquals(legitimate, v.vote(), "vote of member " + v.member() + " on image " + v.image());
                    qLeg += legitimate ? 1 : 0;
                }
                boolean legit = qLeg > first.n() - qLeg;
                assertEquals(legit, first.verdict(), "majority vote on image " + first.image());
                boolean right = first.prediction() == first.label();
                boolean reformedRight = first.reformedPrediction() == first.label();
                if (first.adversarial()) {
                    tn += legit ? 0 : 1;
                    fn += legit ? 1 : 0;
                } else {
                    tp += legit ? 1 : 0;
                    fp += legit ? 0 : 1;
                }
                okPlain += right ? 1 : 0;
                okDetector += legit ? (right ? 1 : 0) : (first.adversarial() ? 1 : 0);
                okReformer += legit ? (reformedRight ? 1 : 0) : (first.adversarial() ? 1 : 0);
                if (legit) {
                    accepted++;
                    okAccepted += right ? 1 : 0;
                    okReformed += reformedRight ? 1 : 0;
                }
            }
            acc[c] = (tn + tp) / (double) chunkSize;
            detection[c] = tn + fn == 0 ? Double.NaN : (double) tn / (tn + fn);
            acceptance[c] = tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
            plain[c] = okPlain / (double) chunkSize;
            detector[c] = okDetector / (double) chunkSize;
            reformer[c] = okReformer / (double) chunkSize;
            detectorAccepted[c] = accepted == 0 ? Double.NaN : (double) okAccepted / accepted;
            reformerAccepted[c] = accepted == 0 ? Double.NaN : (double) okReformed / accepted;
            c++;
        }
        assertEquals(chunks * chunkSize, seen.size(), "every image of the chunks once");
        assertTrue(chunks * chunkSize <= e.get("imageCount").asInt(), "chunks drawn from D");
        check(acc, e.get("accuracy"), "ACC");
        check(detection, e.get("ppv"), "detection rate");
        check(acceptance, e.get("npv"), "acceptance rate");
        JsonNode s = e.get("scenarios");
        check(plain, s.get("noDefense"), "no defense");
        check(detector, s.get("detector"), "detector, over all images");
        check(reformer, s.get("withReformer"), "reformer, over all images");
        check(detectorAccepted, s.get("detectorAccepted"), "detector, over accepted images");
        check(reformerAccepted, s.get("withReformerAccepted"), "reformer, over accepted images");
    }

    private static void check(double[] values, JsonNode recorded, String what) {
        ChunkStatistics.assertMeanStd(values, recorded, 1e-12, what);
    }

    private static List<Row> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        assertEquals("chunk,image,truth,member,mark,threshold,vote,verdict,ensembleSize,label,prediction,reformer,"
                + "reformedPrediction", lines.get(0));
        List<Row> rows = new ArrayList<>(lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            rows.add(new Row(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2].equals("adversarial"),
                    Integer.parseInt(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    f[6].equals("legitimate"), f[7].equals("legitimate"), Integer.parseInt(f[8]),
                    Integer.parseInt(f[9]), Integer.parseInt(f[10]), Integer.parseInt(f[12])));
        }
        return rows;
    }
}
