package org.multimagnet.defense;

/**
 * One ensemble member's part in a decision (paper §4.2.2–4.2.4): its reconstruction of the image, its mark,
 * the threshold it compared the mark with (after the threshold approach), and its vote.
 *
 * @param id             the member's id in S
 * @param reconstruction a(x), CHW order, values in [0,1]
 * @param mark           the metric's value for x and a(x)
 * @param threshold      the threshold used (own τ_i for MTA, the ensemble minimum for minTA)
 * @param vote           legitimate iff mark ≤ threshold
 */
public record MemberVote(int id, float[] reconstruction, double mark, double threshold, Verdict vote) {
}
