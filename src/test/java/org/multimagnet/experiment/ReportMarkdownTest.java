package org.multimagnet.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportMarkdownTest {
    @Test
    void tablesHeadingsBulletsAndChartsAreBlocks() {
        List<ReportMarkdown.Block> b = ReportMarkdown.parse("""
                # Study

                - Split: **Tr 7000**
                Some text
                that goes on.

                | defense | ACC |
                |---|---|
                | MagNet | 99.75 ± 0.49 |
                | MultiMagNet | 99.85 |

                ![accuracy](accuracy-per-attack.png)
                """);
        assertEquals(new ReportMarkdown.Heading(1, "Study"), b.get(0));
        assertEquals(new ReportMarkdown.Bullet("Split: Tr 7000"), b.get(1));
        assertEquals(new ReportMarkdown.Paragraph("Some text that goes on."), b.get(2));
        ReportMarkdown.Table t = (ReportMarkdown.Table) b.get(3);
        assertEquals(List.of("defense", "ACC"), t.header());
        assertEquals(List.of(List.of("MagNet", "99.75 ± 0.49"), List.of("MultiMagNet", "99.85")), t.rows());
        assertEquals(new ReportMarkdown.Image("accuracy", "accuracy-per-attack.png"), b.get(4));
        assertEquals(5, b.size());
    }

    @Test
    void theDemoReportHasItsTablesAndItsCharts() throws Exception {
        Path md = Path.of("workspaces/demo-mnist/report/report.md");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(md), "no demo report");
        List<ReportMarkdown.Block> b = ReportMarkdown.parse(Files.readString(md));
        long tables = b.stream().filter(x -> x instanceof ReportMarkdown.Table).count();
        List<ReportMarkdown.Image> charts = b.stream().filter(x -> x instanceof ReportMarkdown.Image)
                .map(ReportMarkdown.Image.class::cast).toList();
        assertTrue(tables >= 4, tables + " tables");
        assertEquals(6, charts.size()); // accuracy per attack, four mark charts, the adaptive attacks against ε
        assertTrue(charts.stream().anyMatch(c -> c.file().equals("adaptive-robust-accuracy.png")), charts.toString());
        for (ReportMarkdown.Image c : charts) {
            assertTrue(Files.isRegularFile(md.resolveSibling(c.file())), c.file());
        }
    }
}
