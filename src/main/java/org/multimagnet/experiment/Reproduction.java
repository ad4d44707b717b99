package org.multimagnet.experiment;

import org.multimagnet.defense.CBest;

import org.multimagnet.defense.DefenseKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.multimagnet.attack.Attack;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.attack.Attacks;
import org.multimagnet.attack.PaperSetting;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.CalibrationResult;
import org.multimagnet.nn.ClassifierRecipe;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.nn.TrainingListener;
import org.multimagnet.nn.TrainingOptions;
import org.multimagnet.workspace.Artifact;
import org.multimagnet.workspace.ArtifactHistory;
import org.multimagnet.workspace.AttackSetStore;
import org.multimagnet.workspace.AttackSets;
import org.multimagnet.workspace.CalibrationFreshness;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.ModelStore;
import org.multimagnet.workspace.ModelTraining;
import org.multimagnet.workspace.Workspace;

/**
 * The whole pipeline of the paper in one call (the {@code reproduce} command): split, train F and S (or reuse what the
 * workspace has), attack D_leg and V_leg with all four attacks, calibrate per attack, evaluate MagNet and
 * MultiMagNet with the chunked protocol, and write the report into {@code W/report/}.
 *
 * <p>Every stage reuses an artifact the workspace already holds, so an interrupted run resumes where it stopped; a
 * calibration is reused only while the models it was made with are unchanged ({@link CalibrationFreshness}).
 */
public final class Reproduction {

    /**
     * What to run.
     *
     * @param dataset   the dataset source for a new workspace (ignored when the workspace exists)
     * @param workspace the workspace folder
     * @param quick     minutes on two cores: few epochs, 200-image attack sets, chunks of 50
     * @param seed      seeds every stage
     * @param attacks   which attacks (default all four)
     * @param consent   whether the run may replace the report and calibrations made with models that changed since
     *                  (each replaced version is kept in the workspace's history)
     * @param recipe    the classifier recipe; {@link ClassifierRecipe#CPU} on colour images also scales the members'
     *                  training and the attack sets to two CPU cores ({@link #CPU_MEMBER_EPOCHS} and the constants
     *                  beside it)
     */
    public record Options(String dataset, Path workspace, boolean quick, long seed, List<String> attacks,
                          Consent consent, ClassifierRecipe recipe) {
        public Options {
            recipe = recipe == null ? ClassifierRecipe.PAPER : recipe;
        }

        /** The paper's classifier. */
        public Options(String dataset, Path workspace, boolean quick, long seed, List<String> attacks,
                       Consent consent) {
            this(dataset, workspace, quick, seed, attacks, consent, ClassifierRecipe.PAPER);
        }
    }

    /** CIFAR-10 on two CPU cores: each member's epochs (the authors': 30 over all of Tr). */
    static final int CPU_MEMBER_EPOCHS = 3;
    /** CIFAR-10 on two CPU cores: the members train on this many images of Tr. */
    static final int CPU_MEMBER_IMAGES = 20_000;
    /** CIFAR-10 on two CPU cores: images of D_atk and of V_atk (the paper: 2,000 and 5,000). */
    static final int CPU_ATTACK_IMAGES = 500;

    /** Receives one line per stage and the stage's progress. */
    public interface Listener extends ProgressListener {
        /** A new stage begins. */
        void stage(String name);
    }

    private final Listener listener;
    private final Cancellation cancellation;

