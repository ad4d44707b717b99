package org.multimagnet;

import org.multimagnet.cli.Cli;
import org.multimagnet.common.BuildInfo;
import org.multimagnet.ui.WorkbenchApp;

/**
 * Entry point of {@code multimagnet.jar}: with no arguments it opens the workbench, with a command it runs the
 * command line. A plain class (not a JavaFX {@code Application}) so the jar runs from the class path.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        BuildInfo.selectNativeBuild();
        if (args.length == 0) {
            WorkbenchApp.launchWorkbench(args);
        } else {
            System.exit(Cli.run(args));
        }
    }
}
