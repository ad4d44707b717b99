package org.multimagnet.ui;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.multimagnet.cli.Cli;
import org.multimagnet.workspace.WorkspaceLock;

/**
 * Another process working on a workspace, as a user at a terminal would: it holds the workspace's lock, waits for
 * "go" on standard input, then runs {@code train} on one member and {@code calibrate}, saying after each.
 * Arguments: the workspace, the member, the attack to calibrate on.
 */
public final class RetrainAndRecalibrateMain {
    private RetrainAndRecalibrateMain() {
    }

    public static void main(String[] args) throws Exception {
        String w = args[0];
        WorkspaceLock.acquire(Path.of(w));
        System.out.println("locked");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"go".equals(in.readLine())) {
            System.exit(3);
        }
        java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
        java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
        int trained = Cli.run(out, err, "train", "--replace", "--workspace", w, "--what", "autoencoders", "--members", args[1], "--epochs",
                "1", "--limit", "500", "--seed", "11");
        System.out.println("trained " + trained);
        System.out.flush();
        int calibrated = Cli.run(out, err, "calibrate", "--replace", "--workspace", w, "--attack", args[2], "--seed",
                "1");
        System.out.println("calibrated " + calibrated);
        System.out.flush();
        System.exit(trained == 0 && calibrated == 0 ? 0 : 1);
    }
}
