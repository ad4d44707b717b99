package org.multimagnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.CalibrationResult;
import org.multimagnet.defense.CalibrationTiming;
import org.multimagnet.defense.MemberThreshold;
import org.multimagnet.stage.CalibrateStage;
import org.multimagnet.stage.WorkspaceModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code calibrate}: the calibration stage (paper §4.1) for one attack. Reads F, S, V_leg and
 * V_atk ({@code W/attacks/<attack>-validation/}), evaluates every combination of the grid file C and writes
 * {@code W/calibration/<attack>/grid.json}, {@code grid-results.json}, {@code cbest.json} (MultiMagNet) and
 * {@code cbest-magnet.json} (MagNet); prints both C_best. {@code --json} prints one object keyed by defense
 * ({@code multimagnet}, {@code magnet}).
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Calibration stage (paper §4.1): try every combination of the grid file C on "
                + "V = V_leg ∪ V_atk and keep the most accurate as C_best.")
final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Option(names = "--attack", required = true, paramLabel = "A",
            description = "The attack whose validation set V_atk to calibrate against (fgsm, bim, deepfool, cw).")
    String attack;

    @Option(names = "--grid", paramLabel = "C.json",
            description = "The grid file C (default: W/calibration/A/grid.json if present, else the built-in "
                    + "example grid). Its seed gives way to --seed's; grid.json records the one used.")
    Path grid;

    @Mixin
    SeedOption seed;

    @Option(names = "--export-marks", paramLabel = "FILE.csv",
            description = "Write every mark computed on V as CSV: set (vleg|vatk), image, member, metric, T, mark.")
    Path exportMarks;

    @Mixin
    ReplaceOption replace;

    private final CalibrateStage stage;

    CalibrateCommand() {
        this(WorkspaceModels.fromFiles());
    }

    CalibrateCommand(WorkspaceModels models) {
        this.stage = new CalibrateStage(models);
    }

    @Override
    public Integer call() {
        Path workspace = shared.writing("calibrate");
        if (exportMarks != null && java.nio.file.Files.isDirectory(exportMarks)) {
            throw new UserException("--export-marks " + exportMarks + ": is a folder, expected a CSV file name");
        }
        if (exportMarks != null && exportMarks.getFileName() == null) {
            throw new UserException("--export-marks " + exportMarks + ": expected a CSV file name");
        }
        PrintWriter err = spec.commandLine().getErr();
        CalibrateStage.Result r = stage.run(new CalibrateStage.Request(workspace, attack, grid, null, seed.seed(),
                exportMarks, replace.consent(), 0), coarse(err), Cli.cancellation());
        PrintWriter out = spec.commandLine().getOut();
        if (shared.json) {
            java.util.Map<String, CBest> byDefense = new java.util.LinkedHashMap<>();
            r.calibration().best().forEach(b -> byDefense.put(b.defense().id(), b));
            out.println(Json.write(byDefense));
        } else {
            printText(out, r.calibration(), r.folder());
        }
        out.flush();
        return 0;
    }

    /** Reports progress on standard error at most every 10%, so that logs stay short. */
    private static ProgressListener coarse(PrintWriter err) {
        int[] lastDecile = {-1};
        return (done, total, message) -> {
            int decile = (int) (10 * done / Math.max(1, total));
            if (decile != lastDecile[0]) {
                lastDecile[0] = decile;
                err.printf("  %3d%% %s%n", 10 * decile, message);
                err.flush();
            }
        };
    }

    private static void printText(PrintWriter out, CalibrationResult r, Path folder) {
        CalibrationTiming t = r.timing();
        CBest first = r.cBest();
        out.printf("Calibration against %s (V_leg %,d + V_atk %,d images, %,d combinations, %d ensemble%s each, "
                + "seed %d)%n", first.attack(), first.vLegCount(), first.vAtkCount(), t.combinations(),
                first.ensemblesPerCombination(), first.ensemblesPerCombination() == 1 ? "" : "s", first.seed());
        for (CBest b : r.best()) {
            out.printf("C_best of %s: %s%n", b.defense().displayName(), b.combination());
            out.printf("  ACC %.4f   detection rate (Eq. 9's PPV) %.4f   acceptance rate (Eq. 9's NPV) %.4f%n",
                    b.acc(), b.ppv(), b.npv());
            out.printf("  confusion (Eq. 8): TN %d  FN %d  FP %d  TP %d%n", b.confusion().tn(), b.confusion().fn(),
                    b.confusion().fp(), b.confusion().tp());
            if (!b.ties().isEmpty()) {
                out.printf("  tied on ACC with %d other combination%s (the first in grid order was kept): %s%n",
                        b.ties().size(), b.ties().size() == 1 ? "" : "s",
                        String.join("; ", b.ties().stream().map(Object::toString).toList()));
            }
            out.print("  thresholds:");
            for (MemberThreshold m : b.thresholds()) {
                out.printf(" ae-%02d=%.6g", m.id(), m.threshold());
            }
            out.println();
        }
        out.printf("  time: forward passes %.2f s (%,d images through F, %,d through autoencoders), grid %.3f s "
                + "(%,d ensemble evaluations)%n", t.forwardPassSeconds(), t.imagesThroughF(), t.imagesThroughMembers(),
                t.gridSeconds(), t.ensembleEvaluations());
        out.printf("  wrote %s/{grid.json, grid-results.json, cbest.json, cbest-magnet.json}%n", folder);
    }
}
