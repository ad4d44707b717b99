package org.multimagnet.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.SafeFiles;
import org.multimagnet.common.UserException;
import org.multimagnet.sweep.ArrayIndex;
import org.multimagnet.sweep.SchedulerFiles;
import org.multimagnet.sweep.SlurmSubmission;
import org.multimagnet.sweep.SweepCharts;
import org.multimagnet.sweep.SweepGrid;
import org.multimagnet.sweep.SweepMerge;
import org.multimagnet.sweep.SweepTask;
import org.multimagnet.sweep.TaskList;
import org.multimagnet.sweep.TaskRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sweep}: many independent studies as one job array (docs/sweeps.md). {@code expand} turns a declared grid
 * into a task list, {@code run} runs one task (its index given or taken from Slurm or Kubernetes), {@code merge}
 * tabulates the finished ones, {@code slurm} and {@code k8s} write what the scheduler needs.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run many studies (seeds, attack parameters, defenses, protocol sizes) as a job array.",
        subcommands = {SweepCommand.Expand.class, SweepCommand.Run.class, SweepCommand.Merge.class,
                SweepCommand.Slurm.class, SweepCommand.Kubernetes.class})
final class SweepCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing a subcommand (expand, run, merge, slurm, k8s)");
    }

    /** {@code sweep expand}: the grid file to {@code DIR/tasks.jsonl}. */
    @Command(name = "expand", mixinStandardHelpOptions = true,
            description = "Check a sweep file and write its tasks, one a line, to DIR/tasks.jsonl.")
    static final class Expand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--grid", required = true, paramLabel = "SWEEP.json", description = "The sweep file.")
        Path grid;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The sweep folder.")
        Path out;

        @Mixin
        ReplaceOption replace;

        @Override
        public Integer call() {
            List<SweepTask> tasks = SweepGrid.expand(grid);
            TaskList.Written how = TaskList.write(out, tasks, replace.consent());
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%d tasks %s %s%n", tasks.size(), switch (how) {
                case NEW -> "written to";
                case UNCHANGED -> "already in";
                case REPLACED -> "replaced in";
            }, out.resolve(TaskList.TASKS));
            for (SweepTask t : tasks.subList(0, Math.min(tasks.size(), 3))) {
                o.println("  " + describe(t));
            }
            if (tasks.size() > 3) {
                o.println("  ...");
            }
            o.printf("run one with 'sweep run --tasks %s --index I' (I from 0 to %d), or all of them with "
                    + "'sweep slurm' or 'sweep k8s'%n", out, tasks.size() - 1);
            return 0;
        }
    }

    /** {@code sweep run}: one task into {@code DIR/runs/<id>/}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run one task of a sweep into DIR/runs/<id>/ (a finished task is not run again).")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--tasks", required = true, paramLabel = "DIR", description = "The sweep folder.")
        Path tasks;

        @Option(names = "--index", paramLabel = "I",
                description = "The task's index (default: $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX).")
        Integer index;

        @Override
        public Integer call() {
            int i = ArrayIndex.resolve(index, System.getenv());
            SweepTask task = TaskRunner.task(tasks, i);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            err.println("task " + describe(task));
            err.flush();
            TaskRunner.Outcome o = TaskRunner.run(tasks, task, line -> {
                err.println("  " + line);
                err.flush();
            }, Cli.cancellation());
            switch (o.status()) {
                case ALREADY_FINISHED -> out.println("task " + task.id() + " already finished: nothing to do ("
                        + o.folder().resolve("result.json") + ")");
                case FINISHED -> out.printf(Locale.ROOT, "task %s finished: ACC %s, detection rate %s, FPR %s; "
                        + "wrote %s%n", task.id(), o.result().metrics().get("accuracy").percent(),
                        o.result().metrics().get("detectionRate").percent(),
                        o.result().metrics().get("falsePositiveRate").percent(), o.folder());
                case FAILED -> {
                    err.println("error: task " + task.id() + " failed: " + o.message().replace('\n', ' ') + " (see "
                            + o.folder().resolve(TaskRunner.ERROR) + ")");
                    return o.failure() instanceof UserException ? Cli.EXIT_BAD_INPUT : 1;
                }
                default -> throw new IllegalStateException(o.status().toString());
            }
            out.flush();
            return 0;
        }
    }

    /** {@code sweep merge}: the finished tasks into one table. */
    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Tabulate the finished tasks (μ ± σ over seeds), list the missing and failed ones, draw "
                    + "charts: DIR/merged.csv, DIR/merged.json, DIR/charts/.")
    static final class Merge implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--tasks", required = true, paramLabel = "DIR", description = "The sweep folder.")
        Path tasks;

        @Override
        public Integer call() {
            SweepMerge.Merged m = SweepMerge.merge(tasks);
            SweepMerge.write(tasks, m);
            List<Path> charts = SweepCharts.write(tasks, m);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%d of %d tasks finished, %d failed, %d missing%n", m.finished().size(), m.taskCount(),
                    m.failed().size(), m.missing().size());
            out.printf("%-34s %-6s %-18s %-18s %-18s%n", "study", "seeds", "ACC", "detection rate", "FPR");
            for (SweepMerge.Group g : m.groups()) {
                out.printf("%-34s %-6s %-18s %-18s %-18s%n", study(g), g.seeds().size() + "/" + g.tasks(),
                        g.metrics().get("accuracy").percent(), g.metrics().get("detectionRate").percent(),
                        g.metrics().get("falsePositiveRate").percent());
            }
            for (SweepMerge.Unfinished u : m.failed()) {
                out.println("failed:  " + u.index() + " " + u.id() + ": " + u.error());
            }
            for (SweepMerge.Unfinished u : m.missing()) {
                out.println("missing: " + u.index() + " " + u.id());
            }
            out.println("wrote " + tasks.resolve(SweepMerge.CSV) + ", " + tasks.resolve(SweepMerge.JSON)
                    + (charts.isEmpty() ? "" : " and " + charts.size() + " chart" + (charts.size() == 1 ? "" : "s")
                    + " in " + tasks.resolve(SweepCharts.FOLDER)));
            return 0;
        }

        private static String study(SweepMerge.Group g) {
            @SuppressWarnings("unchecked")
            java.util.Map<String, String> params = (java.util.Map<String, String>) g.combination().get("params");
            String p = String.join(" ", params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            Object n = g.combination().get("ensembleSizes");
            return g.combination().get("attack") + (p.isEmpty() ? "" : " " + p) + " " + g.combination().get("defense")
                    + (n == null ? "" : " n∈" + n.toString().replace(" ", ""));
        }
    }

    /** {@code sweep slurm}: the array script, submitted on request. */
    @Command(name = "slurm", mixinStandardHelpOptions = true,
            description = "Write DIR/sweep.sbatch, a Slurm job array of one task per index; --submit hands it "
                    + "to sbatch.")
    static final class Slurm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--tasks", required = true, paramLabel = "DIR", description = "The sweep folder.")
        Path tasks;

        @Option(names = "--partition", paramLabel = "P", description = "Slurm partition (default: the cluster's).")
        String partition;

        @Option(names = "--time", paramLabel = "T", description = "Time limit per task, e.g. 01:00:00.")
        String time;

        @Option(names = "--mem", paramLabel = "M", description = "Memory per task, e.g. 8G.")
        String mem;

        @Option(names = "--cpus", paramLabel = "C", description = "CPUs per task.")
        Integer cpus;

        @Option(names = "--parallel", paramLabel = "N", description = "At most N tasks at once (default: no limit).")
        Integer parallel;

        @Option(names = "--launch", paramLabel = "CMD",
                description = "How a task starts this program (default: java -jar <this jar>).")
        String launch;

        @Option(names = "--submit", description = "Submit the script with sbatch and print the job id.")
        boolean submit;

        @Option(names = "--sbatch", defaultValue = "sbatch", paramLabel = "CMD",
                description = "The sbatch command (default: ${DEFAULT-VALUE}).")
        String sbatch;

        @Mixin
        ReplaceOption replace;

        @Override
        public Integer call() {
            Path dir = tasks.toAbsolutePath().normalize();
            int n = TaskList.read(dir).size();
            String script = SchedulerFiles.slurm(dir, n, launchCommand(launch),
                    new SchedulerFiles.SlurmRequest(partition, time, mem, cpus, parallel));
            Path file = dir.resolve(SchedulerFiles.SBATCH);
            writeGenerated(file, script, replace);
            try {
                Files.createDirectories(dir.resolve(SchedulerFiles.LOGS));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(dir.resolve(SchedulerFiles.LOGS) + ": " + e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + file + " (array 0-" + (n - 1) + ", output in " + dir.resolve(SchedulerFiles.LOGS)
                    + ")");
            if (submit) {
                String id = SlurmSubmission.submit(sbatch, file);
                out.println("submitted job " + id + " (" + n + " tasks); when it is done: sweep merge --tasks " + dir);
            } else {
                out.println("submit it with 'sbatch " + file + "'");
            }
            return 0;
        }
    }

    /** {@code sweep k8s}: a Kubernetes Indexed Job. */
    @Command(name = "k8s", mixinStandardHelpOptions = true,
            description = "Write DIR/sweep-job.yaml, a Kubernetes Indexed Job of one pod per task.")
    static final class Kubernetes implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--tasks", required = true, paramLabel = "DIR", description = "The sweep folder.")
        Path tasks;

        @Option(names = "--image", defaultValue = "multimagnet:latest", paramLabel = "IMG",
                description = "Container image holding the program (default: ${DEFAULT-VALUE}).")
        String image;

        @Option(names = "--parallelism", defaultValue = "4", paramLabel = "P",
                description = "Pods at once (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(names = "--volume-claim", paramLabel = "PVC",
                description = "A PersistentVolumeClaim mounted at DIR (the sweep folder, shared by the pods).")
        String volumeClaim;

        @Option(names = "--launch", defaultValue = "java -jar /opt/multimagnet/multimagnet.jar", paramLabel = "CMD",
                description = "How the container starts this program (default: ${DEFAULT-VALUE}).")
        String launch;

        @Mixin
        ReplaceOption replace;

        @Override
        public Integer call() {
            Path dir = tasks.toAbsolutePath().normalize();
            int n = TaskList.read(dir).size();
            String yaml = SchedulerFiles.kubernetes(dir, n, image, words(launch), parallelism, volumeClaim);
            Path file = dir.resolve(SchedulerFiles.K8S);
            writeGenerated(file, yaml, replace);
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + file + " (Indexed Job, " + n + " completions); start it with 'kubectl apply -f "
                    + file + "'");
            return 0;
        }
    }

    /** One line naming a task's parameters. */
    static String describe(SweepTask t) {
        return t.index() + " " + t.id() + ": " + t.attack() + (t.params().isEmpty() ? "" : " " + t.paramsText())
                + ", " + t.defense() + (t.ensembleSizes() == null ? "" : " n∈" + t.ensembleSizes()) + ", "
                + t.chunks() + " chunks of " + t.chunkSize() + ", V_atk " + t.validationCount() + ", D_atk "
                + t.testCount() + ", seed " + t.seed();
    }

    /** A generated file: written when new or the same, replaced only with --replace. */
    private static void writeGenerated(Path file, String text, ReplaceOption replace) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        if (SafeFiles.existsNoFollow(file) && !replace.replace
                && !Arrays.equals(SafeFiles.read(file, 1 << 20), content)) {
            throw UserException.badFile(file, "exists with other contents; give --replace to write it anew");
        }
        AtomicFiles.write(file, content);
    }

    /** The words that start this program: the given command, or java -jar with the jar this class came from. */
    static List<String> launchCommand(String given) {
        if (given != null) {
            return words(given);
        }
        try {
            Path self = Path.of(SweepCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (self.toString().endsWith(".jar")) {
                return List.of("java", "-jar", self.toAbsolutePath().toString());
            }
        } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
            // told below
        }
        throw new UserException("--launch: not running from the jar, so give the command that starts the program "
                + "on the cluster, e.g. --launch 'java -jar /path/to/multimagnet.jar'");
    }

    private static List<String> words(String command) {
        List<String> w = Arrays.stream(command.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        if (w.isEmpty()) {
            throw new UserException("--launch: expected a command, e.g. 'java -jar /path/to/multimagnet.jar'");
        }
        return w;
    }
}
