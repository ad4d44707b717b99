package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.DatasetSources;
import org.multimagnet.data.Splits;

/**
 * The demo workspace's attack sets are the paper's full-size study: D_atk made from 2,000 images of Te, V_atk from
 * all 1,000 of V_leg, every image attacked; each set's {@code unchanged} count is recounted here against the dataset.
 */
class DemoAttackSetsTest {
    private static Dataset mnist;

    @BeforeAll
    static void load() {
        mnist = DatasetSources.load("sample:mnist");
    }

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"fgsm, test", "fgsm, validation", "bim, test", "bim, validation", "deepfool, test",
            "deepfool, validation", "cw, test", "cw, validation"})
    void everyImageIsAttackedAndTheUnchangedCountIsTrue(String attack, String split) {
        AttackSet set = AttackSetStore.load(AttackSetStore.folder(TestWorkspaces.DEMO, attack, split));
        int[] source = set.manifest().sourceIndices();
        int[] expected = split.equals("test") ? Splits.paper(mnist).test() : Splits.paper(mnist).validation();
        assertEquals(split.equals("test") ? 2000 : 1000, source.length);
        int[] sorted = source.clone();
        Arrays.sort(sorted);
        int[] all = expected.clone();
        Arrays.sort(all);
        assertTrue(Arrays.equals(sorted, all), "the set is made from all of " + (split.equals("test") ? "Te" : "V_leg"));
        int d = mnist.shape().size();
        int unchanged = 0;
        for (int j = 0; j < source.length; j++) {
            if (Arrays.equals(set.images(), j * d, (j + 1) * d, mnist.pixels(), source[j] * d, (source[j] + 1) * d)) {
                unchanged++;
            }
            assertEquals(mnist.labels()[source[j]], set.labels()[j], "true labels kept, image " + j);
        }
        assertEquals(unchanged, set.manifest().summary().unchanged(), "the manifest's unchanged count");
        assertEquals("predicted", set.manifest().labels(), "attacked away from F's prediction");
        if (attack.equals("fgsm") || attack.equals("bim")) {
            assertEquals(0, unchanged, "no FGSM or BIM image equals its source");
        }
    }
}
