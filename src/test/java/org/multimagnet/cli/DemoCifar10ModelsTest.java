package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Json;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.nn.ModelSpecs;

/**
 * The committed CIFAR-10 demo, as {@code models list --json} shows it: a classifier past 80% on Te and the ten
 * members with the authors' architectures and the parameter counts of their {@code .h5} files.
 */
class DemoCifar10ModelsTest {
    private static final long[] AUTHORS_PARAMETERS = {37_903, 30_031, 37_903, 30_031, 30_031, 5_103, 8_111, 13_055,
            30_031, 19_791};

    @Test
    void classifierPasses80PercentAndMembersAreTheAuthors() throws Exception {
        CliRun run = CliRun.of("models", "list", "--workspace", TestWorkspaces.DEMO_CIFAR10.toString(), "--json");
        assertEquals(0, run.exit(), run.err());
        JsonNode models = Json.mapper().readTree(run.out());
        JsonNode classifier = null;
        int members = 0;
        List<ModelSpec> authors = ModelSpecs.cifar10Members();
        for (JsonNode m : models) {
            if (m.get("role").asText().equals("classifier")) {
                classifier = m;
                continue;
            }
            int id = m.get("id").asInt();
            ModelSpec spec = authors.get(id - 1);
            assertEquals(AUTHORS_PARAMETERS[id - 1], m.get("storedParameters").asLong(), "member " + id);
            assertEquals(spec.structure().toString(), Json.mapper().convertValue(m.get("structure"), List.class)
                    .toString(), "member " + id);
            assertTrue(m.get("reconstructionTest").get("meanSquared").asDouble() > 0, "member " + id + " records its error on Te");
            members++;
        }
        assertEquals(10, members, run.out());
        assertTrue(classifier != null && classifier.get("testAccuracy").asDouble() >= 0.80, String.valueOf(classifier));
    }
}
