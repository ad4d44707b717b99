package org.multimagnet.ui.attack;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.multimagnet.attack.Attack;
import org.multimagnet.attack.AttackOutcome;
import org.multimagnet.attack.Attacks;
import org.multimagnet.attack.ImageResult;
import org.multimagnet.workspace.AttackSets;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.Workspace;
import org.multimagnet.attack.PaperSetting;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.experiment.AdaptiveAttack;
import org.multimagnet.experiment.AdaptiveEvaluation;
import org.multimagnet.experiment.AdaptiveRun;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link AttackService} over the engine's attacks ({@link Attacks}) and the workspace's classifier and stores. */
public final class EngineAttackService implements AttackService {
    @Override
    public List<String> attacks() {
        return Attacks.NAMES;
    }

    @Override
    public Map<String, String> defaults(Path workspace, String attack) {
        Record params = Attacks.create(attack, setting(workspace), Map.of()).params();
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : params.getClass().getRecordComponents()) {
            try {
                out.put(c.getName(), String.valueOf(c.getAccessor().invoke(params)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + params, e);
            }
        }
        return out;
    }

    /** The paper's column of Table 1: CIFAR-10 for a workspace on CIFAR data, else MNIST. */
    static PaperSetting setting(Path workspace) {
        Path cfg = workspace.resolve("workspace.json");
        if (Files.isRegularFile(cfg)) {
            var node = Json.readFile(cfg, com.fasterxml.jackson.databind.JsonNode.class);
            String ds = node.path("dataset").asText("");
            if (ds.toLowerCase(java.util.Locale.ROOT).contains("cifar")) {
                return PaperSetting.CIFAR10;
            }
        }
        return PaperSetting.MNIST;
    }

    /** Images per batch, as the command line's default. */
    static final int BATCH = 100;

    @Override
    public AttackRun generate(Path folder, String attack, Map<String, String> params, String split, int count,
                              long seed, Consent consent, boolean scratch, ProgressListener progress,
                              Cancellation cancellation) {
        Attack a = Attacks.create(attack, setting(folder), params); // names a bad parameter before loading models
        Workspace w = Workspace.openForWriting(folder); // a workspace another process holds is refused before the work
        String sp = AttackSets.splitName(split);
        Path out = scratch ? AttackSets.scratchFolder(w, a.name(), sp) : null;
        AttackSets.target(w, a.name(), sp, out, consent); // asks before the images are read
        AttackSets.Sources src = AttackSets.drawSources(w, sp, count, seed, note -> { });
        AttackSets.Made made = AttackSets.make(w, a, src, BATCH, out, consent, progress, cancellation);
        AttackOutcome o = made.outcome();
        int n = o.results().size();
        int[] before = new int[n];
        int[] after = new int[n];
        boolean[] success = new boolean[n];
        double[] l2 = new double[n];
        double[] linf = new double[n];
        for (ImageResult r : o.results()) {
            before[r.index()] = r.originalPrediction();
            after[r.index()] = r.adversarialPrediction();
            success[r.index()] = r.success();
            l2[r.index()] = r.l2();
            linf[r.index()] = r.linf();
        }
        return new AttackRun(o.attack(), String.valueOf(o.params()), o.shape(), src.images().classNames(),
                src.images().pixels(), o.adversarial(), o.labels(), before, after, success, l2, linf,
                o.summary().successRate(), o.summary().accuracyAfter(), o.summary().seconds(), made.folder());
    }

    @Override
    public java.util.Optional<AttackRun> stored(Path folder, String attack, String split) {
        Path dir = org.multimagnet.workspace.AttackSetStore.folder(folder, attack, split);
        if (!Files.isRegularFile(dir.resolve(org.multimagnet.workspace.AttackSetStore.MANIFEST))) {
            return java.util.Optional.empty();
        }
        org.multimagnet.workspace.AttackSet set = org.multimagnet.workspace.AttackSetStore.load(dir);
        var m = set.manifest();
        org.multimagnet.data.Dataset d = Workspace.open(folder).dataset();
        int size = m.shape().size();
        int n = set.labels().length;
        float[] originals = new float[n * size];
        int[] idx = m.sourceIndices();
        for (int j = 0; j < n; j++) {
            System.arraycopy(d.pixels(), idx[j] * size, originals, j * size, size);
        }
        int[] before = new int[n];
        int[] after = new int[n];
        boolean[] success = new boolean[n];
        double[] l2 = new double[n];
        double[] linf = new double[n];
        for (ImageResult r : m.perImage()) {
            before[r.index()] = r.originalPrediction();
            after[r.index()] = r.adversarialPrediction();
            success[r.index()] = r.success();
            l2[r.index()] = r.l2();
            linf[r.index()] = r.linf();
        }
        return java.util.Optional.of(new AttackRun(m.attack(), String.valueOf(m.params()), m.shape(), m.classNames(),
                originals, set.images(), set.labels(), before, after, success, l2, linf, m.summary().successRate(),
                m.summary().accuracyAfter(), m.seconds(), dir));
    }

