package org.multimagnet.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PaperTablesTest {

    @Test
    void tablesHoldEveryRowOfThePaper() {
        PaperTables t = PaperTables.load();
        assertEquals(16, t.detection().size());
        assertEquals(8, t.scenarios().size());
        assertEquals(8, t.attackAccuracy().size());
        assertEquals(99.92, t.detection("sample:mnist", "multimagnet", "fgsm").orElseThrow().acc()[0], 1e-9);
        assertEquals(5.00, t.attackAccuracy("CIFAR-10", "cw").orElseThrow(), 1e-9);
        assertTrue(t.scenarios("fashion-mnist", "fgsm").isEmpty(), "the paper has no Fashion-MNIST rows");
    }

    @Test
    void meanAndPopulationStdSkipUndefinedChunks() {
        MeanStd s = MeanStd.of(new double[] {1.0, 0.5, Double.NaN, 0.0});
        assertEquals(0.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt((0.25 + 0 + 0.25) / 3), s.std(), 1e-12);
        assertEquals(3, s.count());
        assertEquals("50.00% ± 40.82", s.percent());
    }
}
