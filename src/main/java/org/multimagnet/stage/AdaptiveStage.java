package org.multimagnet.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.EnsembleAcceptance;
import org.multimagnet.experiment.AdaptiveAttack;
import org.multimagnet.experiment.AdaptiveEvaluation;
import org.multimagnet.experiment.AdaptiveRun;
import org.multimagnet.experiment.GrayBoxTarget;
import org.multimagnet.nn.Classifier;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.workspace.Artifact;
import org.multimagnet.workspace.ArtifactHistory;
import org.multimagnet.workspace.AttackSets;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.Workspace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The adaptive attack as both faces run it: an attacker that knows the defense ({@link AdaptiveAttack}: white-box),
 * knows its recipe only (gray-box: its own S′ from another workspace, thresholds derived with the defender's rule,
 * {@link GrayBoxTarget}) or not at all (oblivious: the same optimiser against F alone), per budget ε, each result
 * scored against the defender's S exactly over every draw ({@link AdaptiveRun}, {@link AdaptiveEvaluation}). On
 * test images drawn from Te (the command line), or on one image (the workbench's Attack pane).
 *
 * <p>Every setting is checked before a model is read, and worded once; {@link FieldNames} says how the face names
 * each field. Nothing is written into the workspace but the saved results, and only with consent to replace them.
 */
public final class AdaptiveStage {
    /** λ0, the weight of the detector term against F's margins, unless a request says otherwise. */
    public static final double DEFAULT_LAMBDA = 1;
    /** EOT's ensembles drawn per image and step, unless a request says otherwise. */
    public static final int DEFAULT_DRAWS = 8;
    /** The most rounds of the per-image λ search. */
    static final int MAX_LAMBDA_STEPS = 20;

    /**
     * What to attack. Fields are named like the command line's options, which {@link FieldNames} maps to each face's
     * words.
     *
     * @param workspace         the defender's workspace W (its F, S and calibrations)
     * @param defense           multimagnet or magnet: whose C_best is attacked
     * @param calibration       the attack whose C_best to use, or null for the most recent calibration
     * @param threat            whitebox, graybox or oblivious
     * @param attackerWorkspace graybox: the workspace of the attacker's own S′ (same dataset); else null
     * @param method            all-members or eot
     * @param draws             eot: ensembles drawn per image and step
     * @param norm              linf or l2
     * @param eps               the budgets ε, one run each
     * @param count             test images attacked (a set; the one-image attack takes 1)
     * @param steps             PGD steps
     * @param lambda            λ0
     * @param lambdaSteps       rounds of the per-image λ search (1: λ0 alone)
     * @param seed              the draw of the test images and EOT's ensembles
     * @param records           where to write one JSON line per image and budget, or null
     * @param save              whether to save the results as {@code W/evaluations/adaptive-…json}
     * @param consent           whether an existing records file or saved results may be replaced
     */
    public record Request(Path workspace, String defense, String calibration, String threat, Path attackerWorkspace,
                          String method, int draws, String norm, List<Double> eps, int count, int steps,
                          double lambda, int lambdaSteps, long seed, Path records, boolean save, Consent consent) {
        public Request {
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(defense, "defense");
            Objects.requireNonNull(threat, "threat");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(norm, "norm");
            Objects.requireNonNull(consent, "consent");
            eps = List.copyOf(eps);
        }

        /**
         * The one-image attack the workbench runs: white-box, against the most recent calibration, λ0 and one
         * round of its search, nothing written.
         */
        public static Request oneImage(Path workspace, String defense, String method, String norm, double eps,
                                       int steps, int draws, long seed) {
            return new Request(workspace, defense, null, "whitebox", null, method, draws, norm, List.of(eps), 1, steps,
                    DEFAULT_LAMBDA, 1, seed, null, false, Consent.ASK_FIRST);
        }
    }

    /**
     * A request checked and its models loaded, before the first step of the attack: what the faces show as the
     * run's heading.
     */
    public static final class Plan {
        private final Request request;
        private final Checked checked;
        private final Workspace defender;
        private final CBest cBest;
        private final Classifier f;
        private final List<NetworkAutoencoder> s;
        private final Attacking attacking;
        private final AttackSets.Sources sources;
        private final INDArray clean;
        private final int[] away;

        private Plan(Request request, Checked checked, Workspace defender, CBest cBest, Classifier f,
                     List<NetworkAutoencoder> s, Attacking attacking, AttackSets.Sources sources, INDArray clean,
                     int[] away) {
            this.request = request;
            this.checked = checked;
            this.defender = defender;
            this.cBest = cBest;
            this.f = f;
            this.s = s;
            this.attacking = attacking;
            this.sources = sources;
            this.clean = clean;
            this.away = away;
        }

        /** @return the request as given */
        public Request request() {
            return request;
        }

        /** @return whitebox, graybox or oblivious */
        public String threat() {
            return checked.threatLabel();
        }

        /** @return all-members or eot */
        public String method() {
            return checked.methodLabel();
        }

        /** @return whether the attacker draws ensembles per step (EOT) */
        public boolean eot() {
            return checked.method() == AdaptiveAttack.Method.EOT;
        }

        /** @return linf or l2 */
        public String norm() {
            return checked.normLabel();
        }

        /** @return the defense attacked */
        public DefenseKind defense() {
            return checked.kind();
        }

        /** @return the defender's C_best: its thresholds, vote rule and the sizes n is drawn from */
        public CBest cBest() {
            return cBest;
        }

        /** @return the test images attacked (the count asked for, capped to what Te holds) */
        public int images() {
            return sources.images().size();
        }

        /** @return m, the members of the defender's S every result is scored against */
        public int defenderMembers() {
            return s.size();
        }

        /**
         * @return gray-box: the attacker's workspace, its members, its classifier, how its thresholds were derived
         *         and the sizes it attacks; empty under the other threats
         */
        public Map<String, Object> attacker() {
            return attacking.described();
        }
    }

    /**
     * One budget attacked and scored.
     *
     * @param eps        the budget ε
     * @param evaluation the scores over the images: robust accuracy under detection, acceptance, F alone, distortion
     * @param row        the budget's entry of the results, as saved and printed as JSON
     */
    public record Budget(double eps, AdaptiveEvaluation evaluation, Map<String, Object> row) {
    }

    /**
     * A run over every budget.
     *
     * @param results  the results, as saved with {@code save} and printed as JSON
     * @param records  the records file written, or null
     * @param written  lines written to it
     * @param saved    the saved results' file, or null
     */
    public record Result(Map<String, Object> results, Path records, int written, Path saved) {
    }

    /**
     * One image attacked, as the defense sees it.
     *
     * @param adversarial the attacked image, CHW
     * @param shape       its shape
     * @param label       the class counted as right (the true label, or F's prediction on the source)
     * @param before      F's class of the source image
     * @param after       F's class of the attacked image, without the defense
     * @param sizes       the ensemble sizes the defense draws n from
     * @param accepted    the probability that a drawn ensemble accepts the attacked image
     * @param defended    the probability that it is rejected, or accepted and classified right after reform
     * @param l2          ‖x′ − x‖₂
     * @param linf        ‖x′ − x‖_∞
     * @param attacked    what was attacked, in words (defense and its C_best, threat, method, norm, ε, steps)
     * @param seconds     wall time
     */
    public record One(float[] adversarial, ImageShape shape, int label, int before, int after, List<Integer> sizes,
                      double accepted, double defended, double l2, double linf, String attacked, double seconds) {
        public One {
            sizes = List.copyOf(sizes);
        }
    }

    /** The request's words parsed. */
    private record Checked(DefenseKind kind, AdaptiveAttack.Threat threat, AdaptiveAttack.Method method,
                           AdaptiveAttack.Norm norm) {
        String threatLabel() {
            return threat.name().toLowerCase(Locale.ROOT);
        }

        String methodLabel() {
            return method.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        String normLabel() {
            return norm.name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the attacker differentiates through, and (gray-box) how it came by it. */
    private record Attacking(AdaptiveRun.Attacker attacker, Map<String, Object> described) {
    }

    private final FieldNames names;

    /** @param names how the face names the request's fields in errors */
    public AdaptiveStage(FieldNames names) {
        this.names = Objects.requireNonNull(names, "names");
    }

    /**
     * Checks the request, opens the workspaces, checks consent to replace the saved results, reads C_best, draws the
     * test images and loads the models (under gray-box, deriving the attacker's thresholds): everything before the
     * first step of the attack.
     *
     * @param notes told when Te holds fewer images than asked for
     * @throws UserException naming the bad field, or a missing calibration or model
     * @throws org.multimagnet.workspace.ReplacementRefused when the results are saved already and consent is asking
     */
    public Plan prepare(Request r, Consumer<String> notes, Cancellation cancellation) {
        Checked c = check(r);
        Workspace w = r.save() ? Workspace.openForWriting(r.workspace()) : Workspace.open(r.workspace());
        if (r.save()) {
            new ArtifactHistory(w.root()).requireConsent(savedName(c), r.consent());
        }
        Workspace attackerW = c.threat() == AdaptiveAttack.Threat.GRAYBOX ? attackerWorkspace(r.attackerWorkspace(), w)
                : w;
        CBest cBest = new CalibrationStore(w.root()).current(r.calibration(), c.kind());
        AttackSets.Sources src = AttackSets.drawSources(w, AttackSets.TEST, r.count(), r.seed(), notes);
        Classifier f = w.classifier();
        List<NetworkAutoencoder> s = w.autoencoders();
        Attacking attacking = attacking(c, attackerW, f, s, cBest, cancellation);
        int size = src.images().size();
        INDArray clean = Nd4j.create(src.images().pixels(), w.dataset().shape().batch(size));
        return new Plan(r, c, w, cBest, f, s, attacking, src, clean, AdaptiveAttack.predictions(f, clean));
    }

    /**
     * Attacks the plan's images at every budget, scores each against the defender's S, then writes the records and
     * saves the results when the request asks for them.
     *
     * @param progress the listener of each budget's progress, by ε
     * @param onBudget told of each budget once scored
     */
    public Result run(Plan p, DoubleFunction<ProgressListener> progress, Consumer<Budget> onBudget,
                      Cancellation cancellation) {
        Request r = p.request;
        Checked c = p.checked;
        int size = p.images();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (double e : r.eps()) {
            AdaptiveRun.Result result = AdaptiveRun.run(p.attacking.attacker(), p.f, p.s, p.cBest,
                    settings(c, r, e), r.lambdaSteps(), p.clean, p.sources.images().labels(), p.away,
                    new SplittableRandom(r.seed()), progress.apply(e), cancellation);
            AdaptiveEvaluation.Scored scored = result.scored();
            AdaptiveEvaluation ev = scored.evaluation();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("eps", e);
            row.put("threat", c.threatLabel());
            row.put("method", c.methodLabel());
            row.put("robustAccuracy", ev.robustAccuracy());
            row.put("acceptance", ev.acceptance());
            row.put("plainAccuracy", ev.plainAccuracy());
            row.put("meanL2", ev.meanL2());
            if (r.lambdaSteps() > 1) {
                row.put("lambdaRounds", result.rounds());
                row.put("lambdaFound", lambdaSummary(result.lambdas()));
            }
            row.put("maxLinf", ev.maxLinf());
            rows.add(row);
            if (r.records() != null) {
                for (int j = 0; j < size; j++) {
                    lines.add(recordLine(e, c.threatLabel(), c.methodLabel(), c.kind(), j, p.sources.indices()[j],
                            result.lambdas()[j], scored.images().get(j)));
                }
            }
            onBudget.accept(new Budget(e, ev, row));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("threat", c.threatLabel());
        json.put("method", c.methodLabel());
        if (c.method() == AdaptiveAttack.Method.EOT) {
            json.put("draws", r.draws());
        }
        json.put("defense", c.kind().id());
        json.put("calibration", p.cBest.combination().toString());
        json.put("calibratedOn", p.cBest.attack());
        json.put("scoredAgainst", "the defender's S (" + p.s.size() + " members)");
        if (!p.attacker().isEmpty()) {
            json.put("attacker", p.attacker());
        }
        json.put("norm", c.normLabel());
        json.put("images", size);
        json.put("steps", r.steps());
        json.put("lambda", r.lambda());
        json.put("lambdaSteps", r.lambdaSteps());
        json.put("seed", r.seed());
        json.put("budgets", rows);
        if (r.records() != null) {
            String body = String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
            AtomicFiles.write(r.records(), body.getBytes(StandardCharsets.UTF_8));
        }
        Path saved = null;
        if (r.save()) {
            Artifact name = savedName(c);
            new ArtifactHistory(p.defender.root()).prepareReplace(name, r.consent(), "replaced by adaptive");
            saved = name.files(p.defender.root()).get(0);
            Json.writeFile(saved, json);
        }
        return new Result(json, r.records(), lines.size(), saved);
    }

    /**
     * Attacks one image with the request's attacker and budget, and scores the result over every draw of the
     * defender's ensemble; nothing is written. The settings are checked as for a set, before any model is read.
     *
     * @param image the source image, CHW, in the workspace's image shape
     * @param label its true label, or -1 when unknown (F's prediction on it then counts as right)
     * @throws UserException for a bad setting (naming it), an image of another shape, a missing classifier, members
     *                       or calibration
     * @throws IllegalArgumentException for a request of more than one budget, or one that asks to write
     */
    public One attackOne(Request r, float[] image, ImageShape shape, int label, ProgressListener progress,
                         Cancellation cancellation) {
        long t0 = System.nanoTime();
        if (r.eps().size() != 1 || r.records() != null || r.save()) {
            throw new IllegalArgumentException("one image: one budget and nothing written, got " + r);
        }
        Checked c = check(r);
        Workspace w = Workspace.open(r.workspace());
        AttackStage.requireShape(w, image, shape);
        Workspace attackerW = c.threat() == AdaptiveAttack.Threat.GRAYBOX ? attackerWorkspace(r.attackerWorkspace(), w)
                : w;
        CBest cBest = new CalibrationStore(w.root()).current(r.calibration(), c.kind());
        Classifier f = w.classifier();
        List<NetworkAutoencoder> s = w.autoencoders();
        Attacking attacking = attacking(c, attackerW, f, s, cBest, cancellation);
        INDArray clean = Nd4j.create(image.clone(), shape.batch(1));
        int[] away = AdaptiveAttack.predictions(f, clean);
        int right = label >= 0 ? label : away[0];
        double eps = r.eps().get(0);
        AdaptiveRun.Result result = AdaptiveRun.run(attacking.attacker(), f, s, cBest, settings(c, r, eps),
                r.lambdaSteps(), clean, new int[] {right}, away, new SplittableRandom(r.seed()), progress,
                cancellation);
        AdaptiveEvaluation e = result.scored().evaluation();
        INDArray adv = result.adversarial();
        INDArray delta = adv.sub(clean);
        String attacked = String.format(Locale.ROOT, "%s (C_best of %s: %s), %s %s, %s ε %s, %d steps",
                c.kind().displayName(), cBest.attack(), cBest.combination(), threatWords(c.threat()),
                c.methodLabel(), c.norm() == AdaptiveAttack.Norm.L2 ? "L2" : "L∞", eps, r.steps());
        return new One(adv.castTo(DataType.FLOAT).dup().data().asFloat(), shape, right, away[0],
                result.scored().images().get(0).prediction(), cBest.combination().ensembleSizes(), e.acceptance()[0],
                e.robustAccuracy()[0], delta.norm2Number().doubleValue(), delta.amaxNumber().doubleValue(), attacked,
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The saved results' name: every part that changes the attack is in it, so that runs differing in threat,
     * method or norm never replace one another.
     */
    static Artifact savedName(DefenseKind kind, String threat, String method, String norm) {
        return Artifact.evaluation("adaptive-" + kind.id() + "-" + threat + "-" + method + "-" + norm);
    }

    private static Artifact savedName(Checked c) {
        return savedName(c.kind(), c.threatLabel(), c.methodLabel(), c.normLabel());
    }

    /** Every check of a request that needs no model, in the order the command line has always made them. */
    private Checked check(Request r) {
        DefenseKind kind;
        try {
            kind = DefenseKind.parse(r.defense());
        } catch (IllegalArgumentException e) {
            throw new UserException(names.of("defense") + " " + r.defense() + ": expected magnet or multimagnet");
        }
        AdaptiveAttack.Threat t = parse(AdaptiveAttack.Threat.class, "threat", r.threat(),
                "whitebox, graybox or oblivious");
        AdaptiveAttack.Method how = parse(AdaptiveAttack.Method.class, "method", r.method().replace('-', '_'),
                "all-members or eot");
        AdaptiveAttack.Norm n = parse(AdaptiveAttack.Norm.class, "norm", r.norm(), "linf or l2");
        if (r.eps().isEmpty()) {
            throw new UserException(names.of("eps") + ": expected at least one budget");
        }
        for (double e : r.eps()) {
            if (!(e > 0) || Double.isInfinite(e)) {
                throw new UserException(names.of("eps") + " " + e + ": expected a budget > 0");
            }
        }
        if (r.count() < 1) {
            throw new UserException(names.of("count") + " must be at least 1, got " + r.count());
        }
        if (r.steps() < 1) {
            throw new UserException(names.of("steps") + " must be at least 1, got " + r.steps());
        }
        if (!(r.lambda() >= 0)) {
            throw new UserException(names.of("lambda") + " must be at least 0, got " + r.lambda());
        }
        if (r.lambdaSteps() < 1 || r.lambdaSteps() > MAX_LAMBDA_STEPS) {
            throw new UserException(names.of("lambda-steps") + " " + r.lambdaSteps() + ": expected 1 to "
                    + MAX_LAMBDA_STEPS + " rounds of the λ search");
        }
        if (r.lambdaSteps() > 1 && (t == AdaptiveAttack.Threat.OBLIVIOUS || r.lambda() == 0)) {
            throw new UserException(names.of("lambda-steps") + " " + r.lambdaSteps() + ": the search scales λ from "
                    + names.of("lambda") + " against the detectors; expected 1 with " + names.of("threat")
                    + " oblivious or " + names.of("lambda") + " 0");
        }
        if (r.draws() < 1) {
            throw new UserException(names.of("draws") + " " + r.draws() + ": expected at least 1 ensemble per step");
        }
        if (how == AdaptiveAttack.Method.EOT && t == AdaptiveAttack.Threat.OBLIVIOUS) {
            throw new UserException(names.of("method") + " eot: the oblivious attacker knows no ensemble to draw; "
                    + "expected all-members with " + names.of("threat") + " oblivious");
        }
        if ((t == AdaptiveAttack.Threat.GRAYBOX) != (r.attackerWorkspace() != null)) {
            throw new UserException(r.attackerWorkspace() == null
                    ? names.of("threat") + " graybox: needs " + names.of("attacker-workspace") + " W2, the workspace "
                    + "of the attacker's own S′"
                    : names.of("attacker-workspace") + " " + r.attackerWorkspace() + ": only with "
                    + names.of("threat") + " graybox, got " + r.threat());
        }
        if (r.records() != null && Files.isDirectory(r.records())) {
            throw new UserException(names.of("records") + " " + r.records() + ": is a folder, expected a file name");
        }
        if (r.records() != null && Files.exists(r.records()) && r.consent() != Consent.REPLACE) {
            throw new UserException(names.of("records") + " " + r.records() + ": exists; expected a new file (or "
                    + names.of("replace") + ")");
        }
        return new Checked(kind, t, how, n);
    }

    private <E extends Enum<E>> E parse(Class<E> type, String field, String value, String expected) {
        for (E c : type.getEnumConstants()) {
            if (c.name().equalsIgnoreCase(value)) {
                return c;
            }
        }
        throw new UserException(names.of(field) + " " + value.replace('_', '-') + ": expected " + expected);
    }

    /** The attacker's workspace: another folder than the defender's, holding members, over the same dataset. */
    private Workspace attackerWorkspace(Path folder, Workspace defender) {
        Workspace a = Workspace.open(folder);
        String option = names.of("attacker-workspace");
        if (a.root().toAbsolutePath().normalize().equals(defender.root().toAbsolutePath().normalize())) {
            throw new UserException(option + " " + folder + ": is the defender's workspace; expected one whose S′ "
                    + "the attacker trained itself");
        }
        if (!a.config().dataset().equals(defender.config().dataset())) {
            throw new UserException(option + " " + folder + ": holds dataset " + a.config().dataset()
                    + ", expected the defender's " + defender.config().dataset());
        }
        if (a.models().list().stream().noneMatch(x -> x.role() == ModelRole.AUTOENCODER)) {
            throw new UserException(option + " " + folder + ": holds no autoencoders; train them first ('train "
                    + "--workspace " + folder + " --what autoencoders --seed 7')");
        }
        return a;
    }

    /**
     * The attacker's F, members and target: the defender's own under white-box and oblivious; under gray-box its
     * own S′ (and F when it has one) with thresholds derived by the defender's rule on its own V_leg.
     */
    private static Attacking attacking(Checked c, Workspace attackerW, Classifier f, List<NetworkAutoencoder> s,
                                       CBest cBest, Cancellation cancellation) {
        if (c.threat() != AdaptiveAttack.Threat.GRAYBOX) {
            return new Attacking(new AdaptiveRun.Attacker(f, s, AdaptiveAttack.Target.of(cBest, s)), Map.of());
        }
        boolean ownF = attackerW.models().has("classifier");
        Classifier fAttack = ownF ? attackerW.classifier() : f;
        List<NetworkAutoencoder> sAttack = attackerW.autoencoders();
        Dataset d = attackerW.dataset();
        Dataset vLeg = d.subset(attackerW.split().validation());
        AdaptiveAttack.Target target = GrayBoxTarget.derive(fAttack, sAttack, cBest.combination(),
                Nd4j.create(vLeg.pixels(), d.shape().batch(vLeg.size())), ProgressListener.NONE, cancellation);
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("workspace", attackerW.root().toString());
        described.put("members", sAttack.size());
        described.put("classifier", ownF ? "the attacker's own" : "the defender's F");
        described.put("thresholds", "the defender's rule on S′'s marks of " + vLeg.size() + " V_leg images at t_fp "
                + cBest.combination().falsePositiveRate());
        described.put("sizes", target.sizes());
        return new Attacking(new AdaptiveRun.Attacker(fAttack, sAttack, target), java.util.Collections
                .unmodifiableMap(described));
    }

    private static AdaptiveAttack.Settings settings(Checked c, Request r, double eps) {
        AdaptiveAttack.Settings settings = AdaptiveAttack.Settings.of(c.threat(), c.norm(), eps, r.steps())
                .withLambda(r.lambda());
        return c.method() == AdaptiveAttack.Method.EOT ? settings.withEot(r.draws(), r.seed()) : settings;
    }

    private static String threatWords(AdaptiveAttack.Threat t) {
        return switch (t) {
            case WHITEBOX -> "white-box";
            case GRAYBOX -> "gray-box";
            case OBLIVIOUS -> "oblivious";
        };
    }

    /** The λ the search settled on over the images: min, median and max. */
    private static Map<String, Double> lambdaSummary(double[] lambdas) {
        double[] v = lambdas.clone();
        Arrays.sort(v);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("min", v[0]);
        m.put("median", v[v.length / 2]);
        m.put("max", v[v.length - 1]);
        return m;
    }

    /** One line of the records: an attacked image at one budget, as the defender's S sees it. */
    static String recordLine(double e, String threat, String method, DefenseKind kind, int index, int sourceIndex,
                             double lambdaFound, AdaptiveEvaluation.ImageRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eps", e);
        m.put("threat", threat);
        m.put("method", method);
        m.put("defense", kind.id());
        m.put("index", index);
        m.put("sourceIndex", sourceIndex);
        m.put("label", r.label());
        m.put("lambda", lambdaFound);
        m.put("prediction", r.prediction());
        m.put("memberIds", r.memberIds());
        m.put("marks", r.marks());
        m.put("thresholds", r.thresholds());
        m.put("votes", r.votes());
        m.put("reformedPredictions", r.reformedPredictions());
        EnsembleAcceptance a = r.acceptance();
        m.put("sizes", a.sizes());
        m.put("accepting", a.accepting());
        m.put("ensembles", a.ensembles());
        m.put("acceptance", a.probability());
        if (a.mask() != null) {
            m.put("acceptedMask", a.mask());
        }
        m.put("defended", r.defended());
        try {
            return Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
