package org.multimagnet.experiment;

import org.multimagnet.defense.DefenseKind;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.defense.ReformerSource;

class ReportWriterTest {

    private static Evaluation evaluation(DefenseKind d, double acc) {
        MeanStd a = new MeanStd(acc, 0.01, 40);
        return new Evaluation("sample:mnist", "fgsm", d.id(), ProtocolSettings.paper(d, 1), "t_fp=0.01 RE MTA",
                a, new MeanStd(0.99, 0.02, 40), new MeanStd(0.98, 0.03, 40),
                new Evaluation.Scenarios(new MeanStd(0.6, 0.05, 40), a, a, a, a), 0.2, Evaluation.DISCARD_RULE, List.of());
    }

    @Test
    void reportHoldsOurNumbersThePapersAndReadableCharts(@TempDir Path dir) throws Exception {
        StudyReport r = new StudyReport("sample:mnist", "70/10/20", "99.0% on Te", "2026-11-25T00:00:00Z", "40 × 100",
                Map.of("fgsm", new AttackSummary(2000, 20, 0, 1500, 0.99, 0.2, 0.76, 5.1, 5.2, 0.2, 1, 3, 600)),
                List.of(),
                List.of(evaluation(DefenseKind.MAGNET, 0.95), evaluation(DefenseKind.MULTIMAGNET, 0.97)),
                List.of(new ExactEvaluation("fgsm", "multimagnet", List.of(3, 5), 372, 0.9712, 0.99, 0.95, 0.9, new int[] {1, 2, 3},
                        0.99, new int[] {4, 5, 6}, 0.004, 0.012, 40, new DetectorMetrics(List.of(),
                        org.multimagnet.defense.Roc.of(new double[] {0.1, 0.2}, new double[] {0.8, 0.9})))),
                List.of(new MarkDistribution("fgsm", 1, "RE", 0.05, new double[] {0.01, 0.02, 0.03}, new double[] {0.2, 0.3})),
                List.of("sample of 10,000 digits"));
        List<String> files = new ReportWriter(PaperTables.load()).write(dir, r);
        assertEquals(List.of("report.md", "report.json", "accuracy-per-attack.png", "marks-fgsm.png"), files);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| MultiMagNet | fgsm | 97.00% ± 1.00 | 99.92% ± 0.26 |"), md);
        assertTrue(md.contains("| fgsm | 20.00% | 59.65% |"), md);
        // 97.12% against 97.00% ± 1.00 over 40 chunks: within 1.96 · 1.00 / √40 = 0.31
        assertTrue(md.contains("| MultiMagNet | fgsm | 97.00% ± 1.00 | 97.12% | yes | 90.00% [1, 2, 3] | 99.00% [4, 5, 6] "
                + "| 0.40 | 1.20 | 1.0000 ["), md);
        assertTrue(md.contains("detection rate") && md.contains(Evaluation.DISCARD_RULE));
        for (String png : List.of("accuracy-per-attack.png", "marks-fgsm.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertEquals(900, img.getWidth());
        }
        assertTrue(Files.readString(dir.resolve("report.json")).contains("\"accuracyAfter\" : 0.2"));
        // The paper's column headed NPV is its detection rate, the one headed PPV its acceptance rate.
        assertTrue(md.contains("| MultiMagNet | fgsm | 97.00% ± 1.00 | 99.92% ± 0.26 | 99.00% ± 2.00 | 100.00% ± 0.00 "
                + "| 98.00% ± 3.00 | 99.85% ± 0.51 |"), md);
        assertTrue(md.contains(ReportWriter.PAPER_COLUMNS), md);
        assertTrue(md.contains("fgsm leaves F at 20.00% on D_atk against the paper's 59.65% (Table 6)")
                && md.contains("A stronger attack"), md);
        // MagNet's 95% ± 1 against the paper's 99.90% ± 0.37 is more than one σ apart; MultiMagNet's 97% too
        assertTrue(md.contains("MagNet against fgsm: ACC 95.00% against the paper's 99.90%, 4.9 points apart"), md);
        assertTrue(md.contains(Evaluation.ACCEPTED_RULE) && md.contains("| 0 of 2000 |"), md);
        com.fasterxml.jackson.databind.JsonNode json = org.multimagnet.common.Json.mapper()
                .readTree(dir.resolve("report.json").toFile());
        com.fasterxml.jackson.databind.JsonNode magnet = json.get("detection").get(0);
        assertEquals("magnet", magnet.get("defense").asText());
        assertEquals(95.0, magnet.get("ours").get("acc").get(0).asDouble(), 1e-9);
        assertEquals(99.0, magnet.get("ours").get("detectionRate").get(0).asDouble(), 1e-9);
        assertEquals(98.0, magnet.get("ours").get("acceptanceRate").get(0).asDouble(), 1e-9);
        assertEquals(100.0, magnet.get("paper").get("detectionRate").get(0).asDouble(), 1e-9, "paper's NPV column");
        assertEquals(99.81, magnet.get("paper").get("acceptanceRate").get(0).asDouble(), 1e-9, "paper's PPV column");
    }

    @Test
    void paperDetectionColumnsAreReadAsTheirValuesShow() {
        PaperTables.Detection cw = PaperTables.load().detection("mnist", "magnet", "cw").orElseThrow();
        assertEquals(27.54, cw.detectionRate()[0]);
        assertEquals(94.84, cw.acceptanceRate()[0]);
    }

    /** A saved result as 'adaptive --save' writes it: two budgets. */
    private static String saved(String defense, String threat, String norm, double e1, double r1, double e2,
                                double r2) {
        return String.format(java.util.Locale.ROOT, """
                {"threat": "%s", "method": "all-members", "defense": "%s", "calibration": "JSD T=1", "norm": "%s",
                 "images": 200, "steps": 20, "lambda": 1.0, "lambdaSteps": 1, "seed": 1, "budgets": [
                  {"eps": %s, "threat": "%s", "robustAccuracy": [%s, %s, %s], "acceptance": [0.5, 0.4, 0.6],
                   "plainAccuracy": 0.25, "meanL2": 1.5, "maxLinf": 0.3},
                  {"eps": %s, "threat": "%s", "robustAccuracy": [%s, %s, %s], "acceptance": [0.7, 0.6, 0.8],
                   "plainAccuracy": 0.05, "meanL2": 2.5, "maxLinf": 0.5}]}
                """, threat, defense, norm, e1, threat, r1, r1 - 0.02, Math.min(1, r1 + 0.02), e2, threat, r2,
                r2 - 0.03, Math.min(1, r2 + 0.03));
    }

    /**
     * A workspace holding saved adaptive results: the report gains a section with one table row per run and budget
     * (L2 before L∞, MultiMagNet before MagNet, oblivious before white-box), the data in report.json, and the chart
     * drawn headless as a PNG beside the report.
     */
    @Test
    void savedAdaptiveResultsMakeASectionWithItsChart(@TempDir Path dir) throws Exception {
        assertTrue(java.awt.GraphicsEnvironment.isHeadless(), "the chart must draw without a display");
        Path ws = dir.resolve("ws");
        Files.createDirectories(ws.resolve("evaluations"));
        Files.writeString(ws.resolve("evaluations/adaptive-multimagnet-whitebox-all-members-l2.json"),
                saved("multimagnet", "whitebox", "l2", 1, 0.9, 3, 0.3));
        Files.writeString(ws.resolve("evaluations/adaptive-magnet-whitebox-all-members-l2.json"),
                saved("magnet", "whitebox", "l2", 1, 0.8, 3, 0.2));
        Files.writeString(ws.resolve("evaluations/adaptive-multimagnet-oblivious-all-members-l2.json"),
                saved("multimagnet", "oblivious", "l2", 1, 0.99, 3, 0.98));
        Files.writeString(ws.resolve("evaluations/adaptive-magnet-whitebox-all-members-linf.json"),
                saved("magnet", "whitebox", "linf", 0.1, 0.95, 0.3, 0.75));
        Files.writeString(ws.resolve("evaluations/fgsm-magnet.json"), "{}"); // not an adaptive result: not read
        List<AdaptiveResults> adaptive = AdaptiveResults.load(ws);
        assertEquals(4, adaptive.size());

        StudyReport r = new StudyReport("sample:mnist", "70/10/20", "99.0% on Te", "2026-11-25T00:00:00Z", "40 × 100",
                Map.of(), List.of(), List.of(evaluation(DefenseKind.MULTIMAGNET, 0.97)), List.of(), List.of(),
                List.of(), adaptive);
        Path out = dir.resolve("report");
        List<String> files = new ReportWriter(PaperTables.load()).write(out, r);
        assertTrue(files.contains("adaptive-robust-accuracy.png"), files.toString());
        String md = Files.readString(out.resolve("report.md"));
        int section = md.indexOf("## Adaptive attacks");
        assertTrue(section > 0, md);
        String[] rows = md.substring(section).lines().filter(l -> l.startsWith("| L")).toArray(String[]::new);
        assertEquals(8, rows.length, md);
        assertEquals("| L2 | 1 | MultiMagNet | oblivious | all-members | 99.00% [97.00, 100.00] | 50.00% | 25.00% "
                + "| 1.500 | 200 | 20 | — |", rows[0]);
        assertEquals("| L2 | 1 | MultiMagNet | whitebox | all-members | 90.00% [88.00, 92.00] | 50.00% | 25.00% "
                + "| 1.500 | 200 | 20 | 1 |", rows[1]);
        assertTrue(rows[2].startsWith("| L2 | 1 | MagNet | whitebox | all-members | 80.00% ["), rows[2]);
        assertTrue(rows[3].startsWith("| L2 | 3 | MultiMagNet | oblivious |"), rows[3]);
        assertTrue(rows[6].startsWith("| L∞ | 0.1 | MagNet | whitebox | all-members | 95.00% ["), rows[6]);
        assertTrue(md.substring(section).contains("![adaptive-robust-accuracy.png](adaptive-robust-accuracy.png)"));
        assertEquals(1, md.split("adaptive-robust-accuracy.png\\)", -1).length - 1, "the chart is shown once");
        BufferedImage img = ImageIO.read(out.resolve("adaptive-robust-accuracy.png").toFile());
        assertEquals(900, img.getWidth());
        assertEquals(520, img.getHeight());
        // not a blank picture: the two panels draw lines in the defenses' colours
        int blue = 0;
        int red = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                java.awt.Color c = new java.awt.Color(img.getRGB(x, y));
                blue += c.getBlue() > 150 && c.getRed() < 80 ? 1 : 0;
                red += c.getRed() > 150 && c.getBlue() < 80 && c.getGreen() < 100 ? 1 : 0;
            }
        }
        assertTrue(blue > 100 && red > 100, "blue " + blue + ", red " + red);
        com.fasterxml.jackson.databind.JsonNode json = org.multimagnet.common.Json.mapper()
                .readTree(out.resolve("report.json").toFile());
        com.fasterxml.jackson.databind.JsonNode first = json.get("adaptive").get(0);
        assertEquals("adaptive-magnet-whitebox-all-members-l2.json", first.get("file").asText());
        assertEquals(0.2, first.get("budgets").get(1).get("robustAccuracy").get(0).asDouble(), 1e-12);
        assertEquals(3.0, first.get("budgets").get(1).get("eps").asDouble(), 1e-12);
        // the report reader draws the section's table as a table
        assertTrue(ReportMarkdown.parse(md).stream().anyMatch(b -> b instanceof ReportMarkdown.Table t
                && t.header().get(0).equals("Norm") && t.rows().size() == 8));

