package org.multimagnet.defense;

/**
 * One member's threshold τ_i for a (metric, k, t_fp) (paper §4.1.1).
 *
 * @param id        the member's id in S
 * @param threshold τ_i: marks ≤ τ_i vote legitimate
 */
public record MemberThreshold(int id, double threshold) {
}
