package org.multimagnet.common;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Numbers written with a fixed count of significant digits, so that a JSD mark of 3.2e-7 does not read "0.00000"
 * next to a threshold of 0.00247: plain notation between 0.001 and 100,000, scientific notation outside.
 */
public final class SignificantDigits {
    private SignificantDigits() {
    }

    /** @return {@code v} with {@code digits} significant digits, e.g. 0.002473, 3.210e-07, 12.35 */
    public static String format(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a < 1e-3 || a >= 1e5) {
            return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
        }
        return new BigDecimal(v).round(new MathContext(digits)).toPlainString();
    }
}
