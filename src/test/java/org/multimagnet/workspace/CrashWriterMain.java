package org.multimagnet.workspace;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child process of {@link CrashSafetyKillTest}: saves, again and again, a model (through
 * {@link ModelStore#save(String, byte[], ModelManifest)}, the path every model save takes), an attack set and a
 * calibration into a workspace, each time as the next version, until it is killed. It prints the step it is
 * about to take, so that the test knows where its kills landed.
 *
 * <p>Arguments: the workspace folder, the first version, then the model files to cycle through (pre-serialised by
 * the test so that this process never starts ND4J and comes up in a second).
 */
public final class CrashWriterMain {
    private CrashWriterMain() {
    }

    public static void main(String[] args) throws IOException {
        Path w = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        byte[][] models = new byte[args.length - 2][];
        for (int i = 2; i < args.length; i++) {
            models[i - 2] = Files.readAllBytes(Path.of(args[i]));
        }
        ModelStore store = new ModelStore(w);
        CalibrationStore calibration = new CalibrationStore(w);
        Path set = AttackSetStore.folder(w, CrashArtifacts.ATTACK, "test");
        // load the classes every save needs before saying "ready", so that the kills land in saves, not in start-up
        org.multimagnet.common.Json.write(CrashArtifacts.modelDraft(0));
        org.multimagnet.common.Json.write(CrashArtifacts.calibration(0).cBest());
        org.multimagnet.common.Checksums.sha256(models[0]);
        CrashArtifacts.outcome(0);
        PrintStream out = System.out;
        out.println("ready");
        out.flush();
        for (long v = first; ; v++) {
            out.println("model " + v);
            out.flush();
            store.save(CrashArtifacts.MODEL_STEM, models[(int) (v % models.length)], CrashArtifacts.modelDraft(v));
            out.println("attack " + v);
            out.flush();
            AttackSetStore.save(set, CrashArtifacts.outcome(v), CrashArtifacts.provenance(v));
            out.println("calibration " + v);
            out.flush();
            calibration.write(CrashArtifacts.ATTACK, CrashArtifacts.grid(v), CrashArtifacts.calibration(v));
        }
    }
}
