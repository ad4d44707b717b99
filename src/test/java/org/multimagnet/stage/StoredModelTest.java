package org.multimagnet.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.UserException;

/** {@link StoredModel#list} on the demo: F first, then S by id, each said in plain values its manifest agrees with. */
class StoredModelTest {

    @Test
    void theDemoHoldsFThenTenMembersEachNamedAsItsFile() {
        StoredModel.Listing l = StoredModel.list(TestWorkspaces.DEMO);
        assertEquals(TestWorkspaces.DEMO.toAbsolutePath().normalize(), l.workspace());
        assertEquals(11, l.models().size());
        StoredModel f = l.models().get(0);
        assertTrue(f.classifier());
        assertEquals("classifier", f.role());
        assertEquals("classifier", f.stem());
        for (int i = 1; i <= 10; i++) {
            StoredModel a = l.models().get(i);
            assertFalse(a.classifier());
            assertEquals("autoencoder", a.role());
            assertEquals(String.format("ae-%02d", i), a.stem());
            assertEquals("models/" + a.stem() + ".zip", a.manifest().file());
            assertFalse(a.structure().isEmpty());
        }
        assertEquals(java.util.List.of("3", "avg", "3"), l.models().get(1).structure());
        // the demo's networks have no batch norm, whose running statistics Keras would count too: the counts agree
        assertEquals(240_906, f.storedParameters());
        assertEquals(f.manifest().parameters(), f.storedParameters());
        assertEquals(310, l.models().get(1).storedParameters());
    }

    @Test
    void aFolderThatIsNoWorkspaceIsNamed(@TempDir Path tmp) {
        UserException e = assertThrows(UserException.class, () -> StoredModel.list(tmp.resolve("nowhere")));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }
}