        // rewriting only the section of a report written without it gives the report written with it
        Path plain = ws.resolve("report");
        StudyReport without = new StudyReport(r.dataset(), r.splitRule(), r.classifier(), r.createdAt(), r.settings(),
                r.attacks(), r.calibrations(), r.evaluations(), r.exact(), r.distributions(), r.notes());
        new ReportWriter(PaperTables.load()).write(plain, without);
        String before = Files.readString(plain.resolve("report.md"));
        assertEquals(List.of("report.md", "report.json", "adaptive-robust-accuracy.png"),
                new ReportWriter(PaperTables.load()).rewriteAdaptive(ws, plain, adaptive));
        assertEquals(md, Files.readString(plain.resolve("report.md")));
        assertArrayEquals(Files.readAllBytes(out.resolve("adaptive-robust-accuracy.png")),
                Files.readAllBytes(plain.resolve("adaptive-robust-accuracy.png")));
        assertEquals(json.get("adaptive"), org.multimagnet.common.Json.mapper()
                .readTree(plain.resolve("report.json").toFile()).get("adaptive"));
        new ReportWriter(PaperTables.load()).rewriteAdaptive(ws, plain, adaptive);
        assertEquals(md, Files.readString(plain.resolve("report.md")), "a second rewrite changes nothing");
        new ReportWriter(PaperTables.load()).rewriteAdaptive(ws, plain, List.of());
        assertEquals(before, Files.readString(plain.resolve("report.md")), "no results: the section goes");

        Files.writeString(ws.resolve("evaluations/adaptive-broken.json"), "{\"defense\": \"both\"}");
        org.multimagnet.common.UserException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.multimagnet.common.UserException.class, () -> AdaptiveResults.load(ws));
        assertTrue(e.getMessage().contains("adaptive-broken.json"), e.getMessage());
    }
}
