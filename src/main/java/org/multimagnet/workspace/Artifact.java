package org.multimagnet.workspace;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.multimagnet.common.UserException;

/**
 * One stored result of a stage that a later run may replace, named by its place in the workspace:
 * <pre>
 * models/classifier, models/ae-03      a model: its .zip and .json
 * attacks/fgsm-test                    an adversarial set (folder)
 * calibration/fgsm                     a calibration: grid, grid results, both C_best (folder)
 * report                               the protocol's report (folder)
 * evaluations/fgsm-multimagnet         an evaluation: its .json and -marks.csv
 * </pre>
 *
 * @param kind what it is
 * @param name its name inside its kind's folder (empty for the report)
 */
public record Artifact(Kind kind, String name) {
    private static final Pattern NAME = Pattern.compile(CalibrationStore.NAME_RULE);

    /** The kinds of artifact, each with its folder in the workspace. */
    public enum Kind {
        /** A trained model: {@code models/<stem>.zip} and {@code .json}. */
        MODEL("models"),
        /** An adversarial set: {@code attacks/<attack>-<split>/}. */
        ATTACK_SET("attacks"),
        /** A calibration: {@code calibration/<attack>/}. */
        CALIBRATION("calibration"),
        /** The protocol's report: {@code report/}. */
        REPORT("report"),
        /** An evaluation: {@code evaluations/<attack>-<defense>.json} and {@code -marks.csv}. */
        EVALUATION("evaluations");

        private final String folder;

        Kind(String folder) {
            this.folder = folder;
        }

        /** @return the folder of this kind inside a workspace */
        public String folder() {
            return folder;
        }
    }

    public Artifact {
        if (kind == Kind.REPORT ? !name.isEmpty() : !NAME.matcher(name).matches() || name.contains("..")) {
            throw new UserException("artifact name '" + name + "' of " + kind.folder() + ": expected letters, digits, "
                    + "'.', '_' or '-'");
        }
    }

    /** @return the model of a stem ({@code classifier}, {@code ae-03}) */
    public static Artifact model(String stem) {
        return new Artifact(Kind.MODEL, stem);
    }

    /** @return the adversarial set of an attack on a split ({@code test} = D_atk, {@code validation} = V_atk) */
    public static Artifact attackSet(String attack, String split) {
        return new Artifact(Kind.ATTACK_SET, attack + "-" + split);
    }

    /** @return the calibration against an attack */
    public static Artifact calibration(String attack) {
        return new Artifact(Kind.CALIBRATION, attack);
    }

    /** @return the protocol's report */
    public static Artifact report() {
        return new Artifact(Kind.REPORT, "");
    }

    /** @return the evaluation of a defense against an attack ({@code <attack>-<defense id>}) */
    public static Artifact evaluation(String name) {
        return new Artifact(Kind.EVALUATION, name);
    }

    /**
     * Reads an artifact's id as {@link #id()} writes it ({@code attacks/fgsm-test}, {@code report}, ...).
     *
     * @throws UserException naming the id and the accepted forms
     */
    public static Artifact parse(String id) {
        String s = id == null ? "" : id.strip();
        if (s.equals(Kind.REPORT.folder())) {
            return report();
        }
        int slash = s.indexOf('/');
        if (slash > 0) {
            String folder = s.substring(0, slash).toLowerCase(Locale.ROOT);
            for (Kind k : Kind.values()) {
                if (k != Kind.REPORT && k.folder().equals(folder)) {
                    return new Artifact(k, s.substring(slash + 1));
                }
            }
        }
        throw new UserException("artifact '" + id + "': expected models/<stem>, attacks/<attack>-<split>, "
                + "calibration/<attack>, evaluations/<name> or report (as 'workspace history' lists them)");
    }

    /** @return the artifact's name as the command line and the history use it, e.g. {@code attacks/fgsm-test} */
    public String id() {
        return kind == Kind.REPORT ? kind.folder() : kind.folder() + "/" + name;
    }

    /** @return whether the artifact is a folder (else a pair of files) */
    public boolean isFolder() {
        return kind == Kind.ATTACK_SET || kind == Kind.CALIBRATION || kind == Kind.REPORT;
    }

    /** @return the folder of a folder artifact, inside workspace {@code root} */
    public Path folder(Path root) {
        return kind == Kind.REPORT ? root.resolve(kind.folder()) : root.resolve(kind.folder()).resolve(name);
    }

    /** @return the files of a file artifact, inside workspace {@code root}: model .zip/.json, evaluation .json/.csv */
    public List<Path> files(Path root) {
        Path dir = root.resolve(kind.folder());
        return switch (kind) {
            case MODEL -> List.of(dir.resolve(name + ".zip"), dir.resolve(name + ".json"));
            case EVALUATION -> List.of(dir.resolve(name + ".json"), dir.resolve(name + "-marks.csv"));
            default -> throw new IllegalStateException(id() + " is a folder");
        };
    }

    @Override
    public String toString() {
        return id();
    }
}
