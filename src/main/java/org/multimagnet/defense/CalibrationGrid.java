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
 *   "falsePositiveRates": [0.001, 0.005, 0.01, 0.02, 0.05, 0.07, 0.1],  // T_fp: each 0 &lt; t_fp &lt; 1
 *   "temperatures": [1, 5, 10, 15, 40],                      // K: each k ≥ 1; used by JSD only (Eq. 7)
 *   "metrics": ["RE", "JSD"],                                 // M: RE (Eq. 1, p = 1) and/or JSD (Eq. 6)
 *   "approaches": ["MTA", "minTA"],                           // threshold approaches (§4.1.3)
 *   "ensembleSizes": [3, 5, 7, 9],                            // the odd n MultiMagNet draws from (§5.4)
 *   "seed": 2019,                                             // seeds the ensemble draws (required)
 *   "ensemblesPerCombination": 100                            // random ensembles per combination (default 1,
 *                                                             //   as in the paper)
 * }
 * </pre>
 * The paper's file C has no n: deployment draws the ensemble size, so every MultiMagNet combination
 * (t_fp, k, me, δ) is evaluated over ensembles whose n is drawn uniformly from {@code ensembleSizes}, each
 * ensemble as deployment draws it. MagNet (n = 1) is calibrated on its own, always, over the same (t_fp, k, me)
 * with δ = MTA (with one member minTA is the same rule); a 1 in {@code ensembleSizes} is therefore redundant and
 * left out. RE ignores k, so its combinations carry no temperature.
 *
 * <p>The paper draws one random ensemble R_a per combination (§4.1.2); a grid may ask for several, whose
 * confusion matrices are pooled, so that the best combination is less a matter of one lucky draw. The same draws
 * are used for every combination of a defense (common random numbers), so that its combinations differ only in
 * their hyperparameters.
 *
 * @param falsePositiveRates      T_fp
 * @param temperatures            K (may be empty when metrics holds RE only)
 * @param metrics                 M
 * @param approaches              threshold approaches
 * @param ensembleSizes           the odd n ≥ 3 MultiMagNet draws from (a 1 is dropped: MagNet is always
 *                                calibrated); may end up empty, then only MagNet is calibrated
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
        ensembleSizes = ensembleSizes.stream().filter(n -> n > 1).distinct().sorted().toList();
        if (seed == null) {
            throw new IllegalArgumentException("seed: missing (it makes the ensemble draws reproducible)");
        }
        if (ensemblesPerCombination == null) {
            ensemblesPerCombination = 1;
        }
        if (ensemblesPerCombination < 1 || ensemblesPerCombination > MAX_ENSEMBLES_PER_COMBINATION) {
            throw new IllegalArgumentException("ensemblesPerCombination: " + ensemblesPerCombination
                    + " is not in [1, " + MAX_ENSEMBLES_PER_COMBINATION + "]");
        }
        long combinations = combinationCount(falsePositiveRates.size(), temperatures.size(), metrics,
                approaches.size(), !ensembleSizes.isEmpty());
        if (combinations > MAX_COMBINATIONS) {
            throw new IllegalArgumentException("falsePositiveRates, temperatures, metrics, approaches: " + combinations
                    + " combinations, more than the " + MAX_COMBINATIONS + " a grid may have");
        }
        if (combinations * ensemblesPerCombination > MAX_EVALUATIONS) {
            throw new IllegalArgumentException("ensemblesPerCombination: " + combinations + " combinations × "
                    + ensemblesPerCombination + " ensembles = " + combinations * ensemblesPerCombination
                    + " ensemble evaluations, more than the " + MAX_EVALUATIONS + " a grid may ask for");
        }
    }

    /** Most combinations a grid may have (the paper's Table 4 has 126; each one is a row of grid-results.json). */
    public static final long MAX_COMBINATIONS = 50_000;
    /** Most ensembles per combination. */
    public static final int MAX_ENSEMBLES_PER_COMBINATION = 10_000;
    /** Most ensemble evaluations (combinations × ensembles per combination) of one calibration. */
    public static final long MAX_EVALUATIONS = 1_000_000;

    /** @return how many combinations {@link #combinations()} gives, counted without building them */
    private static long combinationCount(long tFps, long temperatures, List<MetricName> metrics, long approaches,
                                         boolean multi) {
        long perTfp = (multi ? approaches : 0) + 1;
        long count = 0;
        try {
            for (MetricName me : metrics) {
                count = Math.addExact(count, Math.multiplyExact(Math.multiplyExact(
                        me.usesTemperature() ? temperatures : 1, tFps), perTfp));
            }
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // more than any cap
        }
        return count;
    }

    /**
     * The default grid: every value of the paper's Table 4 (t_fp 0.001 … 0.1; T 1, 5, 10, 15, 40; RE and JSD; MTA
     * and minTA), MultiMagNet's n drawn from {3, 5, 7, 9} (§5.4), 100 ensembles per combination.
     */
    public static CalibrationGrid example() {
        return new CalibrationGrid(List.of(0.001, 0.005, 0.01, 0.02, 0.05, 0.07, 0.1),
                List.of(1.0, 5.0, 10.0, 15.0, 40.0), List.of(MetricName.RE, MetricName.JSD),
                List.of(ThresholdApproach.MTA, ThresholdApproach.MIN_TA), List.of(3, 5, 7, 9), 2019L, 100);
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
     * Every combination, in a fixed order: metric, temperature (JSD only), t_fp, then MultiMagNet's approaches
     * (n drawn from {@link #ensembleSizes}), then MagNet's (n = 1, MTA).
     *
     * @return the combinations (RE ones with a null temperature)
     */
    public List<Combination> combinations() {
        List<Combination> out = new ArrayList<>();
        for (MetricName me : metrics) {
            List<Double> ks = me.usesTemperature() ? temperatures : java.util.Collections.singletonList(null);
            for (Double k : ks) {
                for (double tFp : falsePositiveRates) {
                    if (!ensembleSizes.isEmpty()) {
                        for (ThresholdApproach a : approaches) {
                            out.add(new Combination(tFp, k, me, a, ensembleSizes));
                        }
                    }
                    out.add(new Combination(tFp, k, me, ThresholdApproach.MTA, 1));
                }
            }
        }
        return out;
    }

    /** @return the ensemble sizes of each defense this grid calibrates: MultiMagNet's (if any), then MagNet's */
    public List<List<Integer>> defenses() {
        return ensembleSizes.isEmpty() ? List.of(List.of(1)) : List.of(ensembleSizes, List.of(1));
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
