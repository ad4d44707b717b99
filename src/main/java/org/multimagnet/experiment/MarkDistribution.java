package org.multimagnet.experiment;

/**
 * The marks one member of S gave the legitimate and the adversarial images of D, and its threshold from C_best:
 * what the report's distribution chart draws.
 *
 * @param attack      the attack of D_atk
 * @param memberId    the member's id in S
 * @param metric      the metric's name (RE or JSD with its temperature)
 * @param threshold   the member's threshold τ_i
 * @param legitimate  marks of D_leg
 * @param adversarial marks of D_atk
 */
public record MarkDistribution(String attack, int memberId, String metric, double threshold, double[] legitimate,
                               double[] adversarial) {
}
