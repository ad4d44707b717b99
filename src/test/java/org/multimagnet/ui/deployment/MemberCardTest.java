package org.multimagnet.ui.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemberCardTest {
    private static DeploymentService.MemberVote vote(double mark, double threshold) {
        return new DeploymentService.MemberVote(3, "[3]", new float[784], mark, threshold, mark <= threshold);
    }

    @Test
    void marksAreWrittenWithSignificantDigits() {
        assertEquals("mark 3.210e-07 ≤ threshold 0.002470", MemberCard.markText(vote(3.21e-7, 0.00247)));
        assertEquals("mark 0.04512 > threshold 0.03000", MemberCard.markText(vote(0.045123, 0.03)));
    }

    @Test
    void aMarkAThousandTimesBelowItsThresholdStillShowsAsABar() {
        double[] at = MemberCard.barPositions(2.5e-6, 2.5e-3);
        // a tenth of the smaller value is the bar's origin: the mark fills a visible part of a 150-pixel bar
        assertTrue(at[0] * 150 > 10, "mark at " + at[0]);
        assertTrue(at[0] < at[1] && at[1] < 1, at[0] + " " + at[1]);
        double[] over = MemberCard.barPositions(0.05, 0.03);
        assertTrue(over[0] > over[1], "a mark over its threshold lies right of the line");
        assertEquals(0, MemberCard.barPositions(0, 0.01)[0]);
    }
}
