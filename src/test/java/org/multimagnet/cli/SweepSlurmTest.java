package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Json;

/**
 * A sweep run by a real single-node Slurm: munged, slurmctld and slurmd started here on a minimal slurm.conf in a
 * temporary folder, the array script that {@code sweep slurm --submit} writes handed to sbatch, every task run
 * by Slurm in its own JVM, and {@code sweep merge} reporting them all. Where Slurm is not installed or its daemons
 * do not start (not root, no munge), the test is skipped and says why.
 */
class SweepSlurmTest {
    private static final Path MUNGED = Path.of("/usr/sbin/munged");
    private static final Path SLURMCTLD = Path.of("/usr/sbin/slurmctld");
    private static final Path SLURMD = Path.of("/usr/sbin/slurmd");
    private static final long TASKS_TIMEOUT_MS = 150_000;

    private final List<Path> pidFiles = new ArrayList<>();
    private Path conf;
    private String jobId;

    @Test
    void aSweepRunsAsASlurmJobArrayAndMerges(@TempDir Path tmp) throws Exception {
        startSlurm(tmp);
        Path shared = TestWorkspaces.copy(TestWorkspaces.DEMO, Files.createDirectories(tmp.resolve("shared")));
        Map<String, String> before = TestWorkspaces.snapshot(shared);
        Path grid = tmp.resolve("grid.json");
        Files.writeString(grid, """
                {"falsePositiveRates": [0.01, 0.05], "temperatures": [1.0], "metrics": ["RE"],
                 "approaches": ["MTA"], "ensembleSizes": [1, 3], "seed": 1, "ensemblesPerCombination": 3}
                """);
        Path sweepFile = tmp.resolve("sweep.json");
        Files.writeString(sweepFile, """
                {"workspace": "%s", "seeds": [1, 2], "attacks": [{"name": "fgsm", "params": {"eps": [0.05, 0.1]}}],
                 "protocol": {"chunks": 2, "chunkSize": 10, "validationCount": 20, "testCount": 20},
                 "calibrationGrid": "%s"}
                """.formatted(shared, grid));
        Path sweep = tmp.resolve("sweep");
        CliRun expand = CliRun.of("sweep", "expand", "--grid", sweepFile.toString(), "--out", sweep.toString());
        assertEquals(0, expand.exit(), expand.err());

        // sbatch finds this test's cluster through SLURM_CONF, which the job inherits from it
        Path sbatch = tmp.resolve("sbatch");
        Files.writeString(sbatch, "#!/bin/sh\nSLURM_CONF=" + conf + " exec sbatch \"$@\"\n");
        sbatch.toFile().setExecutable(true);
        CliRun submit = CliRun.of("sweep", "slurm", "--tasks", sweep.toString(), "--partition", "sweep", "--cpus", "1",
                "--time", "00:05:00", "--submit", "--sbatch", sbatch.toString(), "--launch", launchCommand());
        assertEquals(0, submit.exit(), submit.err());
        String script = Files.readString(sweep.resolve("sweep.sbatch"));
        assertTrue(script.contains("#SBATCH --array=0-3\n") && script.contains("#SBATCH --partition=sweep\n"), script);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("submitted job (\\d+) \\(4 tasks\\)")
                .matcher(submit.out());
        assertTrue(m.find(), submit.out());
        jobId = m.group(1);

        List<JsonNode> tasks = new ArrayList<>();
        for (String line : Files.readAllLines(sweep.resolve("tasks.jsonl"))) {
            tasks.add(Json.mapper().readTree(line));
        }
        long deadline = System.currentTimeMillis() + TASKS_TIMEOUT_MS;
        while (!allEnded(sweep, tasks)) {
            assertTrue(System.currentTimeMillis() < deadline, "Slurm did not run the 4 tasks within "
                    + TASKS_TIMEOUT_MS / 1000 + " s:\n" + run(List.of("scontrol", "show", "job", jobId)));
            Thread.sleep(1000);
        }
        CliRun merge = CliRun.of("sweep", "merge", "--tasks", sweep.toString());
        assertEquals(0, merge.exit(), merge.err());
        assertTrue(merge.out().startsWith("4 of 4 tasks finished, 0 failed, 0 missing"), merge.out() + "\n"
                + Files.readString(sweep.resolve("logs/task-0.err")));
        for (JsonNode t : tasks) {
            JsonNode result = Json.mapper().readTree(sweep.resolve("runs").resolve(t.get("id").asText())
                    .resolve("result.json").toFile());
            JsonNode scheduler = result.get("provenance").get("scheduler");
            assertEquals(jobId, scheduler.get("SLURM_ARRAY_JOB_ID").asText(), result.toString());
            assertEquals(t.get("index").asText(), scheduler.get("SLURM_ARRAY_TASK_ID").asText());
            int index = t.get("index").asInt();
            assertTrue(Files.readString(sweep.resolve("logs/task-" + index + ".out")).contains("task "
                    + t.get("id").asText() + " finished"));
        }
        JsonNode merged = Json.mapper().readTree(sweep.resolve("merged.json").toFile());
        assertEquals(2, merged.get("groups").size());
        assertEquals(List.of(1L, 2L), List.of(merged.get("groups").get(0).get("seeds").get(0).asLong(),
                merged.get("groups").get(0).get("seeds").get(1).asLong()));
        assertEquals(before, TestWorkspaces.snapshot(shared), "a task wrote into the shared workspace");
    }

