package org.multimagnet.defense;

import java.util.List;

/**
 * The deployment stage's answer for one image (paper §4.2, Fig. 4), with everything a viewer shows.
 *
 * @param members                the ensemble R drawn for this image, in S's order
 * @param verdict                the majority vote: legitimate iff q_leg &gt; q_adv
 * @param qLeg                   votes for legitimate
 * @param qAdv                   votes for adversarial
 * @param metric                 the metric used
 * @param temperature            its temperature (JSD), or null
 * @param approach               the threshold approach used
 * @param prediction             F's class for x (what F would answer without the defense)
 * @param probabilities          softmax(z(x)), K values
 * @param reformerId             the member that reformed x, or null when x was discarded
 * @param reformed               x' = reformer(x), CHW, or null when discarded
 * @param reformedPrediction     F's class for x', or null when discarded
 * @param reformedProbabilities  softmax(z(x')), or null when discarded
 */
public record Decision(List<MemberVote> members, Verdict verdict, int qLeg, int qAdv, MetricName metric,
                       Double temperature, ThresholdApproach approach, int prediction, float[] probabilities,
                       Integer reformerId, float[] reformed, Integer reformedPrediction,
                       float[] reformedProbabilities) {

    public Decision {
        members = List.copyOf(members);
    }

    /** @return the answer the defended system gives: the reformed prediction, or empty when x was discarded */
    public java.util.OptionalInt defendedPrediction() {
        return reformedPrediction == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(reformedPrediction);
    }
}
