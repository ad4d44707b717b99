package org.multimagnet.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SignificantDigitsTest {
    @Test
    void smallMarksKeepTheirDigits() {
        // a JSD mark far below its threshold must not read as zero
        assertEquals("3.210e-07", SignificantDigits.format(3.21e-7, 4));
        assertEquals("0.002473", SignificantDigits.format(0.0024731, 4));
        assertEquals("0.01000", SignificantDigits.format(0.01, 4));
        assertEquals("12.35", SignificantDigits.format(12.3456, 4));
        assertEquals("0", SignificantDigits.format(0, 4));
        assertEquals("-4.000e-05", SignificantDigits.format(-4e-5, 4));
        assertEquals("1.235e+05", SignificantDigits.format(123456, 4));
    }
}