    @Override
    public float[] attackOne(Path folder, String attack, Map<String, String> params, float[] image,
                                          org.multimagnet.data.ImageShape shape, int label) {
        Attack a = Attacks.create(attack, setting(folder), params);
        // read each time: F may have been retrained since the last image
        org.multimagnet.nn.NetworkClassifier classifier = Workspace.open(folder).classifier();
        org.multimagnet.data.Dataset one = new org.multimagnet.data.Dataset("image", "single", shape, image.clone(),
                new int[] {Math.max(0, label)}, java.util.stream.IntStream.range(0, classifier.classCount())
                .mapToObj(String::valueOf).toList(), -1);
        return a.run(classifier, one, 1, ProgressListener.NONE, new Cancellation()).adversarial();
    }

    @Override
    public AdaptiveOne adaptiveOne(Path folder, AdaptiveRequest request, float[] image,
                                   org.multimagnet.data.ImageShape shape, int label, ProgressListener progress,
                                   Cancellation cancellation) {
        long t0 = System.nanoTime();
        // settings first: a bad one is named before any model is read
        org.multimagnet.defense.DefenseKind kind = parse(org.multimagnet.defense.DefenseKind.class, "defense",
                request.defense(), "multimagnet or magnet");
        AdaptiveAttack.Method method = parse(AdaptiveAttack.Method.class, "method",
                request.method().replace('-', '_'), "all-members or eot");
        AdaptiveAttack.Norm norm = parse(AdaptiveAttack.Norm.class, "norm", request.norm(), "l2 or linf");
        if (!(request.eps() > 0) || Double.isInfinite(request.eps())) {
            throw new org.multimagnet.common.UserException("ε " + request.eps() + ": expected a budget > 0");
        }
        if (request.steps() < 1 || request.steps() > 10_000) {
            throw new org.multimagnet.common.UserException("steps " + request.steps() + ": expected 1 to 10,000");
        }
        if (request.draws() < 1) {
            throw new org.multimagnet.common.UserException("draws " + request.draws() + ": expected at least 1");
        }
        Workspace w = Workspace.open(folder);
        if (!w.dataset().shape().equals(shape) || image.length != shape.size()) {
            throw new org.multimagnet.common.UserException("image of shape " + shape + ": expected the workspace's "
                    + w.dataset().shape());
        }
        org.multimagnet.defense.CBest cBest = new org.multimagnet.workspace.CalibrationStore(w.root())
                .current(null, kind);
        org.multimagnet.nn.NetworkClassifier f = w.classifier();
        List<org.multimagnet.nn.NetworkAutoencoder> s = w.autoencoders();
        INDArray clean = Nd4j.create(image.clone(), shape.batch(1));
        int[] away = AdaptiveAttack.predictions(f, clean);
        int right = label >= 0 ? label : away[0];
        AdaptiveAttack.Settings settings = AdaptiveAttack.Settings.of(AdaptiveAttack.Threat.WHITEBOX, norm,
                request.eps(), request.steps());
        if (method == AdaptiveAttack.Method.EOT) {
            settings = settings.withEot(request.draws(), request.seed());
        }
        AdaptiveRun.Result r = AdaptiveRun.run(AdaptiveRun.Attacker.whiteBox(f, s, cBest), f, s, cBest, settings, 1,
                clean, new int[] {right}, away, new java.util.SplittableRandom(request.seed()), progress,
                cancellation);
        AdaptiveEvaluation e = r.scored().evaluation();
        INDArray adv = r.adversarial();
        float[] out = adv.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup().data().asFloat();
        INDArray delta = adv.sub(clean);
        String attacked = String.format(java.util.Locale.ROOT, "%s (C_best of %s: %s), white-box %s, %s ε %s, %d "
                        + "steps", kind.displayName(), cBest.attack(), cBest.combination(),
                method.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                norm == AdaptiveAttack.Norm.L2 ? "L2" : "L∞", request.eps(), request.steps());
        return new AdaptiveOne(out, shape, right, away[0], r.scored().images().get(0).prediction(),
                cBest.combination().ensembleSizes(), e.acceptance()[0], e.robustAccuracy()[0],
                delta.norm2Number().doubleValue(), delta.amaxNumber().doubleValue(), attacked,
                (System.nanoTime() - t0) / 1e9);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String what, String value, String expected) {
        for (E c : type.getEnumConstants()) {
            if (c.name().equalsIgnoreCase(value)) {
                return c;
            }
        }
        throw new org.multimagnet.common.UserException(what + " '" + value + "': expected " + expected);
    }
}
