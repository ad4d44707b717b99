package org.multimagnet.defense;

/**
 * The confusion matrix of paper Eq. 8, with <em>adversarial</em> as the class the detector looks for
 * (docs/method.md), and the rates of Eq. 9 under the paper's names and their plain names.
 *
 * @param tn adversarial images voted adversarial
 * @param fn adversarial images voted legitimate
 * @param fp legitimate images voted adversarial
 * @param tp legitimate images voted legitimate
 */
public record ConfusionMatrix(long tn, long fn, long fp, long tp) {

    public ConfusionMatrix {
        if (tn < 0 || fn < 0 || fp < 0 || tp < 0) {
            throw new IllegalArgumentException("confusion counts must be >= 0");
        }
    }

    /** @return the sum of two matrices (pooling several ensembles' votes) */
    public ConfusionMatrix plus(ConfusionMatrix o) {
        return new ConfusionMatrix(tn + o.tn, fn + o.fn, fp + o.fp, tp + o.tp);
    }

    /** @return ACC = (TN + TP) / all (Eq. 9); NaN when empty */
    public double accuracy() {
        return ratio(tn + tp, tn + fn + fp + tp);
    }

    /**
     * @return the paper's PPV = TN / (TN + FN) (Eq. 9): the share of adversarial images detected, i.e. the
     *         detection rate (it is not a predictive value); NaN without adversarial images
     */
    public double ppv() {
        return ratio(tn, tn + fn);
    }

    /**
     * @return the paper's NPV = TP / (TP + FP) (Eq. 9): the share of legitimate images accepted, i.e.
     *         1 − false-positive rate; NaN without legitimate images
     */
    public double npv() {
        return ratio(tp, tp + fp);
    }

    /** @return the plain name of the paper's PPV: TN / (TN + FN) */
    public double detectionRate() {
        return ppv();
    }

    /** @return FP / (FP + TP): the share of legitimate images wrongly rejected */
    public double falsePositiveRate() {
        return ratio(fp, fp + tp);
    }

    /** @return TN / (TN + FP): of the images voted adversarial, the share that were adversarial */
    public double precision() {
        return ratio(tn, tn + fp);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
