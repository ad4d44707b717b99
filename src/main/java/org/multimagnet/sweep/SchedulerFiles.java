package org.multimagnet.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multimagnet.common.UserException;

/**
 * The files a scheduler needs to run a sweep as an array: a Slurm batch script ({@code #SBATCH --array}) and a
 * Kubernetes Indexed Job manifest. Each array task runs {@code sweep run --tasks DIR}, which takes its index
 * from the scheduler's variable ({@link ArrayIndex}).
 */
public final class SchedulerFiles {
    /** The Slurm script's file name in the sweep folder. */
    public static final String SBATCH = "sweep.sbatch";
    /** The Kubernetes manifest's file name in the sweep folder. */
    public static final String K8S = "sweep-job.yaml";
    /** The folder of each Slurm array task's output. */
    public static final String LOGS = "logs";

    private SchedulerFiles() {
    }

    /**
     * What Slurm is asked for; null fields are left to the cluster's defaults.
     *
     * @param partition  {@code --partition}
     * @param time       {@code --time}, e.g. 01:00:00
     * @param memory     {@code --mem}, e.g. 8G
     * @param cpus       {@code --cpus-per-task}
     * @param parallel   the most array tasks running at once ({@code --array=0-N%P}), or null for no limit
     */
    public record SlurmRequest(String partition, String time, String memory, Integer cpus, Integer parallel) {
        public SlurmRequest {
            requireSafe("--partition", partition, "[A-Za-z0-9._,-]+");
            requireSafe("--time", time, "[0-9:-]+");
            requireSafe("--mem", memory, "[0-9]+[KMGTkmgt]?");
            if (cpus != null && cpus < 1) {
                throw new UserException("--cpus " + cpus + ": expected a number of CPUs ≥ 1");
            }
            if (parallel != null && parallel < 1) {
                throw new UserException("--parallel " + parallel + ": expected a number of tasks ≥ 1");
            }
        }
    }

    /**
     * The Slurm batch script of a sweep.
     *
     * @param sweep  the sweep folder (absolute: the tasks may start anywhere)
     * @param tasks  how many tasks the list holds
     * @param launch the command that starts this program, e.g. {@code java -jar /opt/multimagnet.jar}
     */
    public static String slurm(Path sweep, int tasks, List<String> launch, SlurmRequest request) {
        requireTasks(tasks);
        Path dir = sweep.toAbsolutePath().normalize();
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add("#SBATCH --job-name=multimagnet-sweep");
        lines.add("#SBATCH --array=0-" + (tasks - 1) + (request.parallel() == null ? "" : "%" + request.parallel()));
        // %a is the array index: each task's output beside the others', named by its index
        lines.add("#SBATCH --output=" + dir.resolve(LOGS) + "/task-%a.out");
        lines.add("#SBATCH --error=" + dir.resolve(LOGS) + "/task-%a.err");
        if (request.partition() != null) {
            lines.add("#SBATCH --partition=" + request.partition());
        }
        if (request.time() != null) {
            lines.add("#SBATCH --time=" + request.time());
        }
        if (request.memory() != null) {
            lines.add("#SBATCH --mem=" + request.memory());
        }
        if (request.cpus() != null) {
            lines.add("#SBATCH --cpus-per-task=" + request.cpus());
        }
        lines.add("");
        lines.add("# one task of the sweep, chosen by SLURM_ARRAY_TASK_ID; a finished task is not run again");
        List<String> command = new ArrayList<>(launch);
        command.addAll(List.of("sweep", "run", "--tasks", dir.toString()));
        lines.add("exec " + String.join(" ", command.stream().map(SchedulerFiles::quote).toList()));
        return String.join("\n", lines) + "\n";
    }

    /**
     * The Kubernetes Indexed Job of a sweep: {@code completions} = the number of tasks, each pod running the task
     * of its {@code JOB_COMPLETION_INDEX}. The sweep folder must be at the same path in the container (a shared
     * volume), as must the workspace the tasks read.
     *
     * @param image       the container image holding this program
     * @param launch      the command that starts this program inside it
     * @param parallelism the most pods running at once
     */
    public static String kubernetes(Path sweep, int tasks, String image, List<String> launch, int parallelism,
                                    String volumeClaim) {
        requireTasks(tasks);
        requireSafe("--image", image, "[A-Za-z0-9._/:@-]+");
        requireSafe("--volume-claim", volumeClaim, "[a-z0-9.-]+");
        if (parallelism < 1) {
            throw new UserException("--parallelism " + parallelism + ": expected a number of pods ≥ 1");
        }
        String dir = sweep.toAbsolutePath().normalize().toString();
        List<String> command = new ArrayList<>(launch);
        command.addAll(List.of("sweep", "run", "--tasks", dir));
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: batch/v1\n");
        y.append("kind: Job\n");
        y.append("metadata:\n");
        y.append("  name: multimagnet-sweep\n");
        y.append("spec:\n");
        y.append("  completionMode: Indexed\n");
        y.append("  completions: ").append(tasks).append('\n');
        y.append("  parallelism: ").append(Math.min(parallelism, tasks)).append('\n');
        // a failed task records its error in its folder; retrying the same pod would fail the same way
        y.append("  backoffLimitPerIndex: 0\n");
        y.append("  maxFailedIndexes: ").append(tasks).append('\n');
        y.append("  template:\n");
        y.append("    spec:\n");
        y.append("      restartPolicy: Never\n");
        y.append("      containers:\n");
        y.append("      - name: task\n");
        y.append("        image: ").append(image).append('\n');
        y.append("        command: [").append(String.join(", ", command.stream().map(SchedulerFiles::yamlString)
                .toList())).append("]\n");
        if (volumeClaim != null) {
            y.append("        volumeMounts:\n");
            y.append("        - name: sweep\n");
            y.append("          mountPath: ").append(yamlString(dir)).append('\n');
            y.append("      volumes:\n");
            y.append("      - name: sweep\n");
            y.append("        persistentVolumeClaim:\n");
            y.append("          claimName: ").append(volumeClaim).append('\n');
        }
        return y.toString();
    }

    private static void requireTasks(int tasks) {
        if (tasks < 1) {
            throw new UserException("the task list is empty: nothing to schedule");
        }
    }

    private static void requireSafe(String option, String value, String pattern) {
        if (value != null && !value.matches(pattern)) {
            throw new UserException(option + " " + value + ": expected characters matching " + pattern);
        }
    }

    /** Quotes a word for bash when it holds anything but plain characters. */
    static String quote(String word) {
        if (word.matches("[A-Za-z0-9._/=:@%+,-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** @return the job id in sbatch's answer ("Submitted batch job 42"), or null when it holds none */
    public static String jobId(String sbatchOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Submitted batch job (\\d+)")
                .matcher(sbatchOutput == null ? "" : sbatchOutput);
        return m.find() ? m.group(1) : null;
    }
}
