package org.multimagnet.cli;

import org.multimagnet.ChunkStatistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Json;

/**
 * What the committed demo workspace must show: {@code evaluate} for FGSM with both defenses, 40 chunks of
 * 100; the ACC, PPV and NPV it prints equal a recomputation from its {@code --export-marks} file, done here from
 * the CSV alone (each member's vote from mark ≤ threshold, the majority, the confusion matrix of each chunk).
 */
class EvaluateDemoTest {
    @ParameterizedTest
    @ValueSource(strings = {"magnet", "multimagnet"})
    void printedScoresEqualARecomputationFromTheExportedMarks(String defense, @TempDir Path tmp) throws Exception {
        // evaluate writes W/evaluations/: work on a copy so that the committed demo stays as it is
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Path csv = tmp.resolve("marks.csv");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate", "--replace", "--workspace", ws.toString(),
                "--attack", "fgsm", "--defense", defense, "--chunks", "40", "--chunk-size", "100", "--seed", "3",
                "--json", "--exact", "--export-marks", csv.toString());
        assertEquals(0, code, err.toString());
        JsonNode printed = Json.mapper().readTree(out.toString());
        // the exact expectation over every draw agrees with the 40-chunk Monte-Carlo mean within its 95% interval
        JsonNode exact = printed.get("exact");
        double mean = printed.get("accuracy").get("mean").asDouble();
        double half = 1.96 * printed.get("accuracy").get("std").asDouble() / Math.sqrt(40);
        double expected = exact.get("expectedAccuracy").asDouble();
        assertTrue(Math.abs(expected - mean) <= half + 1e-12, "exact " + expected + ", chunks " + mean + " ± " + half);
        assertTrue(exact.get("monteCarloWithin95").asBoolean());
        assertTrue(exact.get("worstAccuracy").asDouble() <= expected && expected <= exact.get("bestAccuracy").asDouble(),
                exact.toString());
        assertEquals(defense.equals("magnet") ? 10 : 502, exact.get("ensembles").asInt(), exact.toString());
        // each member calibrated at t_fp on V_leg: its false-positive rate on D_leg is of that order, and FGSM's
        // images are far from the manifold, so every member separates them well
        JsonNode detectors = exact.get("detector").get("members");
        assertEquals(10, detectors.size());
        for (JsonNode m : detectors) {
            assertTrue(m.get("fpr").get(0).asDouble() < 0.05 && m.get("auc").get(0).asDouble() > 0.9, m.toString());
        }

        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.get(0).startsWith("chunk,image,truth,member,mark,threshold,vote,verdict"));
        Map<Integer, Map<Integer, List<String[]>>> byChunk = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            byChunk.computeIfAbsent(Integer.parseInt(f[0]), k -> new LinkedHashMap<>())
                    .computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(f);
        }
        assertEquals(40, byChunk.size());
        double[] acc = new double[40], ppv = new double[40], npv = new double[40];
        for (Map.Entry<Integer, Map<Integer, List<String[]>>> chunk : byChunk.entrySet()) {
            assertEquals(100, chunk.getValue().size());
            long tn = 0, fn = 0, fp = 0, tp = 0;
            Set<Integer> sizes = new LinkedHashSet<>();
            for (List<String[]> members : chunk.getValue().values()) {
                int qLeg = 0;
                for (String[] f : members) {
                    boolean legitimateVote = Double.parseDouble(f[4]) <= Double.parseDouble(f[5]);
                    assertEquals(legitimateVote ? "legitimate" : "adversarial", f[6], "vote = mark ≤ threshold");
                    qLeg += legitimateVote ? 1 : 0;
                }
                sizes.add(members.size());
                boolean accepted = qLeg > members.size() - qLeg;
                assertEquals(accepted ? "legitimate" : "adversarial", members.get(0)[7], "verdict = majority");
                boolean adversarial = members.get(0)[2].equals("adversarial");
                if (adversarial) {
                    if (accepted) fn++; else tn++;
                } else if (accepted) {
                    tp++;
                } else {
                    fp++;
                }
            }
            assertEquals(1, sizes.size(), "one ensemble per chunk");
            int n = sizes.iterator().next();
            assertTrue(defense.equals("magnet") ? n == 1 : Set.of(3, 5, 7, 9).contains(n), "n = " + n);
            int c = chunk.getKey();
            acc[c] = (double) (tn + tp) / 100;
            ppv[c] = tn + fn == 0 ? Double.NaN : (double) tn / (tn + fn);
            npv[c] = tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
        }
        ChunkStatistics.assertMeanStd(acc, printed.get("accuracy"), 1e-9, "accuracy");
        ChunkStatistics.assertMeanStd(ppv, printed.get("ppv"), 1e-9, "ppv");
        ChunkStatistics.assertMeanStd(npv, printed.get("npv"), 1e-9, "npv");
        if (defense.equals("multimagnet")) {
            assertTrue(printed.get("accuracy").get("mean").asDouble() >= 0.95,
                    "MultiMagNet's mean ACC on FGSM: " + printed.get("accuracy"));
        }
    }
}
