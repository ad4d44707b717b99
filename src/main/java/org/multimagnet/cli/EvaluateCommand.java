package org.multimagnet.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.ReformerSource;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.experiment.Evaluation;
import org.multimagnet.experiment.MarkRow;
import org.multimagnet.experiment.MeanStd;
import org.multimagnet.experiment.ProtocolSettings;
import org.multimagnet.experiment.StudyData;
import org.multimagnet.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: the paper's 40-experiment protocol (§5.4) for one attack and one defense, printing μ and σ of
 * ACC, PPV, NPV (Tables 2, 3) and F's accuracy in the Table 5 scenarios, optionally exporting every per-image,
 * per-member decision.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Run the paper's chunked protocol (§5.4) for one attack and defense on D = D_leg ∪ D_atk.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Option(names = "--attack", required = true, paramLabel = "A", description = "fgsm, bim, deepfool or cw (needs attack --split test and calibrate).")
    String attack;

    @Option(names = "--defense", defaultValue = "multimagnet", paramLabel = "D",
            description = "multimagnet (n drawn from 3,5,7,9 per chunk) or magnet (n = 1). Default: ${DEFAULT-VALUE}.")
    String defense;

    @Option(names = "--chunks", defaultValue = "40", description = "Number of chunks (default ${DEFAULT-VALUE}).")
    int chunks;

    @Option(names = "--chunk-size", defaultValue = "100", description = "Images per chunk (default ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds the shuffle of D and every draw (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ensemble-sizes", split = ",", paramLabel = "n,...",
            description = "Odd ensemble sizes to draw from (default: the defense's C_best: 3,5,7,9 for multimagnet, "
                    + "1 for magnet).")
    List<Integer> ensembleSizes;

    @Option(names = "--reformer-from", defaultValue = "ENSEMBLE", paramLabel = "SOURCE",
            description = "Draw the reformer from the ENSEMBLE (the paper, default) or the whole REPOSITORY (the authors' code).")
    ReformerSource reformerFrom;

    @Option(names = "--exclude-unchanged",
            description = "Leave out of D every pair (D_leg[i], D_atk[i]) whose adversarial image equals its source "
                    + "(the attack did not move it); D shrinks by 2 per pair. Default: every pair is kept.")
    boolean excludeUnchanged;

    @Option(names = "--export-marks", paramLabel = "FILE.csv", description = "Write one CSV row per (image, member).")
    Path exportMarks;

    @Option(names = "--allow-stale",
            description = "Use the calibration even when models of the workspace changed since it was made "
                    + "(prints a warning naming them); without it such a calibration is refused.")
    boolean allowStale;

    @Override
    public Integer call() {
        DefenseKind kind = SharedOptions.parseDefense(defense);
        if (exportMarks != null && java.nio.file.Files.isDirectory(exportMarks)) {
            throw new UserException("--export-marks " + exportMarks + ": is a folder, expected a CSV file name");
        }
        // checks the options before the forward passes; the defense's own sizes replace the paper's below
        ProtocolSettings settings = settings(kind);
        PrintWriter err = spec.commandLine().getErr();
        // evaluate writes W/evaluations/: the lock comes before the first computation, not at the write
        Workspace ws = Workspace.openForWriting(shared.workspace);
        long m = ws.models().list().stream().filter(x -> x.role() == org.multimagnet.nn.ModelRole.AUTOENCODER).count();
        if (ensembleSizes != null) {
            for (int n : ensembleSizes) {
                if (n > m) {
                    throw new UserException("--ensemble-sizes " + ensembleSizes + ": " + n + " is larger than the "
                            + "repository S (m = " + m + " autoencoders)");
                }
            }
        }
        StudyData study = StudyData.load(ws, attack, List.of(kind), excludeUnchanged, allowStale, err::println, settings,
                new ProgressLine(err, "forward passes over D"), Cli.cancellation());
        if (ensembleSizes == null) {
            settings = new ProtocolSettings(chunks, chunkSize, seed,
                    study.cBest(kind).combination().ensembleSizes(), reformerFrom);
        }
        List<MarkRow> rows = exportMarks == null ? null : new ArrayList<>();
        Evaluation e = study.evaluate(kind, settings, rows == null ? null : rows::add, Cli.cancellation());
        Json.writeFile(ws.root().resolve("evaluations").resolve(attack + "-" + kind.id() + ".json"), e);
        if (rows != null) {
            writeCsv(exportMarks, rows);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (shared.json) {
            out.println(Json.write(summary(e)));
        } else {
            out.println(text(e));
        }
        return 0;
    }

    /**
     * The protocol's settings from the options, each checked where it enters.
     *
     * @throws UserException naming the option, its value and what is expected
     */
    private ProtocolSettings settings(DefenseKind kind) {
        if (chunks < 1) {
            throw new UserException("--chunks " + chunks + ": expected a number of chunks >= 1");
        }
        if (chunkSize < 1) {
            throw new UserException("--chunk-size " + chunkSize + ": expected a number of images >= 1");
        }
        if (ensembleSizes != null) {
            if (ensembleSizes.isEmpty()) {
                throw new UserException("--ensemble-sizes: expected at least one odd size");
            }
            for (Integer n : ensembleSizes) {
                if (n == null || n < 1 || n % 2 == 0) {
                    throw new UserException("--ensemble-sizes " + ensembleSizes + ": " + n
                            + " is not an odd number >= 1 (an odd n means the majority vote cannot tie)");
                }
            }
        }
        return new ProtocolSettings(chunks, chunkSize, seed,
                ensembleSizes == null ? kind.paperEnsembleSizes() : ensembleSizes, reformerFrom);
    }

    /** The --json object: fractions in [0,1]. */
    static Map<String, Object> summary(Evaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", e.dataset());
        m.put("attack", e.attack());
        m.put("defense", e.defense());
        m.put("chunks", e.settings().chunks());
        m.put("chunkSize", e.settings().chunkSize());
        m.put("seed", e.settings().seed());
        m.put("ensembleSizes", e.settings().ensembleSizes());
        m.put("imageCount", e.imageCount());
        m.put("excludedPairs", e.excludedPairs());
        m.put("calibration", e.calibration());
        m.put("accuracy", meanStd(e.accuracy()));
        m.put("ppv", meanStd(e.ppv()));
        m.put("npv", meanStd(e.npv()));
        m.put("detectionRate", meanStd(e.detectionRate()));
        m.put("acceptanceRate", meanStd(e.acceptanceRate()));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("noDefense", meanStd(e.scenarios().noDefense()));
        s.put(e.defense() + "Only", meanStd(e.scenarios().detector()));
        s.put(e.defense() + "AndReformer", meanStd(e.scenarios().withReformer()));
        s.put(e.defense() + "OnlyOverAccepted", meanStd(e.scenarios().detectorAccepted()));
        s.put(e.defense() + "AndReformerOverAccepted", meanStd(e.scenarios().withReformerAccepted()));
        m.put("scenarios", s);
        m.put("attackAccuracy", e.attackAccuracy());
        m.put("discardedImages", e.discardedImageRule());
        return m;
    }

    private static Map<String, Double> meanStd(MeanStd v) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mean", v.mean());
        m.put("std", v.std());
        return m;
    }

    private static String text(Evaluation e) {
        String name = DefenseKind.parse(e.defense()).displayName();
        return String.join("\n",
                name + " against " + e.attack() + " on " + e.dataset() + ": " + e.settings().chunks() + " chunks of "
                        + e.settings().chunkSize() + ", n from " + e.settings().ensembleSizes() + ", C_best " + e.calibration(),
                "  |D| = " + e.imageCount() + (e.excludedPairs() != null && e.excludedPairs() > 0
                        ? " after leaving out " + e.excludedPairs() + " pairs whose adversarial image equals its source"
                        : ""),
                "  ACC                               " + e.accuracy().percent(),
                "  detection rate (Eq. 9's PPV)      " + e.ppv().percent(),
                "  acceptance rate (Eq. 9's NPV)     " + e.npv().percent(),
                "  F's accuracy on D, no defense     " + e.scenarios().noDefense().percent(),
                "  F's accuracy behind " + name + "      " + e.scenarios().detector().percent()
                        + "   over accepted images: " + e.scenarios().detectorAccepted().percent(),
                "  ... with the reformer             " + e.scenarios().withReformer().percent()
                        + "   over accepted images: " + e.scenarios().withReformerAccepted().percent(),
                "  F's accuracy on D_atk (Table 6)   " + String.format(Locale.ROOT, "%.2f%%", 100 * e.attackAccuracy()),
                "  (" + e.discardedImageRule() + ")");
    }

    private static void writeCsv(Path file, List<MarkRow> rows) {
        AtomicFiles.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write(MarkRow.CSV_HEADER);
            w.newLine();
            for (MarkRow r : rows) {
                w.write(r.toCsv());
                w.newLine();
            }
            w.flush();
        });
    }
}
