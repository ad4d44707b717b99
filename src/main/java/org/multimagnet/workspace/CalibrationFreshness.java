package org.multimagnet.workspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.MemberThreshold;
import org.multimagnet.nn.ModelRole;

/**
 * Whether a C_best was made with the models the workspace holds now. Its thresholds are quantiles of marks that
 * only the models it was calibrated with produce, so a retrained member (or F, through JSD) makes them meaningless
 * without any error: the check compares the SHA-256 recorded in C_best's {@code inputs} with the model files, and
 * the members of S with the thresholds it holds. Only files are hashed; no model is loaded.
 */
public final class CalibrationFreshness {
    /** A recorded model input: {@code models/<stem>.zip}; other inputs (the attack set's files) are not models. */
    private static final Pattern MODEL_INPUT = Pattern.compile(ModelStore.MODELS + "/([A-Za-z0-9._-]+)\\.zip");
    private static final Pattern MEMBER_STEM = Pattern.compile("ae-(\\d+)");
    /** Hex digits of a checksum shown in a message: enough to tell two files apart at a glance. */
    private static final int SHOWN_HEX = 12;

    private CalibrationFreshness() {
    }

    /**
     * What changed for one model.
     *
     * @param model    e.g. {@code ae-03 (member 3)} or {@code classifier (F)}
     * @param what     {@code changed}, {@code missing} or {@code not calibrated} (in S now, no threshold or
     *                 checksum in C_best)
     * @param recorded the checksum C_best recorded, or null
     * @param current  the checksum of the file now, or null when missing or not compared
     */
    public record Change(String model, String what, String recorded, String current) {
        @Override
        public String toString() {
            if (recorded != null && current != null) {
                return model + " " + what + " (sha256 now " + shortHex(current) + ", calibrated with "
                        + shortHex(recorded) + ")";
            }
            return model + " " + what;
        }
    }

    /**
     * The outcome of a check.
     *
     * @param cBestFile       the C_best checked
     * @param attack          its attack
     * @param workspace       the workspace folder
     * @param changes         every model that differs from what C_best was made with; empty when fresh
     * @param recordsChecksums false when C_best records no model checksum at all: whether the models changed is
     *                        then unknown (only members without a threshold can be found)
     */
    public record Report(Path cBestFile, String attack, Path workspace, List<Change> changes,
                         boolean recordsChecksums) {
        public Report {
            changes = List.copyOf(changes);
        }

        /** @return whether some model differs from what C_best was made with */
        public boolean stale() {
            return !changes.isEmpty();
        }

        /** @return e.g. {@code ae-03 (member 3) changed (sha256 now 1a2b…, calibrated with 2d42…)}, comma-separated */
        public String changedModels() {
            return String.join(", ", changes.stream().map(Change::toString).toList());
        }

        /** @return {@code "<cbest.json>: calibrated with models that changed since: <changes>"} */
        public String problem() {
            return cBestFile + ": calibrated with models that changed since: " + changedModels();
        }

        /** @return the command that makes a fresh calibration */
        public String calibrateCommand() {
            return "calibrate --workspace " + workspace + " --attack " + attack;
        }

        /**
         * @return the refusal of a stale C_best, the problem then both ways on: in the same words from the command
         *         line and the workbench, so each names the other's way too
         */
        public UserException refusal() {
            return new UserException(problem() + "; re-run '" + calibrateCommand() + "' (or the Calibration pane), "
                    + "or allow a stale calibration (--allow-stale) to use it anyway");
        }

        /** @return the one-line warning when a stale C_best is used anyway, from either face */
        public String warning() {
            return "warning: " + problem() + "; used anyway, as a stale calibration is allowed (--allow-stale)";
        }

        /** @return the one-line note for a C_best that records no model checksums */
        public String unknownNote() {
            return "note: " + cBestFile + ": records no checksums of the models it was calibrated with, so whether "
                    + "they changed since cannot be told; re-run '" + calibrateCommand() + "' to record them";
        }

        /**
         * The gate of {@link CalibrationFreshness#admit}, for a caller that keeps the report.
         *
         * @return this report, when the C_best may be used
         * @throws UserException {@link #refusal()} when stale and not allowed
         */
        public Report admit(boolean allowStale, Consumer<String> messages) {
            if (stale()) {
                if (!allowStale) {
                    throw refusal();
                }
                messages.accept(warning());
            } else if (!recordsChecksums()) {
                messages.accept(unknownNote());
            }
            return this;
        }
    }

