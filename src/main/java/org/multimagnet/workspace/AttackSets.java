package org.multimagnet.workspace;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import org.multimagnet.attack.Attack;
import org.multimagnet.attack.AttackLabels;
import org.multimagnet.attack.AttackOutcome;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.Split;
import org.multimagnet.data.Splits;
import org.multimagnet.nn.Classifier;

/**
 * Makes a workspace's adversarial sets: draws the source images (D_leg from Te, or V_leg's images), attacks F
 * with them and saves the result with {@link AttackSetStore} (paper §5.1, §5.3; docs/method.md).
 */
public final class AttackSets {
    /** The split holding D_leg, whose attacked images are D_atk. */
    public static final String TEST = "test";
    /** The split holding V_leg, whose attacked images are V_atk (for calibration). */
    public static final String VALIDATION = "validation";

    private AttackSets() {
    }

    /**
     * The images an attack starts from.
     *
     * @param split   {@link #TEST} or {@link #VALIDATION}
     * @param seed    the seed of the draw
     * @param indices index of each image in the full dataset, ascending
     * @param images  those images with their labels
     */
    public record Sources(String split, long seed, int[] indices, Dataset images) {
    }

    /**
     * A set made and saved.
     *
     * @param folder   where it was saved
     * @param manifest its manifest
     * @param outcome  the attacked images and per-image results
     */
    public record Made(Path folder, AttackSetManifest manifest, AttackOutcome outcome) {
    }

    /**
     * Draws {@code count} source images with {@code seed}: from Te with {@link Splits#drawDLeg} (D_leg), or the same
     * way from V_leg. When the split holds fewer images, all of them are used and {@code notes} is told.
     *
     * @throws UserException for an unknown split name or a count below 1
     */
    public static Sources drawSources(Workspace w, String split, int count, long seed, Consumer<String> notes) {
        String s = splitName(split);
        if (count < 1) {
            throw new UserException("--count must be at least 1, got " + count);
        }
        Split paper = w.split();
        int[] indices = switch (s) {
            case TEST -> Splits.drawDLeg(paper, count, seed, notes);
            // the same seeded draw, over V_leg instead of Te
            case VALIDATION -> Splits.drawDLeg(new Split(paper.rule(), new int[0], new int[0], paper.validation()),
                    count, seed, m -> notes.accept(m.replace("D_leg", "V_leg sample").replace("Te", "V_leg")));
            default -> throw new IllegalStateException(s);
        };
        return new Sources(s, seed, indices, w.dataset().subset(indices));
    }

    /**
     * @return {@link #TEST} or {@link #VALIDATION}, from a name in any case
     * @throws UserException for any other name
     */
    public static String splitName(String split) {
        String s = split == null ? "" : split.toLowerCase(Locale.ROOT);
        if (!s.equals(TEST) && !s.equals(VALIDATION)) {
            throw new UserException("--split " + split + ": expected test or validation");
        }
        return s;
    }

    /**
     * Attacks F with the source images, away from F's own predictions, and saves the set.
     *
     * @see #make(Workspace, Attack, Sources, AttackLabels, int, Path, Consent, ProgressListener, Cancellation)
     */
    public static Made make(Workspace w, Attack attack, Sources sources, int batchSize, Path out, Consent consent,
                            ProgressListener progress, Cancellation cancel) {
        return make(w, attack, sources, AttackLabels.PREDICTED, batchSize, out, consent, progress, cancel);
    }

    /**
     * Attacks F with the source images and saves the set.
     *
     * @param w         the workspace (its classifier F is attacked)
     * @param attack    the attack
     * @param sources   the images to attack
     * @param awayFrom  which label each image is moved away from (the set keeps the true labels either way)
     * @param batchSize images per batch
     * @param out       the folder to save into (a new or empty one, see {@link #scratchFolder}), or null for
     *                  {@code W/attacks/<attack>-<split>}
     * @param consent   whether an existing set may be replaced (it is kept in the workspace's history)
     * @param progress  told after every batch
     * @param cancel    checked between batches and iterations; a cancelled run saves nothing
     * @return the set
     * @throws ReplacementRefused before the attack runs, when the set exists and {@code consent} does not allow
     *                            replacing it
     */
    public static Made make(Workspace w, Attack attack, Sources sources, AttackLabels awayFrom, int batchSize,
                            Path out, Consent consent, ProgressListener progress, Cancellation cancel) {
        Path folder = target(w, attack.name(), sources.split(), out, consent);
        Classifier f = w.classifier();
        Path modelFile = w.models().modelFile("classifier");
        AttackOutcome outcome = attack.run(f, sources.images(), awayFrom, batchSize, progress, cancel);
        AttackSetManifest manifest = AttackSetStore.save(folder, outcome, new AttackSetStore.Provenance(
                sources.split(), sources.seed(), Arrays.copyOf(sources.indices(), sources.indices().length),
                sources.images().classNames(), w.config().dataset(), Checksums.sha256(modelFile)));
        return new Made(folder, manifest, outcome);
    }

    /**
     * Where a set will be saved, checked before any work: the workspace's set (which needs consent when it
     * exists), or a folder of the user's that must be new or empty.
     *
     * @throws ReplacementRefused when the workspace's set exists and {@code consent} is {@link Consent#ASK_FIRST}
     * @throws UserException      when {@code out} holds anything
     */
    public static Path target(Workspace w, String attack, String split, Path out, Consent consent) {
        if (out == null) {
            new ArtifactHistory(w.root()).requireConsent(Artifact.attackSet(attack, split), consent);
            return AttackSetStore.folder(w.root(), attack, split);
        }
        Path folder = out.toAbsolutePath().normalize();
        Path parent = folder.getParent();
        if (parent != null && parent.equals(w.attacksDir())) {
            new ArtifactHistory(w.root()).requireConsent(new Artifact(Artifact.Kind.ATTACK_SET,
                    folder.getFileName().toString()), consent);
        } else {
            AttackSetStore.requireNewOrEmpty(folder);
        }
        return folder;
    }

    /**
     * A new folder under {@code W/scratch/} for a set made to look at, which the protocol never reads and which
     * replaces nothing: {@code W/scratch/<attack>-<split>-<yyyyMMdd-HHmmss>} (with a suffix when taken).
     */
    public static Path scratchFolder(Workspace w, String attack, String split) {
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        Path base = w.root().resolve(SCRATCH).resolve(attack + "-" + split + "-" + stamp);
        Path p = base;
        for (int i = 2; java.nio.file.Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
            p = base.resolveSibling(base.getFileName() + "-" + i);
        }
        return p;
    }

    /** The folder of sets made to look at ({@link #scratchFolder}); no stage of the protocol reads it. */
    public static final String SCRATCH = "scratch";
}
