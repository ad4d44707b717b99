package org.multimagnet.experiment;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.multimagnet.common.Json;

/**
 * The published numbers of the paper (Tables 2, 3, 4, 5 and 6 of Machado et al., ICEIS 2019), shipped as a resource
 * so reports can print ours next to theirs. Values are percent, as printed in the paper.
 *
 * @param source         the citation
 * @param note           how to read the values
 * @param detection      Tables 2 and 3: ACC and the columns headed PPV and NPV, as printed, [μ, σ] per dataset,
 *                       defense and attack (see {@link Detection} for what those columns hold)
 * @param scenarios      Table 5: F's accuracy on D in five scenarios, [μ, σ]
 * @param attackAccuracy Table 6: F's accuracy on D_atk without defense
 * @param calibration    Table 4: the hyperparameters the authors' calibration chose
 */
public record PaperTables(String source, String note, List<Detection> detection, List<Scenarios> scenarios,
                          List<AttackAccuracy> attackAccuracy, List<Calibration> calibration) {

    /**
     * One row of Table 2 or 3, with its columns as the paper heads them. Eq. 9 defines PPV = TN/(TN+FN) (the
     * detection rate) and NPV = TP/(TP+FP) (the acceptance rate of legitimate images), but the printed values are
     * the other way round: every MagNet "PPV" is about 1 − t_fp of Table 4 (99.81 at t_fp 0.001, 92.83 at 0.07,
     * 94.84 at 0.05, CIFAR-10 90.15 at 0.1), an "NPV" of 100.00 ± 0.00 at t_fp 0.07 cannot be an acceptance rate,
     * §5.4 reads NPV as the "ability to detect adversarial images", and the authors' code returns the acceptance
     * rate first. So {@link #detectionRate()} is the column headed NPV and {@link #acceptanceRate()} the one headed
     * PPV.
     *
     * @param ppv the column headed PPV, as printed
     * @param npv the column headed NPV, as printed
     */
    public record Detection(String dataset, String defense, String attack, double[] acc, double[] ppv, double[] npv) {
        /** @return the detection rate of adversarial images: the column the paper heads NPV */
        public double[] detectionRate() {
            return npv;
        }

        /** @return the acceptance rate of legitimate images: the column the paper heads PPV */
        public double[] acceptanceRate() {
            return ppv;
        }
    }

    /** One row of Table 5. */
    public record Scenarios(String dataset, String attack, double[] noDefense, double[] magnet, double[] multimagnet,
                            double[] magnetReformer, double[] multimagnetReformer) {
    }

    /** One row of Table 6. */
    public record AttackAccuracy(String dataset, String attack, double accuracy) {
    }

    /** One row of Table 4. */
    public record Calibration(String dataset, String attack, double tFp, String approach, String metric, Double temperature) {
    }

    /** @return the tables, read from the bundled resource */
    public static PaperTables load() {
        try (InputStream in = PaperTables.class.getResourceAsStream("paper-tables.json")) {
            if (in == null) {
                throw new IllegalStateException("paper-tables.json missing from the build");
            }
            return Json.mapper().readValue(in, new TypeReference<PaperTables>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the Table 2/3 row, if the paper has one */
    public Optional<Detection> detection(String dataset, String defense, String attack) {
        return detection.stream().filter(d -> d.dataset.equals(norm(dataset)) && d.defense.equals(norm(defense))
                && d.attack.equals(norm(attack))).findFirst();
    }

    /** @return the Table 5 row, if the paper has one */
    public Optional<Scenarios> scenarios(String dataset, String attack) {
        return scenarios.stream().filter(s -> s.dataset.equals(norm(dataset)) && s.attack.equals(norm(attack))).findFirst();
    }

    /** @return the Table 4 row, if the paper has one */
    public Optional<Calibration> calibration(String dataset, String attack) {
        return calibration.stream().filter(c -> c.dataset.equals(norm(dataset)) && c.attack.equals(norm(attack)))
                .findFirst();
    }

    /** @return the Table 6 value in percent, if the paper has one */
    public Optional<Double> attackAccuracy(String dataset, String attack) {
        return attackAccuracy.stream().filter(a -> a.dataset.equals(norm(dataset)) && a.attack.equals(norm(attack)))
                .map(AttackAccuracy::accuracy).findFirst();
    }

    /** Maps dataset names such as {@code sample:mnist} or {@code CIFAR-10} onto the paper's two datasets. */
    static String norm(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        if (n.contains("cifar")) {
            return "cifar10";
        }
        if (n.contains("fashion")) {
            return "fashion";
        }
        if (n.contains("mnist")) {
            return "mnist";
        }
        return n;
    }
}
