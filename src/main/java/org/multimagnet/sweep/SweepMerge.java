package org.multimagnet.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Json;
import org.multimagnet.common.SafeFiles;
import org.multimagnet.experiment.MeanStd;

/**
 * Gathers a sweep's finished tasks into one table: for each combination of parameters but the seed, μ and σ over
 * its seeds of each task's scores (the chunk means), and the tasks that have not run or failed.
 *
 * <p>σ is the population standard deviation, as {@link MeanStd} computes it over chunks.
 */
public final class SweepMerge {
    /** The table's files in the sweep folder. */
    public static final String CSV = "merged.csv";
    public static final String JSON = "merged.json";

    /** The scores merged, in column order: the protocol's chunk means, then the attack's success rate on D_leg. */
    public static final List<String> METRICS = List.of("accuracy", "detectionRate", "acceptanceRate",
            "falsePositiveRate", "noDefense", "withDefense", "withReformer", "attackSuccessRate");

    private SweepMerge() {
    }

    /**
     * One combination of parameters over its seeds.
     *
     * @param combination the parameters the tasks share (all but the seed)
     * @param seeds       the seeds of its finished tasks, in task order
     * @param tasks       how many tasks the list holds for it
     * @param metrics     each score's μ and σ over the finished seeds
     */
    public record Group(Map<String, Object> combination, List<Long> seeds, int tasks, Map<String, MeanStd> metrics) {
    }

    /**
     * A task that has no result.
     *
     * @param index its index
     * @param id    its id
     * @param error the first line of its error file; null when it has not run (or is running)
     */
    public record Unfinished(int index, String id, String error) {
    }

    /**
     * @param taskCount every task of the list
     * @param finished  the finished tasks' results, in task order
     * @param groups    one row per combination, in task order of its first task
     * @param missing   the tasks not run (or still running)
     * @param failed    the tasks that failed
     */
    public record Merged(int taskCount, List<TaskResult> finished, List<Group> groups, List<Unfinished> missing,
                         List<Unfinished> failed) {
    }

    /** Reads every task's folder of a sweep. */
    public static Merged merge(Path sweep) {
        List<SweepTask> tasks = TaskList.read(sweep);
        List<TaskResult> finished = new ArrayList<>();
        List<Unfinished> missing = new ArrayList<>();
        List<Unfinished> failed = new ArrayList<>();
        Map<Map<String, Object>, List<SweepTask>> byCombination = new LinkedHashMap<>();
        Map<String, TaskResult> results = new LinkedHashMap<>();
        for (SweepTask t : tasks) {
            byCombination.computeIfAbsent(t.combination(), k -> new ArrayList<>()).add(t);
            Path folder = TaskList.runFolder(sweep, t);
            if (SafeFiles.existsNoFollow(folder.resolve(TaskResult.FILE))) {
                TaskResult r = TaskRunner.readResult(folder);
                finished.add(r);
                results.put(t.id(), r);
            } else if (SafeFiles.existsNoFollow(folder.resolve(TaskRunner.ERROR))) {
                failed.add(new Unfinished(t.index(), t.id(), TaskRunner.firstLine(folder.resolve(TaskRunner.ERROR))));
            } else {
                missing.add(new Unfinished(t.index(), t.id(), null));
            }
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<Map<String, Object>, List<SweepTask>> e : byCombination.entrySet()) {
            List<TaskResult> done = e.getValue().stream().map(t -> results.get(t.id()))
                    .filter(java.util.Objects::nonNull).toList();
            Map<String, MeanStd> metrics = new LinkedHashMap<>();
            for (String metric : METRICS) {
                metrics.put(metric, MeanStd.of(done.stream().mapToDouble(r -> value(r, metric)).toArray()));
            }
            groups.add(new Group(e.getKey(), done.stream().map(r -> r.task().seed()).toList(), e.getValue().size(),
                    metrics));
        }
        return new Merged(tasks.size(), finished, groups, missing, failed);
    }

    /** @return a task's score: a chunk mean of the protocol, or the attack's success rate */
    static double value(TaskResult r, String metric) {
        if (metric.equals("attackSuccessRate")) {
            Double v = r.attack() == null ? null : r.attack().get("successRate");
            return v == null ? Double.NaN : v;
        }
        MeanStd m = r.metrics() == null ? null : r.metrics().get(metric);
        return m == null ? Double.NaN : m.mean();
    }

    /** Writes merged.csv and merged.json into the sweep folder. */
    public static void write(Path sweep, Merged merged) {
        AtomicFiles.write(sweep.resolve(CSV), csv(merged).getBytes(StandardCharsets.UTF_8));
        Json.writeFile(sweep.resolve(JSON), json(merged));
    }

    /** One row per combination: its parameters, its seeds, then μ and σ of every score. */
    static String csv(Merged merged) {
        StringBuilder sb = new StringBuilder("attack,params,defense,ensembleSizes,chunks,chunkSize,validationCount,"
                + "testCount,seeds,finished,tasks");
        for (String m : METRICS) {
            sb.append(',').append(m).append("Mean,").append(m).append("Std");
        }
        sb.append('\n');
        for (Group g : merged.groups()) {
            Map<String, Object> c = g.combination();
            @SuppressWarnings("unchecked")
            Map<String, String> params = (Map<String, String>) c.get("params");
            List<String> cells = new ArrayList<>(List.of(String.valueOf(c.get("attack")),
                    String.join(" ", params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()),
                    String.valueOf(c.get("defense")),
                    c.get("ensembleSizes") == null ? "cbest" : c.get("ensembleSizes").toString().replace(", ", " "),
                    String.valueOf(c.get("chunks")), String.valueOf(c.get("chunkSize")),
                    String.valueOf(c.get("validationCount")), String.valueOf(c.get("testCount")),
                    String.join(" ", g.seeds().stream().map(String::valueOf).toList()),
                    String.valueOf(g.seeds().size()), String.valueOf(g.tasks())));
            for (String m : METRICS) {
                MeanStd v = g.metrics().get(m);
                cells.add(number(v.mean()));
                cells.add(number(v.std()));
            }
            sb.append(String.join(",", cells.stream().map(SweepMerge::csvCell).toList())).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, Object> json(Merged merged) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tasks", merged.taskCount());
        m.put("finished", merged.finished().size());
        m.put("groups", merged.groups());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TaskResult r : merged.finished()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", r.task().index());
            row.put("id", r.id());
            row.put("seed", r.task().seed());
            row.put("combination", r.task().combination());
            Map<String, Double> scores = new LinkedHashMap<>();
            for (String metric : METRICS) {
                scores.put(metric, value(r, metric));
            }
            row.put("scores", scores);
            rows.add(row);
        }
        m.put("results", rows);
        m.put("missing", merged.missing());
        m.put("failed", merged.failed());
        return m;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
