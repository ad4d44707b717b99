package org.multimagnet.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multimagnet.common.UserException;

/** Hands a batch script to Slurm's {@code sbatch} and reads back the job id. */
public final class SlurmSubmission {
    private SlurmSubmission() {
    }

    /**
     * @param sbatch the command, e.g. {@code sbatch} (found on the PATH) or a full path
     * @param script the batch script
     * @return the job id sbatch printed
     * @throws UserException when sbatch is missing, fails or prints no job id, with what it said
     */
    public static String submit(String sbatch, Path script) {
        List<String> command = new ArrayList<>(List.of(sbatch, script.toAbsolutePath().toString()));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UserException("cannot run '" + sbatch + "' (" + e.getMessage() + "); is Slurm installed here? "
                    + "The script is written: submit it with 'sbatch " + script + "' where Slurm is");
        }
        String output;
        int code;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            code = p.waitFor();
        } catch (IOException e) {
            throw new UserException("'" + sbatch + "' failed to answer: " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while sbatch ran");
        }
        String id = SchedulerFiles.jobId(output);
        if (code != 0 || id == null) {
            throw new UserException("sbatch " + script + " failed (exit " + code + "): "
                    + output.replace('\n', ' '));
        }
        return id;
    }
}
