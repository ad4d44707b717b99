package org.multimagnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.multimagnet.common.Json;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.DatasetSources;
import org.multimagnet.experiment.Benchmark;
import org.multimagnet.experiment.BenchmarkResult;
import org.multimagnet.experiment.BenchmarkSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench [--json] [--quick]}: the engine benchmark (docs/benchmarks.md) on the sample MNIST digits (see
 * {@link Benchmark}); compare with {@code src/bench/python/pytorch_reference.py} run on the same machine.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the engine on the workloads of docs/benchmarks.md (training, inference, attacks,"
                + " deployment, calibration) on the sample MNIST digits, with random initial weights.",
                "The full run takes a few minutes on 2 cores; --quick takes a minute or two."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object (keys as the PyTorch reference prints them).")
    boolean json;

    @Option(names = "--quick", description = "Fewer images per workload (same models and batch sizes).")
    boolean quick;

    /** For tests: every image count at most this (0 = no cap). */
    @Option(names = "--cap", hidden = true, defaultValue = "0")
    int cap;

    /** For tests: iterations of every iterative attack (0 = the workloads' 50/50/100). */
    @Option(names = "--attack-iterations", hidden = true, defaultValue = "0")
    int attackIterations;

    @Override
    public Integer call() throws IOException {
        BenchmarkSettings settings = quick ? BenchmarkSettings.reduced() : BenchmarkSettings.full();
        if (cap > 0) {
            settings = settings.cappedAt(cap);
        }
        if (attackIterations > 0) {
            settings = settings.withAttackIterations(attackIterations);
        }
        Dataset mnist = DatasetSources.load("sample:mnist");
        PrintWriter err = spec.commandLine().getErr();
        Path scratch = Files.createTempDirectory("multimagnet-bench");
        BenchmarkResult r;
        try {
            r = new Benchmark((done, total, message) -> {
                err.printf("bench: %s (%d/%d)%n", message, done, total);
                err.flush();
            }, Cli.cancellation()).run(mnist, settings, scratch);
        } finally {
            deleteQuietly(scratch);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(r));
        } else {
            printText(out, r);
        }
        out.flush();
        return 0;
    }

    private static void printText(PrintWriter out, BenchmarkResult r) {
        out.printf("MultiMagNet engine benchmark%s, %s, %d threads%n", r.quick() ? " (quick)" : "", r.backend(),
                r.threads());
        out.printf("  %-18s %,12.0f img/s%n", "ae_train", r.aeTrainImgS());
        out.printf("  %-18s %,12.0f img/s%n", "ae_infer", r.aeInferImgS());
        out.printf("  %-18s %,12.0f img/s%n", "clf_train", r.clfTrainImgS());
        out.printf("  %-18s %,12.0f img/s%n", "clf_infer", r.clfInferImgS());
        out.printf("  %-18s %,12.1f img/s%n", "fgsm", r.fgsmImgS());
        out.printf("  %-18s %,12.1f img/s%n", "bim50", r.bim50ImgS());
        out.printf("  %-18s %,12.1f img/s%n", "deepfool", r.deepfoolImgS());
        out.printf("  %-18s %,12.1f img/s%n", "cw100", r.cw100ImgS());
        out.printf("  %-18s %,12.0f img/s%n", "deploy_n5", r.deployN5ImgS());
        out.printf("  %-18s %,12.1f ms%n", "deploy_one", r.deployOneMs());
        out.printf("  %-18s %,12.2f (forward passes %.2f s, grid %.2f s)%n", "calibration_ratio",
                r.calibrationRatio(), r.calibrationForwardSeconds(), r.calibrationGridSeconds());
        out.printf("  %-18s %,12.0f img/s%n", "cifar_clf_train", r.cifarClfTrainImgS());
        out.printf("  %-18s %,12.0f img/s%n", "cifar_clf_infer", r.cifarClfInferImgS());
        out.printf("  %-18s %,12.0f img/s%n", "cifar_input_grad", r.cifarInputGradImgS());
        out.printf("  %-18s %,12.0f img/s%n", "cifar_ae_train", r.cifarAeTrainImgS());
        out.printf("  %-18s %,12.0f img/s%n", "cifar_ae_infer", r.cifarAeInferImgS());
        out.printf("  finished %s after %.0f s%n", r.date(), r.seconds());
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
