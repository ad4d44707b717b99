package org.multimagnet.experiment;

/**
 * μ and σ of a score over the chunks of the protocol (paper §5.4), as fractions in [0,1].
 *
 * <p>σ is the population standard deviation (divide by the count), as NumPy's default {@code std} that the
 * authors' Python prototype used; chunks where a score is undefined (e.g. PPV of a chunk without adversarial
 * images) are left out and counted in {@code count}.
 *
 * @param mean  μ
 * @param std   σ
 * @param count how many chunks had the score defined
 */
public record MeanStd(double mean, double std, int count) {

    /** @return μ and σ of the finite values among {@code values} (NaN = undefined in that chunk) */
    public static MeanStd of(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new MeanStd(Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        double sq = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sq += (v - mean) * (v - mean);
            }
        }
        return new MeanStd(mean, Math.sqrt(sq / n), n);
    }

    /** @return "μ ± σ" in percent with two decimals, as the paper's tables */
    public String percent() {
        return Double.isNaN(mean) ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f%% ± %.2f", 100 * mean, 100 * std);
    }
}
