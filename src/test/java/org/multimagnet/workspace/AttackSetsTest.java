package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.UserException;

class AttackSetsTest {
    @TempDir
    Path dir;

    @Test
    void sourcesComeFromTheirSplitAreSeededAndCappedWithANote() {
        Workspace w = Workspace.openOrCreate(dir.resolve("ws"), "sample:mnist", 7);
        AttackSets.Sources test = AttackSets.drawSources(w, "test", 50, 3, m -> { });
        Set<Integer> te = Arrays.stream(w.split().test()).boxed().collect(Collectors.toSet());
        assertEquals(50, test.indices().length);
        assertTrue(Arrays.stream(test.indices()).allMatch(te::contains));
        assertArrayEquals(test.indices(), AttackSets.drawSources(w, "test", 50, 3, m -> { }).indices());
        assertEquals(w.dataset().labels()[test.indices()[4]], test.images().labels()[4]);

        List<String> notes = new ArrayList<>();
        AttackSets.Sources v = AttackSets.drawSources(w, "validation", 5000, 3, notes::add);
        assertEquals(w.split().validation().length, v.indices().length);
        Set<Integer> vLeg = Arrays.stream(w.split().validation()).boxed().collect(Collectors.toSet());
        assertTrue(Arrays.stream(v.indices()).allMatch(vLeg::contains));
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("V_leg"), notes.get(0));

        UserException e = assertThrows(UserException.class, () -> AttackSets.drawSources(w, "train", 5, 1, m -> { }));
        assertTrue(e.getMessage().equals("--split train: expected test or validation"), e.getMessage());
    }
}
