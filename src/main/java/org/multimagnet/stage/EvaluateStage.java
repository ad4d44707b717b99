package org.multimagnet.stage;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.ReformerSource;
import org.multimagnet.defense.Roc;
import org.multimagnet.experiment.DetectorMetrics;
import org.multimagnet.experiment.Evaluation;
import org.multimagnet.experiment.ExactEvaluation;
import org.multimagnet.experiment.MarkRow;
import org.multimagnet.experiment.ProtocolSettings;
import org.multimagnet.experiment.StudyData;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.workspace.Artifact;
import org.multimagnet.workspace.ArtifactHistory;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.Workspace;

/**
 * The paper's chunked protocol (§5.4) for one attack and one defense: D = D_leg ∪ D_atk shuffled and cut into
 * chunks, a fresh ensemble per chunk, μ and σ of ACC, PPV and NPV over the chunks (Tables 2, 3) and F's accuracy in
 * Table 5's scenarios; optionally every image's exact probability of acceptance over all draws and the members and
 * the ensemble as detectors (ROC, AUC).
 *
 * <p>Every check comes before the forward passes over D, in this order: the settings (chunks, chunk size, odd
 * ensemble sizes, the export files), the workspace's lock, the attack's name, consent to replace the stored
 * evaluation, ensemble sizes against m, then, in {@link StudyData#load}, the calibration's freshness (a stale one
 * refused unless allowed, in the words deployment uses), the test set and whether D holds enough images.
 */
public final class EvaluateStage {

    /**
     * What to evaluate.
     *
     * @param workspace        the workspace folder W
     * @param attack           the attack whose D_atk (test split) and calibration are used
     * @param defense          MultiMagNet or MagNet
     * @param chunks           the number of chunks (paper: 40)
     * @param chunkSize        images per chunk (paper: 100)
     * @param seed             the shuffle of D and every draw
     * @param ensembleSizes    the odd sizes n is drawn from per chunk; null for the defense's C_best's
     * @param reformerSource   where the reformer is drawn from; null for the paper's (the ensemble)
     * @param excludeUnchanged leave out every pair whose adversarial image equals its source
     * @param exportMarks      where to write every (image, member) decision as CSV, or null
     * @param exact            also score every possible draw of the ensemble ({@link ExactEvaluation})
     * @param exportRoc        where to write the ROC curves (needs {@code exact}), or null
     * @param allowStale       evaluate with a C_best made with models that changed since (with a warning)
     * @param consent          whether the stored evaluation of this attack and defense may be replaced
     */
    public record Request(Path workspace, String attack, DefenseKind defense, int chunks, int chunkSize, long seed,
                          List<Integer> ensembleSizes, ReformerSource reformerSource, boolean excludeUnchanged,
                          Path exportMarks, boolean exact, Path exportRoc, boolean allowStale, Consent consent) {
        public Request {
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(attack, "attack");
            Objects.requireNonNull(defense, "defense");
            Objects.requireNonNull(consent, "consent");
            reformerSource = reformerSource == null ? ReformerSource.ENSEMBLE : reformerSource;
            // a list given may hold nulls (an empty item): refused with the other bad sizes, not here
            ensembleSizes = ensembleSizes == null ? null : java.util.Collections.unmodifiableList(
                    new ArrayList<>(ensembleSizes));
        }
    }

    /**
     * An evaluation as written.
     *
     * @param evaluation the protocol's scores, as stored in {@code file}
     * @param exact      the scores over every draw, or null when not asked for
     * @param file       {@code W/evaluations/<attack>-<defense>.json}
     */
    public record Result(Evaluation evaluation, ExactEvaluation exact, Path file) {
    }

