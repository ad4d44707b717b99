package org.multimagnet.defense;

/**
 * The performance of one combination on V = V_leg ∪ V_atk (paper §4.1.3): one cell of the workbench's heat map.
 *
 * @param combination the combination
 * @param acc         ACC of Eq. 9 over the pooled votes of every ensemble drawn for the combination
 * @param ppv         the paper's PPV = TN/(TN+FN), the detection rate
 * @param npv         the paper's NPV = TP/(TP+FP), the acceptance rate of legitimate images
 * @param accStd      standard deviation of ACC over the ensembles drawn (0 with one ensemble)
 * @param ensembles   how many random ensembles were evaluated
 * @param confusion   the pooled confusion matrix of Eq. 8
 */
public record GridRow(Combination combination, double acc, double ppv, double npv, double accStd, int ensembles,
                      ConfusionMatrix confusion) {
}