    private static boolean allEnded(Path sweep, List<JsonNode> tasks) {
        for (JsonNode t : tasks) {
            Path run = sweep.resolve("runs").resolve(t.get("id").asText());
            if (!Files.exists(run.resolve("result.json")) && !Files.exists(run.resolve("error.txt"))) {
                return false;
            }
        }
        return true;
    }

    /** This test's JVM and class path, so that the tasks run the code under test. */
    private static String launchCommand() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        assumeTrue(!classPath.contains(" "), "the class path holds a space, which --launch cannot carry");
        List<String> words = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.awt.headless=true"));
        for (String p : List.of("javacpp.platform.extension", "org.bytedeco.javacpp.platform.extension")) {
            String v = System.getProperty(p);
            if (v != null && !v.isEmpty()) {
                words.add("-D" + p + "=" + v);
            }
        }
        words.addAll(List.of("-cp", classPath, "org.multimagnet.Launcher"));
        return String.join(" ", words);
    }

    /** Starts munged, slurmctld and slurmd on a configuration of this test's own, or skips the test. */
    private void startSlurm(Path tmp) throws Exception {
        for (Path p : List.of(MUNGED, SLURMCTLD, SLURMD)) {
            assumeTrue(Files.isExecutable(p), p + " is missing: install slurm-wlm and munge to run this test");
        }
        assumeTrue(onPath("sbatch") && onPath("scontrol"), "sbatch or scontrol is not on the PATH");
        String user = System.getProperty("user.name");
        Path munge = Files.createDirectories(tmp.resolve("munge"));
        Files.setPosixFilePermissions(munge, PosixFilePermissions.fromString("rwx--x--x"));
        Path key = munge.resolve("key");
        byte[] secret = new byte[1024];
        new SecureRandom().nextBytes(secret); // a secret for this cluster only, not a random choice of the study
        Files.write(key, secret);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path socket = munge.resolve("sock");
        pidFiles.add(munge.resolve("pid"));
        Result munged = run(List.of(MUNGED.toString(), "--force", "--socket=" + socket, "--key-file=" + key,
                "--pid-file=" + munge.resolve("pid"), "--log-file=" + munge.resolve("log"),
                "--seed-file=" + munge.resolve("seed")));
        assumeTrue(munged.code == 0, "munged did not start: " + munged.output + tail(munge.resolve("log")));

        Path state = Files.createDirectories(tmp.resolve("state"));
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        conf = tmp.resolve("slurm.conf");
        Files.writeString(conf, String.join("\n",
                "ClusterName=sweeptest",
                "SlurmctldHost=localhost",
                "SlurmUser=" + user,
                "SlurmdUser=" + user,
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + socket,
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_CPU",
                "MpiDefault=none",
                "ReturnToService=2",
                "StateSaveLocation=" + state,
                "SlurmdSpoolDir=" + spool,
                "SlurmctldPidFile=" + tmp.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + tmp.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + tmp.resolve("slurmctld.log"),
                "SlurmdLogFile=" + tmp.resolve("slurmd.log"),
                "JobCompType=jobcomp/none",
                "AccountingStorageType=accounting_storage/none",
                "JobAcctGatherType=jobacct_gather/none",
                "NodeName=localhost CPUs=2 State=UNKNOWN",
                "PartitionName=sweep Nodes=localhost Default=YES MaxTime=INFINITE State=UP", ""));
        pidFiles.add(tmp.resolve("slurmctld.pid"));
        Result ctld = run(List.of(SLURMCTLD.toString(), "-f", conf.toString()));
        assumeTrue(ctld.code == 0, "slurmctld did not start: " + ctld.output + tail(tmp.resolve("slurmctld.log")));
        pidFiles.add(tmp.resolve("slurmd.pid"));
        Result slurmd = run(List.of(SLURMD.toString(), "-f", conf.toString(), "-N", "localhost"));
        assumeTrue(slurmd.code == 0, "slurmd did not start: " + slurmd.output + tail(tmp.resolve("slurmd.log")));
        long deadline = System.currentTimeMillis() + 30_000;
        String node = "";
        while (System.currentTimeMillis() < deadline) {
            node = run(List.of("scontrol", "-o", "show", "node", "localhost")).output;
            if (node.contains("State=IDLE")) {
                return;
            }
            Thread.sleep(500);
        }
        assumeTrue(false, "the Slurm node did not become idle within 30 s: " + node
                + tail(tmp.resolve("slurmd.log")) + tail(tmp.resolve("slurmctld.log")));
    }

    @AfterEach
    void stopSlurm() throws Exception {
        if (jobId != null && conf != null) {
            run(List.of("scancel", jobId));
        }
        // the daemons in the reverse order of their start, each by the id its pid file holds
        for (int i = pidFiles.size() - 1; i >= 0; i--) {
            Path f = pidFiles.get(i);
            if (!Files.exists(f)) {
                continue;
            }
            long pid = Long.parseLong(Files.readString(f).trim());
            java.util.Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isPresent()) {
                h.get().destroy();
                try {
                    h.get().onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    h.get().destroyForcibly();
                }
            }
        }
    }

    private record Result(int code, String output) {
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (conf != null) {
            pb.environment().put("SLURM_CONF", conf.toString());
        }
        // into a file, not a pipe: a daemon that forks keeps a pipe open long after the command returned
        Path log = Files.createTempFile("slurm-command", ".txt");
        try {
            Process p = pb.redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            return ended ? new Result(p.exitValue(), out) : new Result(-1, out + " (timed out)");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
