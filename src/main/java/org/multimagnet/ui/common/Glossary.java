package org.multimagnet.ui.common;

import java.util.List;
import java.util.Optional;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;

/**
 * The paper's terms as the panes show them, each with a one-line meaning and where the paper defines it (Machado,
 * Goldschmidt and Silva, ICEIS 2019). The Help ▸ Glossary window lists them all; {@link #tip} puts one on a control.
 */
public final class Glossary {
    /**
     * One term.
     *
     * @param term    as the panes write it, e.g. "t_fp"
     * @param name    its name in words
     * @param meaning what it is, in one or two sentences
     * @param source  where the paper defines it, e.g. "§4.1.1, Eq. 1"
     */
    public record Term(String term, String name, String meaning, String source) {
        /** @return the tooltip text: name, meaning and source */
        public String explain() {
            return term + " — " + name + "\n" + meaning + "\n(paper " + source + ")";
        }
    }

    /** Every term, in the order the method uses them. */
    public static final List<Term> TERMS = List.of(
            new Term("F", "the classifier", "The application classifier the defense protects; it labels the images "
                    + "the ensemble accepts.", "§4"),
            new Term("S", "the repository of autoencoders", "The m autoencoders trained on legitimate images; every "
                    + "decision draws its ensemble from them.", "§4.1, Fig. 3"),
            new Term("m", "repository size", "m = |S|, the number of autoencoders in the repository (10 here, as in "
                    + "the paper).", "§4.1"),
            new Term("n", "ensemble size", "How many members of S are drawn to decide one image; odd, so the vote never "
                    + "ties. 'drawn' means n itself is drawn at random from C_best's sizes (e.g. 3,5,7,9).",
                    "§4.2.1"),
            new Term("RE", "reconstruction error", "A member's mark: the mean absolute difference between the image x "
                    + "and its reconstruction a(x). Large on images unlike the training data.", "§4.1.1, Eq. 1 (p = 1)"),
            new Term("JSD", "Jensen-Shannon divergence", "A member's mark: the divergence between F's softmax "
                    + "outputs on x and on a(x), both at temperature T. Small values are normal: legitimate images "
                    + "give marks around 1e-5 to 1e-3.", "§4.1.1, Eq. 6-7"),
            new Term("T", "temperature", "Divides F's logits before the softmax in JSD; a higher T spreads the "
                    + "probabilities so that small changes show.", "§4.1.1, Eq. 6"),
            new Term("mark", "a member's score of an image", "RE or JSD of the image under one member; compared "
                    + "with that member's threshold.", "§4.1.1"),
            new Term("threshold", "a member's threshold", "The mark that a share t_fp of the legitimate validation "
                    + "images V_leg exceed; a mark at most the threshold votes legitimate.", "§4.1.1"),
            new Term("t_fp", "false-positive rate", "The share of legitimate validation images a member may reject; "
                    + "it sets each member's threshold.", "§4.1.1, Table 4"),
            new Term("MTA", "majority-threshold agreement", "Each drawn member compares its mark with its own "
                    + "threshold; the majority of votes decides.", "§4.1.3, §4.2.4"),
            new Term("minTA", "minimum-threshold agreement", "Every drawn member compares its mark with the "
                    + "smallest threshold among the drawn members (stricter); the majority of votes decides.",
                    "§4.1.3, §4.2.4"),
            new Term("q_leg / q_adv", "the vote counts", "q_leg members voted legitimate, q_adv = n − q_leg "
                    + "adversarial; the image is legitimate iff q_leg > q_adv.", "§4.2.4"),
            new Term("C", "the grid file", "The hyperparameter values the calibration tries: t_fp values, "
                    + "temperatures, metrics and approaches.", "§4.1.1"),
            new Term("C_best", "the calibrated best combination", "The combination (metric, T, approach, t_fp) of "
                    + "highest accuracy on V, with each member's threshold; deployment uses it.", "§4.1.4"),
            new Term("V_leg / V_atk", "validation sets", "Legitimate validation images and their attacked versions; "
                    + "the calibration is made on V = V_leg ∪ V_atk.", "§4.1.3"),
            new Term("D_leg / D_atk", "test sets", "Legitimate test images and their attacked versions; the "
                    + "experiments and stream mode run on D = D_leg ∪ D_atk.", "§5.4"),
            new Term("MagNet", "the one-member baseline", "MagNet (Meng and Chen, 2017) is the case n = 1: one "
                    + "autoencoder, its own calibration.", "§2, §5"),
            new Term("MultiMagNet", "the ensemble defense", "An ensemble of n members drawn at random from S for "
                    + "each image, voting by majority; an accepted image is reformed by one member.", "§4.2"),
            new Term("reformer", "the member that reforms", "An image voted legitimate is replaced by a member's "
                    + "reconstruction a(x) before it reaches F.", "§4.2.5"),
            new Term("ACC", "accuracy", "(TN + TP) / all images, with adversarial as the class the detector looks "
                    + "for.", "§5.4, Eq. 8"),
            new Term("TN / FN / FP / TP", "the confusion matrix", "TN adversarial rejected, FN adversarial accepted, "
                    + "FP legitimate rejected, TP legitimate accepted.", "§5.4, Eq. 8"),
            new Term("PPV / NPV", "the paper's rates", "Eq. 9's PPV = TN / (TN + FN) is the detection rate, its "
                    + "NPV = TP / (TP + FP) the acceptance rate (the paper's tables print them the other way "
                    + "round; see docs/method.md).", "§5.4, Eq. 9"));

    private Glossary() {
    }

    /** @return the term spelled {@code term} (case-sensitive; "T" is not "t_fp") */
    public static Optional<Term> find(String term) {
        return TERMS.stream().filter(t -> t.term().equals(term)).findFirst();
    }

    /** @return the term, or an error naming it: every term a pane explains must be in the list */
    public static Term get(String term) {
        return find(term).orElseThrow(() -> new IllegalArgumentException("not in the glossary: " + term));
    }

    /** Puts {@code term}'s explanation on {@code control} as a tooltip that shows quickly and stays. */
    public static <C extends Control> C tip(C control, String term) {
        control.setTooltip(tooltip(term));
        return control;
    }

    /** @return a tooltip explaining {@code term} */
    public static Tooltip tooltip(String term) {
        Tooltip t = new Tooltip(get(term).explain());
        t.setShowDelay(Duration.millis(250));
        t.setShowDuration(Duration.seconds(30));
        t.setWrapText(true);
        t.setMaxWidth(420);
        return t;
    }

    /** @return a label reading {@code text} that explains {@code term} on hover (dotted underline as a cue) */
    public static Label term(String text, String term) {
        Label l = tip(new Label(text), term);
        l.getStyleClass().add("glossary-term");
        l.setUserData(term);
        l.setStyle("-fx-border-color: transparent transparent -color-fg-muted transparent;"
                + " -fx-border-style: dotted; -fx-border-width: 0 0 1 0;");
        return l;
    }
}
