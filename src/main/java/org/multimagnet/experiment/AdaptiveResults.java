package org.multimagnet.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.DefenseKind;

/**
 * The results of one saved {@code adaptive --save} run ({@code W/evaluations/adaptive-*.json}): who attacked which
 * defense how, and robust accuracy under detection per budget. What the report's section on adaptive attacks is
 * made from.
 *
 * @param file        the file's name in {@code evaluations/}
 * @param defense     {@code multimagnet} or {@code magnet}
 * @param threat      oblivious, whitebox or graybox
 * @param method      all-members or eot
 * @param norm        l2 or linf
 * @param calibration the C_best attacked, as text
 * @param images      images attacked
 * @param steps       PGD steps
 * @param lambda      λ0
 * @param lambdaSteps rounds of the λ search (1 in files written before the search existed: one λ)
 * @param seed        the run's seed
 * @param budgets     one row per ε, ascending
 */
public record AdaptiveResults(String file, String defense, String threat, String method, String norm,
                              String calibration, int images, int steps, double lambda, int lambdaSteps, long seed,
                              List<Budget> budgets) {
    public AdaptiveResults {
        budgets = List.copyOf(budgets);
    }

    /**
     * One budget.
     *
     * @param eps            ε
     * @param robustAccuracy robust accuracy under detection: mean and 95% interval [mean, low, high]
     * @param acceptance     the probability of acceptance, likewise
     * @param plainAccuracy  F's accuracy on the adversarial images without the defense
     * @param meanL2         mean ‖x′ − x‖₂
     */
    public record Budget(double eps, double[] robustAccuracy, double[] acceptance, double plainAccuracy,
                         double meanL2) {
    }

    /** The prefix of every saved adaptive result in {@code evaluations/}. */
    public static final String PREFIX = "adaptive-";

    /** @return "MultiMagNet" or "MagNet" */
    public String defenseName() {
        return DefenseKind.parse(defense).displayName();
    }

    /** @return the norm as the report writes it: L2 or L∞ */
    public String normName() {
        return norm.equals("l2") ? "L2" : "L∞";
    }

    /**
     * Every saved adaptive result of a workspace, by file name.
     *
     * @throws UserException naming the file, for one that is not a saved adaptive result
     */
    public static List<AdaptiveResults> load(Path workspace) {
        Path dir = workspace.resolve("evaluations");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(".json");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        List<AdaptiveResults> out = new ArrayList<>();
        for (Path f : files) {
            out.add(read(workspace, f));
        }
        return out;
    }

    private static AdaptiveResults read(Path workspace, Path file) {
        JsonNode j = Json.readInside(workspace, file, JsonNode.class);
        String defense = text(file, j, "defense");
        try {
            DefenseKind.parse(defense);
        } catch (IllegalArgumentException e) {
            throw UserException.badFile(file, "names defense '" + defense + "', expected multimagnet or magnet");
        }
        String norm = text(file, j, "norm");
        if (!norm.equals("l2") && !norm.equals("linf")) {
            throw UserException.badFile(file, "names norm '" + norm + "', expected l2 or linf");
        }
        JsonNode rows = j.get("budgets");
        if (rows == null || !rows.isArray() || rows.isEmpty()) {
            throw UserException.badFile(file, "holds no budgets; expected what 'adaptive --save' writes");
        }
        List<Budget> budgets = new ArrayList<>();
        for (JsonNode r : rows) {
            budgets.add(new Budget(number(file, r, "eps"), interval(file, r, "robustAccuracy"),
                    interval(file, r, "acceptance"), number(file, r, "plainAccuracy"), number(file, r, "meanL2")));
        }
        budgets.sort(java.util.Comparator.comparingDouble(Budget::eps));
        return new AdaptiveResults(file.getFileName().toString(), defense, text(file, j, "threat"),
                j.path("method").asText("all-members"), norm, j.path("calibration").asText(""),
                (int) number(file, j, "images"), (int) number(file, j, "steps"), number(file, j, "lambda"),
                j.path("lambdaSteps").asInt(1), j.path("seed").asLong(), budgets);
    }

    private static String text(Path file, JsonNode j, String field) {
        JsonNode v = j == null ? null : j.get(field);
        if (v == null || !v.isTextual()) {
            throw UserException.badFile(file, "has no text '" + field + "'; expected what 'adaptive --save' writes");
        }
        return v.asText();
    }

    private static double number(Path file, JsonNode j, String field) {
        JsonNode v = j.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw UserException.badFile(file, "has no finite number '" + field + "'; expected what 'adaptive --save' "
                    + "writes");
        }
        return v.asDouble();
    }

    private static double[] interval(Path file, JsonNode j, String field) {
        JsonNode v = j.get(field);
        if (v == null || !v.isArray() || v.size() != 3) {
            throw UserException.badFile(file, "has no '" + field + "' [mean, low, high]; expected what 'adaptive "
                    + "--save' writes");
        }
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = v.get(i).asDouble(Double.NaN);
            if (!(out[i] >= 0 && out[i] <= 1)) {
                throw UserException.badFile(file, "'" + field + "' holds " + v + ", expected probabilities in [0, 1]");
            }
        }
        return out;
    }
}