    /**
     * Compares C_best with the workspace's models now.
     *
     * @param workspace the workspace folder W
     * @param cBest     a C_best of that workspace
     * @return the models that changed, went missing, or joined S without being calibrated
     * @throws UserException when C_best names a model path outside the workspace, or a model manifest is unreadable
     */
    public static Report check(Path workspace, CBest cBest) {
        Path root = workspace.toAbsolutePath().normalize();
        CalibrationStore calibrations = new CalibrationStore(root);
        String name = CalibrationStore.fileName(cBest.defense());
        Path cBestFile = cBest.attack() == null ? calibrations.calibrationFolder().resolve(name)
                : calibrations.folder(cBest.attack()).resolve(name);
        ModelStore models = new ModelStore(root);
        List<Change> changes = new ArrayList<>();
        Set<String> recordedModels = new TreeSet<>();
        // F first, then the members by id, as the models are listed everywhere else
        Map<String, String> inputs = new TreeMap<>(Comparator
                .comparing((String k) -> !k.equals(ModelStore.MODELS + "/classifier.zip"))
                .thenComparing(Comparator.naturalOrder()));
        inputs.putAll(cBest.inputs());
        for (Map.Entry<String, String> e : inputs.entrySet()) {
            Matcher m = MODEL_INPUT.matcher(e.getKey());
            if (!m.matches()) {
                continue;
            }
            recordedModels.add(e.getKey());
            String stem = m.group(1);
            Path file = models.resolveInside(e.getKey(), cBestFile);
            String now = current(models, stem, file);
            if (now == null) {
                changes.add(new Change(display(stem), "missing", e.getValue(), null));
            } else if (!now.equalsIgnoreCase(e.getValue())) {
                changes.add(new Change(display(stem), "changed", e.getValue(), now));
            }
        }
        Set<Integer> calibrated = new TreeSet<>();
        for (MemberThreshold t : cBest.thresholds()) {
            calibrated.add(t.id());
        }
        for (ModelManifest m : models.list()) {
            String stem = m.role() == ModelRole.CLASSIFIER ? "classifier" : ModelStore.autoencoderStem(m.id());
            String file = m.file() != null ? m.file() : ModelStore.MODELS + "/" + stem + ".zip";
            boolean noThreshold = m.role() == ModelRole.AUTOENCODER && !calibrated.contains(m.id());
            boolean noChecksum = !recordedModels.isEmpty() && !recordedModels.contains(file);
            if (noThreshold || noChecksum) {
                changes.add(new Change(display(stem), "not calibrated", null, null));
            }
        }
        return new Report(cBestFile, cBest.attack(), root, changes, !recordedModels.isEmpty());
    }

    /**
     * The gate before a C_best is used: refuses a stale one unless allowed, and tells {@code messages} one line when
     * it is used anyway or when its freshness is unknown.
     *
     * @param allowStale use a stale C_best anyway (with a warning)
     * @param messages   receives the warning or the note, one line each
     * @return {@code cBest}
     * @throws UserException {@link Report#refusal()} when stale and not allowed
     */
    public static CBest admit(Path workspace, CBest cBest, boolean allowStale, Consumer<String> messages) {
        check(workspace, cBest).admit(allowStale, messages);
        return cBest;
    }

    /**
     * The checksum of the file loading would read: the model file, or the pending file of a save killed after its
     * commit point (see {@link ModelStore#save}); null when neither exists.
     */
    private static String current(ModelStore models, String stem, Path file) {
        if (org.multimagnet.common.SafeFiles.existsNoFollow(file)) {
            // a FIFO, a device or a link out of the workspace is refused as itself, not reported as "missing"
            org.multimagnet.common.SafeFiles.requireInside(models.root(), file);
        }
        String sha = Files.isRegularFile(file) ? Checksums.sha256(file) : null;
        Path pending = models.pendingFile(file);
        if (Files.isRegularFile(pending) && models.has(stem)) {
            String committed;
            try {
                committed = models.manifest(stem).sha256();
            } catch (UserException e) {
                return sha; // an unreadable manifest commits nothing
            }
            if (committed != null && !committed.equalsIgnoreCase(sha)
                    && committed.equalsIgnoreCase(Checksums.sha256(pending))) {
                return committed;
            }
        }
        return sha;
    }

    /** @return {@code ae-03 (member 3)}, {@code classifier (F)}, or the stem */
    static String display(String stem) {
        Matcher m = MEMBER_STEM.matcher(stem);
        if (m.matches()) {
            return stem + " (member " + Integer.parseInt(m.group(1)) + ")";
        }
        return stem.equals("classifier") ? "classifier (F)" : stem;
    }

    private static String shortHex(String sha) {
        return sha.length() <= SHOWN_HEX ? sha : sha.substring(0, SHOWN_HEX);
    }
}