    /**
     * Runs the protocol and writes the evaluation (the one it replaces kept in the history), then the exports.
     *
     * @param notices  told, one line each, of a stale C_best used anyway or one whose freshness cannot be told
     * @param progress the forward passes over D
     * @throws BadRequest    naming a bad setting, before the workspace is locked
     * @throws org.multimagnet.common.UserException naming what is missing or stale, before the forward passes
     * @throws org.multimagnet.workspace.ReplacementRefused when an evaluation is stored and consent is asking
     */
    public Result run(Request r, Consumer<String> notices, ProgressListener progress, Cancellation cancellation) {
        if (r.exportRoc() != null && !r.exact()) {
            throw new BadRequest(n -> n.of("export-roc") + " " + r.exportRoc() + ": needs "
                    + n.of("exact") + " (the curves come from it)");
        }
        if (r.exportMarks() != null && Files.isDirectory(r.exportMarks())) {
            throw new BadRequest(n -> n.of("export-marks") + " " + r.exportMarks()
                    + ": is a folder, expected a CSV file name");
        }
        ProtocolSettings settings = settings(r, r.ensembleSizes() == null ? r.defense().paperEnsembleSizes()
                : r.ensembleSizes());
        // evaluate writes W/evaluations/: the lock comes before the first computation, not at the write
        Workspace ws = Workspace.openForWriting(r.workspace());
        new CalibrationStore(ws.root()).folder(r.attack()); // names a bad attack name as such
        Artifact saved = Artifact.evaluation(r.attack() + "-" + r.defense().id());
        ArtifactHistory history = new ArtifactHistory(ws.root());
        history.requireConsent(saved, r.consent()); // before the forward passes
        if (r.ensembleSizes() != null) {
            long m = ws.models().list().stream().filter(x -> x.role() == ModelRole.AUTOENCODER).count();
            for (int n : r.ensembleSizes()) {
                if (n > m) {
                    throw new BadRequest(name -> name.of("ensemble-sizes") + " "
                            + r.ensembleSizes() + ": " + n + " is larger than the repository S (m = " + m
                            + " autoencoders)");
                }
            }
        }
        StudyData study = StudyData.load(ws, r.attack(), List.of(r.defense()), r.excludeUnchanged(), r.allowStale(),
                notices, settings, progress, cancellation);
        if (r.ensembleSizes() == null) {
            // the defense's own sizes replace the paper's: it is evaluated as it was calibrated
            settings = settings(r, study.cBest(r.defense()).combination().ensembleSizes());
        }
        List<MarkRow> rows = r.exportMarks() == null ? null : new ArrayList<>();
        Evaluation e = study.evaluate(r.defense(), settings, rows == null ? null : rows::add, cancellation);
        history.prepareReplace(saved, r.consent(), "replaced by evaluate");
        Path file = saved.files(ws.root()).get(0);
        Json.writeFile(file, e);
        if (rows != null) {
            writeMarks(r.exportMarks(), rows);
        }
        ExactEvaluation x = r.exact() ? study.exact(r.defense(), settings) : null;
        if (r.exportRoc() != null) {
            writeRoc(r.exportRoc(), x.detector());
        }
        return new Result(e, x, file);
    }

    /**
     * The protocol's settings, each checked where the request gives it.
     *
     * @throws BadRequest naming the field, its value and what is expected
     */
    private static ProtocolSettings settings(Request r, List<Integer> sizes) {
        if (r.chunks() < 1) {
            throw new BadRequest(n -> n.of("chunks") + " " + r.chunks()
                    + ": expected a number of chunks >= 1");
        }
        if (r.chunkSize() < 1) {
            throw new BadRequest(n -> n.of("chunk-size") + " " + r.chunkSize()
                    + ": expected a number of images >= 1");
        }
        if (r.ensembleSizes() != null) {
            if (r.ensembleSizes().isEmpty()) {
                throw new BadRequest(n -> n.of("ensemble-sizes") + ": expected at least one odd size");
            }
            for (Integer size : r.ensembleSizes()) {
                if (size == null || size < 1 || size % 2 == 0) {
                    throw new BadRequest(n -> n.of("ensemble-sizes") + " " + r.ensembleSizes() + ": "
                            + size + " is not an odd number >= 1 (an odd n means the majority vote cannot tie)");
                }
            }
        }
        return new ProtocolSettings(r.chunks(), r.chunkSize(), r.seed(), sizes, r.reformerSource());
    }

    private static void writeMarks(Path file, List<MarkRow> rows) {
        AtomicFiles.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write(MarkRow.CSV_HEADER);
            w.newLine();
            for (MarkRow row : rows) {
                w.write(row.toCsv());
                w.newLine();
            }
            w.flush();
        });
    }

    /** detector, threshold, fpr, tpr: every member's curve, then the ensemble's. */
    private static void writeRoc(Path file, DetectorMetrics d) {
        AtomicFiles.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write("detector,threshold,fpr,tpr");
            w.newLine();
            for (DetectorMetrics.Member member : d.members()) {
                writeCurve(w, "ae-" + String.format(Locale.ROOT, "%02d", member.id()), member.roc());
            }
            writeCurve(w, "ensemble", d.ensemble());
            w.flush();
        });
    }

    private static void writeCurve(BufferedWriter w, String name, Roc roc) throws IOException {
        for (Roc.Point p : roc.points()) {
            w.write(name + "," + p.threshold() + "," + p.fpr() + "," + p.tpr());
            w.newLine();
        }
    }
}
