package org.multimagnet.experiment;

import java.util.List;
import java.util.Map;
import org.multimagnet.attack.AttackSummary;

/**
 * Everything the report of a study shows: the paper's Tables 2/3, 5 and 6 from our runs, next to the paper's values.
 *
 * @param dataset        the dataset source
 * @param splitRule      how Tr / V_leg / Te were made
 * @param classifier     F's accuracy on Te and how it was trained, as text
 * @param createdAt      ISO-8601 time
 * @param settings       the protocol's chunks, sizes and seed, as text
 * @param attacks        per attack: its summary on D_leg (Table 6 comes from accuracyAfter)
 * @param calibrations   per attack and defense: the C_best the calibration chose
 * @param evaluations    every (attack, defense) evaluation, chunks left out
 * @param exact         each evaluation's scores over every draw of the ensemble (same order), or empty
 * @param distributions  mark distributions for the charts (one member per attack)
 * @param notes          what differs from the paper's setting and why
 * @param adaptive       the adaptive attacks saved in the workspace ({@code adaptive --save}), or empty
 */
public record StudyReport(String dataset, String splitRule, String classifier, String createdAt, String settings,
                          Map<String, AttackSummary> attacks, List<CalibrationChoice> calibrations,
                          List<Evaluation> evaluations, List<ExactEvaluation> exact,
                          List<MarkDistribution> distributions, List<String> notes, List<AdaptiveResults> adaptive) {
    public StudyReport {
        adaptive = adaptive == null ? List.of() : List.copyOf(adaptive);
    }

    /** A study without adaptive attacks. */
    public StudyReport(String dataset, String splitRule, String classifier, String createdAt, String settings,
                       Map<String, AttackSummary> attacks, List<CalibrationChoice> calibrations,
                       List<Evaluation> evaluations, List<ExactEvaluation> exact,
                       List<MarkDistribution> distributions, List<String> notes) {
        this(dataset, splitRule, classifier, createdAt, settings, attacks, calibrations, evaluations, exact,
                distributions, notes, List.of());
    }
}
