package org.multimagnet.ui.attack;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.multimagnet.attack.Attacks;
import org.multimagnet.attack.PaperSetting;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;

/** {@link AttackService} over the engine's attacks ({@link Attacks}) and the workspace's classifier and stores. */
public final class EngineAttackService implements AttackService {
    @Override
    public List<String> attacks() {
        return Attacks.NAMES;
    }

    @Override
    public Map<String, String> defaults(Path workspace, String attack) {
        Record params = Attacks.create(attack, setting(workspace), Map.of()).params();
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : params.getClass().getRecordComponents()) {
            try {
                out.put(c.getName(), String.valueOf(c.getAccessor().invoke(params)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + params, e);
            }
        }
        return out;
    }

    /** The paper's column of Table 1: CIFAR-10 for a workspace on CIFAR data, else MNIST. */
    static PaperSetting setting(Path workspace) {
        Path cfg = workspace.resolve("workspace.json");
        if (Files.isRegularFile(cfg)) {
            var node = Json.readFile(cfg, com.fasterxml.jackson.databind.JsonNode.class);
            String ds = node.path("dataset").asText("");
            if (ds.toLowerCase(java.util.Locale.ROOT).contains("cifar")) {
                return PaperSetting.CIFAR10;
            }
        }
        return PaperSetting.MNIST;
    }

    @Override
    public AttackRun generate(Path workspace, String attack, Map<String, String> params, String split, int count,
                              long seed, ProgressListener progress, Cancellation cancellation) {
        throw new UserException("Generating attacks needs the workspace's classifier (workspace.Workspace), "
                + "which is not in this build yet.");
    }
}
