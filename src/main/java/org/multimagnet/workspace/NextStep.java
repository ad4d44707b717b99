package org.multimagnet.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a workspace needs next, read from the artifacts it holds: create it, train F and S, make V_atk, calibrate,
 * make D_atk, deploy. The workbench shows it under the tabs so that a new workspace leads from one pane to the next.
 */
public final class NextStep {
    private NextStep() {
    }

    /** The stage a workspace has reached, in the order the method needs them. */
    public enum Stage {
        /** no {@code workspace.json} */
        CREATE("Create the workspace: pick its dataset and press Create workspace."),
        /** F or S missing */
        TRAIN("Next: Training ▸ Train all (the classifier F and the ten members of S)."),
        /** no V_atk */
        ATTACK_VALIDATION("Next: Attack ▸ Images from: validation ▸ Generate (V_atk, for the calibration)."),
        /** no C_best */
        CALIBRATE("Next: Calibration ▸ Run calibration (finds C_best on V = V_leg ∪ V_atk)."),
        /** the most recent C_best was made with models that changed since */
        RECALIBRATE("Next: Calibration ▸ Run calibration again: the models changed since the last one, and the "
                + "Deployment pane refuses to decide with it."),
        /** no D_atk */
        ATTACK_TEST("Next: Deployment — double-click an image in the Dataset gallery; Attack ▸ Images from: test ▸ "
                + "Generate makes D_atk for stream mode and the experiments."),
        /** everything the panes use is there */
        READY("Ready: double-click an image in the Dataset or Attack gallery to decide it on the Deployment pane; "
                + "Experiments ▸ Run for the paper's tables.");

        private final String hint;

        Stage(String hint) {
            this.hint = hint;
        }

        /** @return what to do, naming the pane and the button */
        public String hint() {
            return hint;
        }
    }

    /** @return the stage {@code workspace} has reached (reads only which files exist) */
    public static Stage of(Path workspace) {
        if (!Files.isRegularFile(workspace.resolve(Workspace.CONFIG))) {
            return Stage.CREATE;
        }
        Path models = workspace.resolve(ModelStore.MODELS);
        if (!Files.isRegularFile(models.resolve("classifier.json"))
                || !Files.isRegularFile(models.resolve(ModelStore.autoencoderStem(1) + ".json"))) {
            return Stage.TRAIN;
        }
        if (!anyAttackSet(workspace, AttackSets.VALIDATION)) {
            return Stage.ATTACK_VALIDATION;
        }
        CalibrationStore calibrations = new CalibrationStore(workspace);
        if (calibrations.calibratedAttacks().isEmpty()) {
            return Stage.CALIBRATE;
        }
        try {
            if (CalibrationFreshness.check(workspace, calibrations.current(null)).stale()) {
                return Stage.RECALIBRATE;
            }
        } catch (RuntimeException e) {
            return Stage.CALIBRATE; // an unreadable C_best: calibrating makes a new one
        }
        return anyAttackSet(workspace, AttackSets.TEST) ? Stage.READY : Stage.ATTACK_TEST;
    }

    private static boolean anyAttackSet(Path workspace, String split) {
        Path dir = workspace.resolve("attacks");
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith("-" + split)
                    && Files.isRegularFile(p.resolve(AttackSetStore.MANIFEST)));
        } catch (IOException e) {
            return false;
        }
    }
}
