package org.multimagnet.ui;

import org.multimagnet.ui.attack.AttackService;
import org.multimagnet.ui.calibration.CalibrationService;
import org.multimagnet.ui.dataset.DatasetService;
import org.multimagnet.ui.experiments.ExperimentRunner;
import org.multimagnet.ui.deployment.DeploymentService;
import org.multimagnet.ui.training.TrainingService;

/**
 * The engine as the panes see it: one service per pane, wired to the engine classes by {@link WorkbenchApp} and
 * to small stand-ins by UI tests.
 *
 * @param dataset    readers and split
 * @param training   model specs and training
 * @param attack     attacks and their Table 1 defaults
 * @param calibration grid C, calibration runs and stored results
 * @param deployment models, thresholds and the ensemble vote of a workspace
 * @param experiments the paper's protocol and its report
 */
public record Services(DatasetService dataset, TrainingService training, AttackService attack,
                       CalibrationService calibration, DeploymentService deployment,
                       ExperimentRunner experiments) {
}
