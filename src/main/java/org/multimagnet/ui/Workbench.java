package org.multimagnet.ui;

import java.util.List;
import javafx.beans.binding.Bindings;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.ImageActions;
import org.multimagnet.ui.common.ImagePayload;
import org.multimagnet.ui.common.WorkspaceWatcher;
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
    /** The Deployment pane's place among the tabs. */
    public static final int DEPLOYMENT_TAB = 4;

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
        ImageActions images = new ImageActions(this::sendToDeployment,
                img -> attack.attackAndDeploy(img, this::sendToDeployment),
                () -> attack.attackProperty().get() == null ? "fgsm" : attack.attackProperty().get(), dialogs,
                executor);
        List<WorkbenchPane> panes = List.of(
                new DatasetView(dataset, dialogs, images),
                new TrainingView(training),
                new AttackView(attack, images),
                new CalibrationView(calibration),
                new DeploymentView(deployment, dialogs, executor),
                new ExperimentsView(experiments));
        this.view = new MainView(model, panes, quit);
        Bindings.bindContent(model.datasetSources(), dataset.sources());
        // a workspace created here or by the command line in the open folder: the panes that read it start over
        workspace.presentProperty().addListener((o, was, now) -> {
            if (now) {
                training.reload();
                attack.loadStored();
            }
        });
        // a model trained elsewhere (the command line, another window) shows in the table too
        workspace.revisionProperty().addListener((o, was, now) -> {
            if (!training.trainingProperty().get()) {
                training.reload();
            }
        });
        model.refreshNextStep();
    }

    /** Shows the Deployment pane and decides {@code image} there (the galleries' "Send to Deployment"). */
    public void sendToDeployment(ImagePayload image) {
        view.select(DEPLOYMENT_TAB);
        deployment.dropImage(image);
    }

    /**
     * Watches the workspace folder for changes made by anyone (this window, the command line, another workbench)
     * and refreshes every pane when one is seen.
     *
     * @param interval time between two looks at the folder
     * @return the watcher; close it to stop
     */
    public WorkspaceWatcher watchWorkspace(java.time.Duration interval) {
        WorkspaceWatcher w = new WorkspaceWatcher(model.workspace(), interval, javafx.application.Platform::runLater);
        model.lastChangeProperty().bind(w.lastChangeProperty());
        return w;
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