    /**
     * @param listener     told of stages and progress
     * @param cancellation checked between batches
     */
    public Reproduction(Listener listener, Cancellation cancellation) {
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /**
     * Runs the pipeline.
     *
     * @return the report's files, under {@code W/report/}
     */
    public List<Path> run(Options o) {
        Workspace ws = Workspace.openOrCreate(o.workspace(), o.dataset(), o.seed());
        List<String> attackNames = o.attacks().isEmpty() ? Attacks.NAMES : o.attacks();
        requireConsent(ws, attackNames, o.consent());
        // read before the work: a saved adaptive result the report cannot use is refused now, not after the protocol
        List<AdaptiveResults> adaptive = AdaptiveResults.load(ws.root());
        List<String> notes = new ArrayList<>();
        String classifier = train(ws, o, notes);
        Map<String, AttackSummary> attacks = new LinkedHashMap<>();
        List<CalibrationChoice> calibrations = new ArrayList<>();
        List<Evaluation> evaluations = new ArrayList<>();
        List<ExactEvaluation> exact = new ArrayList<>();
        List<MarkDistribution> distributions = new ArrayList<>();
        boolean cpuBudget = cpuBudget(ws, o);
        int count = o.quick() ? 200 : cpuBudget ? CPU_ATTACK_IMAGES : 2000;
        // V_atk from all of V_leg (the paper's 5,000; 1,000 in the sample split), D_atk from 2,000 images of Te
        int validationCount = o.quick() ? 200 : cpuBudget ? CPU_ATTACK_IMAGES : ws.split().validation().length;
        List<String> protocol = new ArrayList<>();
        for (String attack : attackNames) {
            cancellation.throwIfCancelled();
            ensureAttackSet(ws, attack, AttackSets.VALIDATION, validationCount, o.seed(), notes);
            attacks.put(attack, ensureAttackSet(ws, attack, AttackSets.TEST, count, o.seed(), notes));
            calibrate(ws, attack, o.seed(), o.consent(), notes).forEach(c -> calibrations.add(CalibrationChoice.of(c)));
            listener.stage("evaluate " + attack + ": forward passes over D");
            StudyData study = StudyData.load(ws, attack, listener, cancellation);
            ProtocolSettings base = chunking(study.data().size(), o.quick(), o.seed());
            protocol.add(attack + ": " + base.chunks() + " chunks of " + base.chunkSize() + " of D = D_leg ∪ D_atk ("
                    + study.data().size() + " images)");
            for (DefenseKind d : DefenseKind.values()) {
                listener.stage("evaluate " + attack + ": " + d.displayName());
                ProtocolSettings s = new ProtocolSettings(base.chunks(), base.chunkSize(), o.seed(),
                        study.cBest(d).combination().ensembleSizes(), base.reformerSource());
                evaluations.add(study.evaluate(d, s, null, cancellation));
                exact.add(study.exact(d, s));
            }
            distributions.add(study.distribution());
        }
        notes.addAll(standardNotes(ws, o));
        notes.add(membersNote(ws));
        StudyReport report = new StudyReport(ws.config().dataset(), ws.split().rule(), classifier,
                Instant.now().toString(), String.join("; ", protocol) + "; seed " + o.seed() + "; MultiMagNet n ∈ "
                        + DefenseKind.MULTIMAGNET.paperEnsembleSizes() + ", MagNet n = 1; reformer drawn from the ensemble",
                attacks, calibrations, evaluations, exact, distributions, notes, adaptive);
        listener.stage("write the report");
        Path folder = ws.root().resolve("report");
        new ArtifactHistory(ws.root()).prepareReplace(Artifact.report(), o.consent(), "replaced by reproduce");
        List<Path> files = new ArrayList<>();
        for (String f : new ReportWriter(PaperTables.load()).write(folder, report)) {
            files.add(folder.resolve(f));
        }
        return files;
    }

    /**
     * Rewrites only the report's section on adaptive attacks from the results saved in the workspace
     * ({@code adaptive --save}), without running the protocol again: the rest of {@code W/report/} stays as it is.
     * The report is an artifact like any other: replacing it needs consent, and its old version is kept.
     *
     * @return the report's files written
     * @throws org.multimagnet.common.UserException when the workspace holds no report yet
     */
    public static List<Path> rewriteAdaptive(Path workspace, Consent consent) {
        Workspace ws = Workspace.openForWriting(workspace);
        Path folder = ws.root().resolve("report");
        if (!java.nio.file.Files.isRegularFile(folder.resolve("report.md"))
                || !java.nio.file.Files.isRegularFile(folder.resolve("report.json"))) {
            throw new org.multimagnet.common.UserException(folder.resolve("report.md") + ": not found; run "
                    + "'reproduce --workspace " + workspace + "' first, which writes the whole report");
        }
        List<AdaptiveResults> adaptive = AdaptiveResults.load(ws.root());
        new ArtifactHistory(ws.root()).prepareReplace(Artifact.report(), consent,
                "adaptive section rewritten by reproduce --adaptive-only");
        List<Path> files = new ArrayList<>();
        for (String f : new ReportWriter(PaperTables.load()).rewriteAdaptive(ws.root(), folder, adaptive)) {
            files.add(folder.resolve(f));
        }
        return files;
    }

    /**
     * Refuses, before any work, a run that would replace the report, or a calibration that lacks MagNet's C_best or
     * was made with models that changed since, without consent. Everything else the run finds in the workspace it reuses as it is.
     */
    private static void requireConsent(Workspace ws, List<String> attacks, Consent consent) {
        ArtifactHistory history = new ArtifactHistory(ws.root());
        history.requireConsent(Artifact.report(), consent);
        CalibrationStore store = new CalibrationStore(ws.root());
        for (String attack : attacks) {
            Optional<CBest> c = store.readCBest(attack, DefenseKind.MULTIMAGNET);
            if (c.isPresent() && (store.readCBest(attack, DefenseKind.MAGNET).isEmpty()
                    || CalibrationFreshness.check(ws.root(), c.get()).stale())) {
                store.requireConsent(attack, consent);
            }
        }
    }

    /** 40 chunks of 100 when D allows it (the paper), else as many chunks as fit. */
    static ProtocolSettings chunking(int dSize, boolean quick, long seed) {
        int size = quick || dSize < 40 * 100 ? Math.max(1, Math.min(100, dSize / 8)) : 100;
        int chunks = Math.min(40, dSize / size);
        return new ProtocolSettings(chunks, size, seed, DefenseKind.MULTIMAGNET.paperEnsembleSizes(),
                org.multimagnet.defense.ReformerSource.ENSEMBLE);
    }

    private String train(Workspace ws, Options o, List<String> notes) {
        ModelStore store = ws.models();
        TrainingListener progress = p -> listener.progress((long) (p.epoch() - 1) * p.batches() + p.batch(),
                (long) p.epochs() * p.batches(), p.name() + " epoch " + p.epoch() + "/" + p.epochs());
        // only models the workspace lacks are trained: nothing is replaced
        ModelTraining training = new ModelTraining(ws, progress, cancellation, Consent.ASK_FIRST);
        List<ModelSpec> todo = new ArrayList<>();
        if (!store.has("classifier")) {
            todo.add(training.classifierSpec(o.recipe()));
        }
        for (ModelSpec m : training.memberSpecs(List.of())) {
            if (!store.has(ModelStore.autoencoderStem(m.id()))) {
                todo.add(m);
            }
        }
        // A small Tr (the 70/10/20 split) gives the specs' batch of 256 too few steps: at Adam 1e-3 the sigmoid members
        // stay near "grey everywhere" (mean |x - a(x)| 0.03-0.22 on sample:mnist after their 30-55 epochs, and the
        // defenses detected 60-90% of FGSM), so they take the demo workspace's recipe instead.
        boolean smallTr = ws.split().train().length < SMALL_TR;
        boolean cpuMembers = cpuBudget(ws, o) && !o.quick();
        for (ModelSpec spec : todo) {
            listener.stage("train " + spec.name());
            boolean isClassifier = spec.role() == org.multimagnet.nn.ModelRole.CLASSIFIER;
            training.train(spec, cpuMembers && !isClassifier
                    ? new TrainingOptions(CPU_MEMBER_EPOCHS, CPU_MEMBER_IMAGES, o.seed(), 0, 0)
                    : recipe(o.quick(), smallTr, isClassifier, o.seed()), m -> { });
        }
        if (!todo.isEmpty() && cpuMembers) {
            notes.add("The CPU recipe trained F as the authors' smaller CIFAR-10 model with batch norm (not All-CNN) "
                    + "and each member for " + CPU_MEMBER_EPOCHS + " epochs on " + CPU_MEMBER_IMAGES + " images of Tr "
                    + "(the authors: 30 epochs on 45,000).");
        }
        if (!todo.isEmpty() && (o.quick() || smallTr)) {
            notes.add(o.quick()
                    ? "--quick trained " + todo.size() + " model(s) for 2 (autoencoders, Adam 1e-2) or 3 (classifier) "
                    + "epochs, batch 32, on at most 4,000 images; the paper trains for 30–55 epochs on 45,000 images."
                    : "With " + ws.split().train().length + " training images the " + todo.size() + " model(s) trained "
                    + "here took the small-data recipe: autoencoders Adam 1e-2, batch 32, 30 epochs (the paper: Adam "
                    + "1e-3, batch 256, 30–55 epochs on 45,000 images); F 20 epochs.");
        }
        var manifest = store.manifest("classifier");
        return String.format(Locale.ROOT, "%s, %.2f%% on Te, %d epochs on %d training images",
                manifest.name(), 100 * manifest.testAccuracy(), manifest.epochs(), manifest.trainImages());
    }

    /** Whether the run scales CIFAR-sized work to two CPU cores: the CPU recipe on colour images. */
    private static boolean cpuBudget(Workspace ws, Options o) {
        return o.recipe() == ClassifierRecipe.CPU && ws.dataset().shape().channels() == 3;
    }

    /** Fewer training images than this take {@link #recipe}'s small-data settings. */
    static final int SMALL_TR = 20_000;

    /**
     * How a model is trained: the spec's own settings, or, for {@code --quick} and for a small Tr, the settings the
     * demo workspace was made with (0 means the spec's value).
     */
    static TrainingOptions recipe(boolean quick, boolean smallTr, boolean isClassifier, long seed) {
        if (quick) {
            return new TrainingOptions(isClassifier ? 3 : 2, 4000, seed, 32, isClassifier ? 0 : 0.01);
        }
        if (smallTr) {
            return isClassifier ? new TrainingOptions(20, 0, seed, 0, 0) : new TrainingOptions(30, 0, seed, 32, 0.01);
        }
        return new TrainingOptions(0, 0, seed, 0, 0);
    }

    private AttackSummary ensureAttackSet(Workspace ws, String attack, String split, int count, long seed,
                                          List<String> notes) {
        Path folder = AttackSetStore.folder(ws.root(), attack, split);
        if (folder.resolve(AttackSetStore.MANIFEST).toFile().isFile()) {
            return AttackSetStore.load(folder).manifest().summary();
        }
        listener.stage("attack " + attack + " on the " + split + " split");
        Attack a = Attacks.create(attack, PaperSetting.forShape(ws.dataset().shape()), Map.of());
        Consumer<String> note = notes::add;
        AttackSets.Sources sources = AttackSets.drawSources(ws, split, count, seed, note);
        return AttackSets.make(ws, a, sources, 100, null, Consent.ASK_FIRST, listener, cancellation).manifest()
                .summary();
    }

    /**
     * @return each defense's C_best for the attack, calibrating first when either is missing or was made with models
     *         that changed since (its thresholds belong to other models)
     */
    private List<CBest> calibrate(Workspace ws, String attack, long seed, Consent consent, List<String> notes) {
        CalibrationStore store = new CalibrationStore(ws.root());
        Optional<CBest> previous = store.readCBest(attack, DefenseKind.MULTIMAGNET);
        Optional<CBest> previousMagnet = store.readCBest(attack, DefenseKind.MAGNET);
        CalibrationFreshness.Report freshness = previous.map(c -> CalibrationFreshness.check(ws.root(), c))
                .orElse(null);
        if (freshness != null && freshness.stale()) {
            notes.add("The calibration against " + attack + " was made again: " + freshness.problem() + ".");
        }
        if (previous.isEmpty() || previousMagnet.isEmpty() || freshness.stale()) {
            listener.stage("calibrate " + attack);
            CalibrationGrid grid = store.readGrid(attack).orElse(CalibrationGrid.example().withSeed(seed));
            return store.calibrate(attack, ws.classifier(), ws.autoencoders(), ws.dataset(),
                    grid.forRepositorySize(ws.autoencoders().size()), ws.models().checksums(), null,
                    consent, listener,
                    cancellation).best();
        }
        return List.of(previous.get(), previousMagnet.get());
    }

    /** How S was trained, from the members' manifests: the report states it whoever trained them. */
    private static String membersNote(Workspace ws) {
        ModelStore store = ws.models();
        java.util.TreeMap<String, List<Integer>> byRecipe = new java.util.TreeMap<>();
        java.util.DoubleSummaryStatistics errors = new java.util.DoubleSummaryStatistics();
        for (var m : store.list()) {
            if (m.role() != org.multimagnet.nn.ModelRole.AUTOENCODER) {
                continue;
            }
            byRecipe.computeIfAbsent(String.format(Locale.ROOT, "%d epochs on %,d images, batch %d, %s %.0e",
                    m.epochs(), m.trainImages(), m.spec().batchSize(), m.spec().optimiser(), m.spec().learningRate()),
                    k -> new ArrayList<>()).add(m.id());
            if (m.reconstructionTest() != null) {
                errors.accept(m.reconstructionTest().meanSquared());
            }
        }
        StringBuilder b = new StringBuilder("The members of S were trained with ");
        byRecipe.forEach((recipe, ids) -> b.append(recipe).append(" (members ").append(ids).append("); "));
        b.append(String.format(Locale.ROOT, "mean squared reconstruction error on Te %.4f to %.4f.", errors.getMin(),
                errors.getMax()));
        return b.toString();
    }

    private static List<String> standardNotes(Workspace ws, Options o) {
        List<String> n = new ArrayList<>();
        n.add("Data: " + ws.config().dataset() + " split as " + ws.split().rule()
                + "; the paper used the full MNIST/CIFAR-10 (45,000 / 5,000 / 10,000).");
        n.add("Attacks are white-box against our F with the paper's Table 1 settings, run by this program; the paper used "
                + "ART's implementations against the authors' F.");
        n.add(o.quick() ? "Attack sets made by this run sample 200 images of Te (D_leg) and of V_leg; sets the "
                + "workspace already held were reused as they were (the Protocol line gives each |D|); the paper used "
                + "2,000 for D_leg and all 5,000 of V_leg."
                : cpuBudget(ws, o) ? "Attack sets made by this run: D_atk from " + CPU_ATTACK_IMAGES + " images of Te "
                + "(D_leg) and V_atk from " + CPU_ATTACK_IMAGES + " of V_leg, the two-core budget (the paper: 2,000 "
                + "and all 5,000); sets the workspace already held were reused as they were (the Protocol line gives "
                + "each |D|)."
                : "Attack sets made by this run: D_atk from 2,000 images of Te (D_leg), V_atk from all of V_leg; sets "
                + "the workspace already held were reused as they were (the Protocol line gives each |D|).");
        return n;
    }
}
