package org.multimagnet.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.experiment.MeanStd;
import org.multimagnet.workspace.Consent;

/**
 * {@code sweep merge} on a sweep folder made by hand: μ and σ over seeds against values worked out on paper, the
 * missing and failed tasks listed, and a task that fails recording why.
 */
class SweepMergeTest {

    private static SweepTask task(int index, String workspace, String eps, long seed) {
        return SweepTask.of(index, workspace, "fgsm", Map.of("eps", eps), "multimagnet", null, 2, 20, 40, 40, null,
                seed);
    }

    private static void finish(Path sweep, SweepTask t, double accuracy, double fpr, double success) throws Exception {
        Map<String, MeanStd> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", new MeanStd(accuracy, 0.01, 2));
        metrics.put("detectionRate", new MeanStd(1.0, 0, 2));
        metrics.put("acceptanceRate", new MeanStd(1.0, 0, 2));
        metrics.put("falsePositiveRate", new MeanStd(fpr, 0, 2));
        Path folder = TaskList.runFolder(sweep, t);
        Files.createDirectories(folder);
        Json.writeFile(folder.resolve(TaskResult.FILE), new TaskResult(t.id(), t, metrics,
                Map.of("successRate", success), Map.of(), Map.of()));
    }

    @Test
    void meansAndDeviationsOverSeedsAndTheUnfinishedTasks(@TempDir Path sweep) throws Exception {
        String ws = sweep.resolve("no-workspace-here").toString();
        List<SweepTask> tasks = new ArrayList<>();
        for (String eps : List.of("0.1", "0.2")) {
            for (long seed : new long[] {1, 2, 3}) {
                tasks.add(task(tasks.size(), ws, eps, seed));
            }
        }
        TaskList.write(sweep, tasks, Consent.ASK_FIRST);
        // ε = 0.1: all three seeds; ε = 0.2: seed 1 finished, seed 2 fails (its workspace is missing), 3 not run
        finish(sweep, tasks.get(0), 0.9, 0.02, 0.5);
        finish(sweep, tasks.get(1), 0.8, 0.04, 0.6);
        finish(sweep, tasks.get(2), 0.6, 0.00, 0.7);
        finish(sweep, tasks.get(3), 0.7, 0.10, 0.9);
        TaskRunner.Outcome failed = TaskRunner.run(sweep, tasks.get(4), line -> { }, new Cancellation());
        assertEquals(TaskRunner.Status.FAILED, failed.status());
        assertTrue(failed.message().contains(ws + ": not a workspace"), failed.message());
        assertTrue(Files.readString(failed.folder().resolve(TaskRunner.ERROR)).startsWith("task " + tasks.get(4).id()
                + " (index 4) failed: " + ws + ": not a workspace"));
        assertNull(failed.result());

        SweepMerge.Merged m = SweepMerge.merge(sweep);
        assertEquals(6, m.taskCount());
        assertEquals(4, m.finished().size());
        assertEquals(List.of(new SweepMerge.Unfinished(5, tasks.get(5).id(), null)), m.missing());
        assertEquals(1, m.failed().size());
        assertEquals(4, m.failed().get(0).index());
        assertTrue(m.failed().get(0).error().contains("not a workspace"), m.failed().get(0).error());

        assertEquals(2, m.groups().size());
        SweepMerge.Group first = m.groups().get(0);
        assertEquals(List.of(1L, 2L, 3L), first.seeds());
        assertEquals(3, first.tasks());
        // accuracies 0.9, 0.8, 0.6: μ = 2.3 / 3; deviations 0.1333, 0.0333, -0.1667; Σ² = 0.046667; σ = √(Σ²/3)
        assertEquals(0.766667, first.metrics().get("accuracy").mean(), 1e-6);
        assertEquals(0.124722, first.metrics().get("accuracy").std(), 1e-6);
        // FPR 0.02, 0.04, 0.00: μ = 0.02, σ = √((0 + 0.0004 + 0.0004) / 3) = 0.016330
        assertEquals(0.02, first.metrics().get("falsePositiveRate").mean(), 1e-12);
        assertEquals(0.016330, first.metrics().get("falsePositiveRate").std(), 1e-6);
        assertEquals(0.6, first.metrics().get("attackSuccessRate").mean(), 1e-12);
        SweepMerge.Group second = m.groups().get(1);
        assertEquals(List.of(1L), second.seeds());
        assertEquals(0.7, second.metrics().get("accuracy").mean(), 0.0);
        assertEquals(0.0, second.metrics().get("accuracy").std(), 0.0);
        assertTrue(Double.isNaN(second.metrics().get("noDefense").mean()), "a score no task recorded is undefined");

        SweepMerge.write(sweep, m);
        List<String> csv = Files.readAllLines(sweep.resolve(SweepMerge.CSV));
        assertEquals(3, csv.size());
        assertTrue(csv.get(0).startsWith("attack,params,defense,ensembleSizes,chunks,chunkSize,validationCount,"
                + "testCount,seeds,finished,tasks,accuracyMean,accuracyStd,"), csv.get(0));
        assertTrue(csv.get(1).startsWith("fgsm,eps=0.1,multimagnet,cbest,2,20,40,40,1 2 3,3,3,0.766667,0.124722,"),
                csv.get(1));
        assertTrue(csv.get(2).startsWith("fgsm,eps=0.2,multimagnet,cbest,2,20,40,40,1,1,3,0.700000,0.000000,"),
                csv.get(2));
        JsonNode json = Json.mapper().readTree(sweep.resolve(SweepMerge.JSON).toFile());
        assertEquals(4, json.get("finished").asInt());
        assertEquals(5, json.get("missing").get(0).get("index").asInt());
        assertEquals(4, json.get("failed").get(0).get("index").asInt());
        assertEquals(0.9, json.get("results").get(0).get("scores").get("accuracy").asDouble(), 0.0);

        List<Path> charts = SweepCharts.write(sweep, m);
        assertEquals(List.of("accuracy-vs-eps.png", "detectionRate-vs-eps.png", "falsePositiveRate-vs-eps.png"),
                charts.stream().map(p -> p.getFileName().toString()).toList());
        byte[] png = Files.readAllBytes(charts.get(0));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void aFinishedTaskIsNotRunAgainAndAFailedOneIs(@TempDir Path sweep) throws Exception {
        SweepTask t = task(0, sweep.resolve("missing").toString(), "0.1", 1);
        TaskList.write(sweep, List.of(t), Consent.ASK_FIRST);
        assertEquals(TaskRunner.Status.FAILED, TaskRunner.run(sweep, t, line -> { }, new Cancellation()).status());
        List<String> log = new ArrayList<>();
        assertEquals(TaskRunner.Status.FAILED, TaskRunner.run(sweep, t, log::add, new Cancellation()).status());
        assertTrue(log.get(0).startsWith("earlier run failed: task " + t.id()), log.toString());
        // no temporary folder is left behind by either run
        try (var entries = Files.list(sweep.resolve(TaskList.RUNS))) {
            assertEquals(List.of(t.id()), entries.map(p -> p.getFileName().toString()).toList());
        }
        finish(sweep, t, 0.5, 0, 0);
        TaskRunner.Outcome o = TaskRunner.run(sweep, t, line -> { }, new Cancellation());
        assertEquals(TaskRunner.Status.ALREADY_FINISHED, o.status());
        assertEquals(0.5, o.result().metrics().get("accuracy").mean(), 0.0);
    }
}
