package org.multimagnet.defense;

/**
 * Where a calibration's time went: the forward passes over V (F once on V, every member once on V, F once on
 * each reconstruction) against the evaluation of the whole grid from the cached marks.
 *
 * @param forwardPassSeconds   wall time of the forward passes
 * @param gridSeconds          wall time of marks, thresholds and votes for every combination
 * @param imagesThroughF       images passed through F: |V|·(m + 1)
 * @param imagesThroughMembers images passed through autoencoders: |V|·m
 * @param combinations         combinations evaluated
 * @param ensembleEvaluations  ensembles voted over V, all combinations together
 */
public record CalibrationTiming(double forwardPassSeconds, double gridSeconds, long imagesThroughF,
                                long imagesThroughMembers, int combinations, long ensembleEvaluations) {
}
