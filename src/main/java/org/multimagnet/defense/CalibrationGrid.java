package org.multimagnet.defense;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * The file C of paper §4.1.1: the hyperparameter values the calibration stage tries, every combination of them.
 *
 * <p>JSON schema ({@code W/calibration/<attack>/grid.json}; every list non-empty, no duplicates needed):
 * <pre>
 * {
 *   "falsePositiveRates": [0.001, 0.005, 0.01, 0.02, 0.05],  // T_fp: each 0 &lt; t_fp &lt; 1
 *   "temperatures": [1, 10, 40, 100],                         // K: each k ≥ 1; used by JSD only (Eq. 7)
 *   "metrics": ["RE", "JSD"],                                 // M: RE (Eq. 1, p = 1) and/or JSD (Eq. 6)
 *   "approaches": ["MTA", "minTA"],                           // threshold approaches (§4.1.3)
 *   "ensembleSizes": [1, 3, 5, 7, 9],                         // n: each odd, 1 ≤ n ≤ m = |S| (1 = MagNet)
 *   "seed": 2019,                                             // seeds the ensemble draws (required)
 *   "ensemblesPerCombination": 10                             // random ensembles per combination (default 1,
 *                                                             //   as in the paper)
 * }
 * </pre>
 * A combination is (t_fp, k, me, approach, n); RE ignores k, so its combinations carry no temperature and are
 * evaluated once per (t_fp, approach, n). The paper draws one random ensemble R_a per combination (§4.1.2); a
 * grid may ask for several, whose confusion matrices are pooled, so that the best combination is less a matter of
 * one lucky draw. The same draws are used for every combination with the same n (common random numbers), so
 * that combinations differ only in their hyperparameters.
 *
 * @param falsePositiveRates      T_fp
 * @param temperatures            K (may be empty when metrics holds RE only)
 * @param metrics                 M
 * @param approaches              threshold approaches
 * @param ensembleSizes           n values
 * @param seed                    seed of the ensemble draws
 * @param ensemblesPerCombination random ensembles evaluated per combination, ≥ 1 (null in JSON: 1)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CalibrationGrid(List<Double> falsePositiveRates, List<Double> temperatures, List<MetricName> metrics,
                              List<ThresholdApproach> approaches, List<Integer> ensembleSizes, Long seed,
                              Integer ensemblesPerCombination) {

    public CalibrationGrid {
        falsePositiveRates = checkedList("falsePositiveRates", falsePositiveRates, true);
        temperatures = checkedList("temperatures", temperatures == null ? List.of() : temperatures, false);
        metrics = checkedList("metrics", metrics, true);
        approaches = checkedList("approaches", approaches, true);
        ensembleSizes = checkedList("ensembleSizes", ensembleSizes, true);
        for (double t : falsePositiveRates) {
            if (!(t > 0.0 && t < 1.0)) {
                throw new IllegalArgumentException("falsePositiveRates: " + t + " is not in (0, 1) (paper §4.1.1)");
            }
        }
        for (double k : temperatures) {
            if (!(k >= 1.0) || Double.isInfinite(k)) {
                throw new IllegalArgumentException("temperatures: " + k + " is not a finite number >= 1 (paper §4.1.1)");
            }
        }
        if (metrics.contains(MetricName.JSD) && temperatures.isEmpty()) {
            throw new IllegalArgumentException("temperatures: empty, but metrics holds JSD, which needs at least one");
        }
        for (int n : ensembleSizes) {
            if (n < 1 || n % 2 == 0) {
                throw new IllegalArgumentException("ensembleSizes: " + n
                        + " is not an odd number >= 1 (an odd n means the majority vote cannot tie, paper §4.1.2)");
            }
        }
        if (seed == null) {
            throw new IllegalArgumentException("seed: missing (it makes the ensemble draws reproducible)");
        }
        if (ensemblesPerCombination == null) {
            ensemblesPerCombination = 1;
        }
        if (ensemblesPerCombination < 1) {
            throw new IllegalArgumentException("ensemblesPerCombination: " + ensemblesPerCombination
                    + " is not >= 1");
        }
    }

    /** The grid shipped with the demo workspace: MagNet's and the paper's usual values. */
    public static CalibrationGrid example() {
        return new CalibrationGrid(List.of(0.001, 0.005, 0.01, 0.02, 0.05), List.of(1.0, 10.0, 40.0, 100.0),
                List.of(MetricName.RE, MetricName.JSD), List.of(ThresholdApproach.MTA, ThresholdApproach.MIN_TA),
                List.of(1, 3, 5, 7, 9), 2019L, 10);
    }

    /**
     * The same grid without the ensemble sizes a repository of m members cannot hold (for the built-in example
     * on a workspace with fewer than 9 members).
     *
     * @throws IllegalArgumentException when no size is left
     */
    public CalibrationGrid forRepositorySize(int m) {
        List<Integer> sizes = ensembleSizes.stream().filter(n -> n <= m).toList();
        return new CalibrationGrid(falsePositiveRates, temperatures, metrics, approaches, sizes, seed,
                ensemblesPerCombination);
    }

    /** @return the same grid with another seed (the command line's {@code --seed}) */
    public CalibrationGrid withSeed(long newSeed) {
        return new CalibrationGrid(falsePositiveRates, temperatures, metrics, approaches, ensembleSizes, newSeed,
                ensemblesPerCombination);
    }

    /**
     * Every combination, in a fixed order: metric, temperature (JSD only), t_fp, approach, n.
     *
     * @return the combinations (RE ones with a null temperature)
     */
    public List<Combination> combinations() {
        List<Combination> out = new ArrayList<>();
        for (MetricName me : metrics) {
            List<Double> ks = me.usesTemperature() ? temperatures : java.util.Collections.singletonList(null);
            for (Double k : ks) {
                for (double tFp : falsePositiveRates) {
                    for (ThresholdApproach a : approaches) {
                        for (int n : ensembleSizes) {
                            out.add(new Combination(tFp, k, me, a, n));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static <T> List<T> checkedList(String field, List<T> values, boolean required) {
        if (values == null || (required && values.isEmpty())) {
            throw new IllegalArgumentException(field + ": missing or empty, expected a non-empty list");
        }
        for (T v : values) {
            if (v == null) {
                throw new IllegalArgumentException(field + ": holds null, expected only values");
            }
        }
        return List.copyOf(values);
    }
}
