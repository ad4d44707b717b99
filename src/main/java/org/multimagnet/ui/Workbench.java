package org.multimagnet.ui;

import java.util.List;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.RecentWorkspaces;
import org.multimagnet.ui.common.WorkbenchPane;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.ui.dataset.DatasetView;
import org.multimagnet.ui.dataset.DatasetViewModel;
import org.multimagnet.ui.deployment.DeploymentView;
import org.multimagnet.ui.deployment.DeploymentViewModel;
import org.multimagnet.ui.attack.AttackView;
import org.multimagnet.ui.attack.AttackViewModel;
import org.multimagnet.ui.calibration.CalibrationView;
import org.multimagnet.ui.calibration.CalibrationViewModel;
import org.multimagnet.ui.experiments.ExperimentsView;
import org.multimagnet.ui.training.TrainingView;
import org.multimagnet.ui.training.TrainingViewModel;
import org.multimagnet.ui.experiments.ExperimentsViewModel;

/**
 * Builds the whole window once from its collaborators (constructor injection): the app calls it
 * with the engine's services, tests with stand-ins.
 */
public final class Workbench {
    private final MainView view;
    private final MainViewModel model;
    private final DatasetViewModel dataset;
    private final DeploymentViewModel deployment;
    private final ExperimentsViewModel experiments;
    private final TrainingViewModel training;
    private final AttackViewModel attack;
    private final CalibrationViewModel calibration;

    /**
     * @param services   the engine services
     * @param executor   the compute thread
     * @param dialogs    messages and choosers
     * @param workspace  the open workspace
     * @param recent     recent workspaces
     * @param randomSeed seeds "Draw again"
     * @param quit       closes the app
     */
    public Workbench(Services services, ComputeExecutor executor, DialogService dialogs, WorkspaceModel workspace,
                     RecentWorkspaces recent, long randomSeed, Runnable quit) {
        this.model = new MainViewModel(workspace, recent, dialogs, executor);
        this.dataset = new DatasetViewModel(services.dataset(), executor, dialogs);
        this.deployment = new DeploymentViewModel(services.deployment(), executor, dialogs, workspace, randomSeed);
        this.attack = new AttackViewModel(services.attack(), executor, dialogs, workspace);
        this.calibration = new CalibrationViewModel(services.calibration(), executor, dialogs, workspace);
        this.training = new TrainingViewModel(services.training(), executor, dialogs, workspace);
        this.experiments = new ExperimentsViewModel(services.experiments(), executor, dialogs, workspace);
        List<WorkbenchPane> panes = List.of(
                new DatasetView(dataset, dialogs),
                new TrainingView(training),
                new AttackView(attack),
                new CalibrationView(calibration),
                new DeploymentView(deployment, dialogs),
                new ExperimentsView(experiments));
        this.view = new MainView(model, panes, quit);
    }

    public MainView view() {
        return view;
    }

    public MainViewModel model() {
        return model;
    }

    public DatasetViewModel dataset() {
        return dataset;
    }

    public DeploymentViewModel deployment() {
        return deployment;
    }

    public TrainingViewModel training() {
        return training;
    }

    public AttackViewModel attack() {
        return attack;
    }

    public CalibrationViewModel calibration() {
        return calibration;
    }

    public ExperimentsViewModel experiments() {
        return experiments;
    }
}
