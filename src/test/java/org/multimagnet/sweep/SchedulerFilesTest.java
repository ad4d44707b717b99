package org.multimagnet.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.UserException;

/** The array script, the Indexed Job and where a task's index comes from. */
class SchedulerFilesTest {
    private static final Path DIR = Path.of("/data/sweeps/eps");

    @Test
    void slurmScriptIsAnArrayOfOneTaskPerIndex() {
        String s = SchedulerFiles.slurm(DIR, 12, List.of("java", "-jar", "/opt/mm/multimagnet.jar"),
                new SchedulerFiles.SlurmRequest("gpu", "02:00:00", "8G", 4, 3));
        assertEquals(List.of("#!/bin/bash", "#SBATCH --job-name=multimagnet-sweep", "#SBATCH --array=0-11%3",
                "#SBATCH --output=/data/sweeps/eps/logs/task-%a.out", "#SBATCH --error=/data/sweeps/eps/logs/task-%a.err",
                "#SBATCH --partition=gpu", "#SBATCH --time=02:00:00", "#SBATCH --mem=8G", "#SBATCH --cpus-per-task=4"),
                s.lines().limit(9).toList());
        assertTrue(s.endsWith("exec java -jar /opt/mm/multimagnet.jar sweep run --tasks /data/sweeps/eps\n"), s);
        String plain = SchedulerFiles.slurm(Path.of("/a b"), 1, List.of("java"),
                new SchedulerFiles.SlurmRequest(null, null, null, null, null));
        assertTrue(plain.contains("#SBATCH --array=0-0\n") && !plain.contains("--partition"), plain);
        assertTrue(plain.endsWith("exec java sweep run --tasks '/a b'\n"), plain);
        UserException bad = assertThrows(UserException.class,
                () -> new SchedulerFiles.SlurmRequest("gpu\n#SBATCH --x", null, null, null, null));
        assertTrue(bad.getMessage().startsWith("--partition gpu"), bad.getMessage());
    }

    @Test
    void kubernetesIndexedJobHasOneCompletionPerTask() {
        String y = SchedulerFiles.kubernetes(DIR, 6, "registry/mm:1.0", List.of("java", "-jar", "/opt/mm.jar"), 4,
                "sweeps");
        assertTrue(y.contains("  completionMode: Indexed\n  completions: 6\n  parallelism: 4\n"), y);
        assertTrue(y.contains("image: registry/mm:1.0\n"), y);
        assertTrue(y.contains("command: [\"java\", \"-jar\", \"/opt/mm.jar\", \"sweep\", \"run\", \"--tasks\", "
                + "\"/data/sweeps/eps\"]"), y);
        assertTrue(y.contains("claimName: sweeps"), y);
        assertTrue(SchedulerFiles.kubernetes(DIR, 2, "mm", List.of("java"), 4, null).contains("parallelism: 2\n"));
    }

    @Test
    void theIndexComesFromTheOptionThenSlurmThenKubernetes() {
        assertEquals(3, ArrayIndex.resolve(3, Map.of("SLURM_ARRAY_TASK_ID", "5")));
        assertEquals(5, ArrayIndex.resolve(null, Map.of("SLURM_ARRAY_TASK_ID", "5", "JOB_COMPLETION_INDEX", "7")));
        assertEquals(7, ArrayIndex.resolve(null, Map.of("JOB_COMPLETION_INDEX", "7")));
        UserException none = assertThrows(UserException.class, () -> ArrayIndex.resolve(null, Map.of()));
        assertTrue(none.getMessage().startsWith("no task index"), none.getMessage());
        UserException bad = assertThrows(UserException.class,
                () -> ArrayIndex.resolve(null, Map.of("SLURM_ARRAY_TASK_ID", "x")));
        assertEquals("SLURM_ARRAY_TASK_ID=x: expected a task index ≥ 0", bad.getMessage());
        assertEquals("42", SchedulerFiles.jobId("Submitted batch job 42\n"));
        assertNull(SchedulerFiles.jobId("sbatch: error: invalid partition"));
    }
}
