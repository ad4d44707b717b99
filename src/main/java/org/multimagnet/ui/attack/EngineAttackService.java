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
}
