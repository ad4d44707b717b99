package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;

/** D = D_leg ∪ D_atk as every reader of it gets it: D_leg[i] is the source of D_atk[i]. */
class TestPairsTest {

    @Test
    void legitimateImagesAreTheSourcesOfTheAdversarialOnes() {
        Workspace w = Workspace.open(TestWorkspaces.DEMO);
        Dataset all = w.dataset();
        TestPairs pairs = TestPairs.load(w.root(), "fgsm", all);
        int[] source = pairs.attackSet().manifest().sourceIndices();
        int d = all.shape().size();
        assertEquals(source.length, pairs.size());
        assertEquals(pairs.size(), pairs.adversarial().size());
        for (int i : new int[] {0, pairs.size() - 1}) {
            assertArrayEquals(Arrays.copyOfRange(all.pixels(), source[i] * d, (source[i] + 1) * d),
                    Arrays.copyOfRange(pairs.legitimate().pixels(), i * d, (i + 1) * d));
            assertEquals(all.labels()[source[i]], pairs.legitimate().labels()[i]);
        }
        assertArrayEquals(pairs.attackSet().images(), pairs.adversarial().pixels());
    }

    @Test
    void aMissingSetNamesTheCommandThatMakesIt() {
        Workspace w = Workspace.open(TestWorkspaces.DEMO);
        UserException e = assertThrows(UserException.class, () -> TestPairs.load(w.root(), "nosuch", w.dataset()));
        assertTrue(e.getMessage().contains("--attack nosuch --split test' first"), e.getMessage());
    }
}
