package org.multimagnet.experiment;

import org.multimagnet.defense.DefenseKind;
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
}
