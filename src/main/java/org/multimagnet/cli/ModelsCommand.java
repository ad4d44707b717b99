package org.multimagnet.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.multimagnet.common.Json;
import org.multimagnet.stage.StoredModel;
import org.multimagnet.workspace.ModelManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code models}: inspect the models of a workspace. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Inspect the models of a workspace.",
        subcommands = ModelsCommand.ListCommand.class)
final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand (list)");
    }

    /** {@code models list}: one line (or JSON object) per model. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the models of a workspace.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        SharedOptions shared;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StoredModel.Listing listing = StoredModel.list(shared.reading());
            List<StoredModel> all = listing.models();
            PrintWriter out = spec.commandLine().getOut();
            if (shared.json) {
                out.println(Json.write(summaries(all)));
            } else if (all.isEmpty()) {
                out.println("no models in " + listing.workspace() + "; train them with 'train --workspace "
                        + listing.workspace() + "'");
            } else {
                printTable(out, all);
            }
            return 0;
        }
    }

    /**
     * @return one JSON object per model: role, id, name, parameters (trainable), storedParameters, epochs, quality,
     *         file, sha256
     */
    static List<Map<String, Object>> summaries(List<StoredModel> models) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StoredModel s : models) {
            ModelManifest m = s.manifest();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("role", s.role());
            o.put("id", m.id());
            o.put("name", m.name());
            o.put("structure", s.structure());
            o.put("parameters", m.parameters());
            // what Keras reports for the same network (batch-norm running statistics included): the authors' counts
            o.put("storedParameters", s.storedParameters());
            o.put("epochs", m.epochs());
            o.put("trainImages", m.trainImages());
            o.put("finalLoss", m.finalLoss());
            if (m.testAccuracy() != null) {
                o.put("testAccuracy", m.testAccuracy());
            }
            if (m.reconstructionTrain() != null) {
                o.put("reconstructionTrain", m.reconstructionTrain());
            }
            if (m.reconstructionTest() != null) {
                o.put("reconstructionTest", m.reconstructionTest());
            }
            o.put("trainingSeconds", m.trainingSeconds());
            o.put("seed", m.seed());
            o.put("file", m.file());
            o.put("sha256", m.sha256());
            out.add(o);
        }
        return out;
    }

    /** @return the quality figure of a model: accuracy on Te or reconstruction errors */
    static String quality(StoredModel s) {
        ModelManifest m = s.manifest();
        if (s.classifier()) {
            return String.format("accuracy on Te %.2f%%", 100 * m.testAccuracy());
        }
        return String.format("mean |x-a(x)| Tr %.5f Te %.5f, MSE Tr %.6f Te %.6f",
                m.reconstructionTrain().meanAbsolute(), m.reconstructionTest().meanAbsolute(),
                m.reconstructionTrain().meanSquared(), m.reconstructionTest().meanSquared());
    }

    static void printTable(PrintWriter out, List<StoredModel> all) {
        out.printf("%-11s %-16s %10s %6s %8s  %s%n", "model", "structure", "parameters", "epochs", "seconds", "quality");
        for (StoredModel s : all) {
            ModelManifest m = s.manifest();
            String structure = s.classifier() ? "(layers)" : String.join(",", s.structure());
            out.printf("%-11s %-16s %10d %6d %8.0f  %s%n", s.stem(), structure, m.parameters(), m.epochs(),
                    m.trainingSeconds(), quality(s));
        }
    }
}
