package org.multimagnet.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.multimagnet.data.Split;
import org.multimagnet.ui.attack.AttackService;
import org.multimagnet.ui.calibration.CalibrationService;
import org.multimagnet.ui.dataset.DatasetService;
import org.multimagnet.ui.deployment.DeploymentService;
import org.multimagnet.ui.training.TrainingService;

/**
 * Small stand-ins for the engine, for UI tests that must not depend on trained models: a synthetic dataset
 * (class k = a bright horizontal bar at row 2k+4) and a deployment whose members "reconstruct" by blurring.
 */
public final class FakeServices {
    private FakeServices() {
    }

    /** @return services with a 200-image, 10-class synthetic dataset and a 10-member fake repository */
    public static Services create() {
        return new Services(new FakeDataset(), new FakeTraining(), new FakeAttack(), new FakeCalibration(),
                new FakeDeployment(), org.multimagnet.ui.experiments.ExperimentRunner.engine());
    }

    /** A synthetic MNIST-shaped dataset. */
    public static final class FakeDataset implements DatasetService {
        @Override
        public List<String> builtInSources() {
            return List.of("sample:mnist", "fake:bad");
        }

        @Override
        public Dataset load(String source) {
            if (!source.equals("sample:mnist")) {
                throw UserException.badFile(Path.of(source), "not an IDX file (magic 0x00000000, expected 0x00000803)");
            }
            return synthetic(200);
        }

        @Override
        public Split split(Dataset d) {
            int n = d.size();
            return new Split("70/10/20 in file order", IntStream.range(0, n * 7 / 10).toArray(),
                    IntStream.range(n * 7 / 10, n * 8 / 10).toArray(), IntStream.range(n * 8 / 10, n).toArray());
        }
    }

    /**
     * A fake trainer: one loss point per "batch" (a short sleep), falling as 1/(step+1); members "reconstruct" by
     * blurring. Honours cancellation between batches like nn.Trainer.
     */
    public static final class FakeTraining implements TrainingService {
        private final List<ModelRow> rows = new ArrayList<>();
        /** Milliseconds per batch. */
        public volatile int batchMillis = 1;

        public FakeTraining() {
            rows.add(new ModelRow(0, "MNIST classifier", "[conv64, pool, conv128]", "relu", 0, 10, 225_034, "not trained"));
            for (int i = 1; i <= 10; i++) {
                rows.add(new ModelRow(i, "member " + i, "[3, avg, 3]", "sigmoid", 0.1, 50, 187, "not trained"));
            }
        }

        @Override
        public synchronized List<ModelRow> models(Path workspace) {
            return List.copyOf(rows);
        }

        @Override
        public synchronized List<ModelRow> saveMember(Path workspace, MemberForm f) {
            if (f.noise() < 0 || f.noise() > 1) {
                throw new IllegalArgumentException("model spec field 'noise' must be in [0,1], got " + f.noise());
            }
            rows.removeIf(r -> r.id() == f.id());
            rows.add(new ModelRow(f.id(), "member " + f.id(), "[" + f.structure() + "]", f.activation(), f.noise(),
                    f.epochs(), 100, "not trained"));
            rows.sort(java.util.Comparator.comparingInt(ModelRow::id));
            return List.copyOf(rows);
        }

        @Override
        public synchronized List<ModelRow> removeMember(Path workspace, int id) {
            rows.removeIf(r -> r.id() == id);
            return List.copyOf(rows);
        }

        @Override
        public void requireConsent(Path workspace, List<Integer> ids, org.multimagnet.workspace.Consent consent) {
            // the fake keeps no models: nothing to replace
        }

        @Override
        public TrainOutcome train(Path workspace, int id, TrainOptions o, org.multimagnet.workspace.Consent consent,
                                  java.util.function.Consumer<LossPoint> onBatch,
                                  org.multimagnet.common.Cancellation cancel) {
            int epochs = o.epochs() > 0 ? o.epochs() : 2;
            int batches = 10;
            List<Double> perEpoch = new ArrayList<>();
            for (int e = 1; e <= epochs; e++) {
                double sum = 0;
                for (int b = 1; b <= batches; b++) {
                    cancel.throwIfCancelled();
                    try {
                        Thread.sleep(batchMillis);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        throw new java.util.concurrent.CancellationException("interrupted");
                    }
                    double loss = 1.0 / ((e - 1) * batches + b + 1);
                    sum += loss;
                    onBatch.accept(new LossPoint(id, e, epochs, b, batches, loss));
                }
                perEpoch.add(sum / batches);
            }
            Dataset d = synthetic(4);
            float[] rec = new float[d.pixels().length];
            double[] err = new double[4];
            for (int i = 0; i < 4; i++) {
                float[] r = FakeDeployment.blur(d.image(i));
                System.arraycopy(r, 0, rec, i * 784, 784);
                for (int k = 0; k < 784; k++) {
                    err[i] += Math.abs(r[k] - d.pixels()[i * 784 + k]) / 784;
                }
            }
            return new TrainOutcome(id, perEpoch, 0.1, d.shape(), d.pixels(), rec, err, "fake");
        }
    }

    /**
     * Attacks with the engine's real parameter defaults and validation; "generating" shifts pixels by ±ε in a
     * checkerboard (no classifier needed) and calls every image with an even index fooled.
     */
    public static final class FakeAttack implements AttackService {
        private final org.multimagnet.ui.attack.EngineAttackService real =
                new org.multimagnet.ui.attack.EngineAttackService();

        @Override
        public List<String> attacks() {
            return real.attacks();
        }

        @Override
        public java.util.Map<String, String> defaults(Path workspace, String attack) {
            return real.defaults(workspace, attack);
        }

        @Override
        public AttackRun generate(Path workspace, String attack, java.util.Map<String, String> params, String split,
                                  int count, long seed, org.multimagnet.workspace.Consent consent, boolean scratch,
                                  org.multimagnet.common.ProgressListener progress,
                                  org.multimagnet.common.Cancellation cancel) {
            double eps = Double.parseDouble(params.getOrDefault("epsilon", "0.1"));
            if (!(eps > 0 && eps <= 1)) {
                throw new UserException(attack + ": parameter 'epsilon' = " + eps + ", expected in (0, 1]");
            }
            Dataset d = synthetic(count);
            float[] adv = d.pixels().clone();
            for (int i = 0; i < adv.length; i++) {
                adv[i] = (float) Math.min(1, Math.max(0, adv[i] + ((i % 2 == 0) ? eps : -eps)));
            }
            int[] before = d.labels().clone();
            int[] after = new int[count];
            boolean[] success = new boolean[count];
            double[] l2 = new double[count];
            double[] linf = new double[count];
            for (int i = 0; i < count; i++) {
                cancel.throwIfCancelled();
                success[i] = i % 2 == 0;
                after[i] = success[i] ? (before[i] + 1) % 10 : before[i];
                for (int k = 0; k < 784; k++) {
                    double dlt = adv[i * 784 + k] - d.pixels()[i * 784 + k];
                    l2[i] += dlt * dlt;
                    linf[i] = Math.max(linf[i], Math.abs(dlt));
                }
                l2[i] = Math.sqrt(l2[i]);
                progress.progress(i + 1, count, "");
            }
            return new AttackRun(attack, params.toString(), d.shape(), d.classNames(), d.pixels(), adv, d.labels(),
                    before, after, success, l2, linf, (count + 1) / 2 / (double) count, 0.5, 0.01,
                    workspace.resolve("attacks").resolve(attack + "-" + split));
        }

        /** Workspaces whose folder name starts with "stored" hold an 8-image set of every attack and split. */
        @Override
        public java.util.Optional<AttackRun> stored(Path workspace, String attack, String split) {
            if (!workspace.getFileName().toString().startsWith("stored")) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(generate(workspace, attack, defaults(workspace, attack), split, 8, 1,
                    org.multimagnet.workspace.Consent.REPLACE, false, org.multimagnet.common.ProgressListener.NONE,
                    new org.multimagnet.common.Cancellation()));
        }

        /** Adds a ±0.5 checkerboard, which the fake deployment's blurring members always reject. */
        @Override
        public float[] attackOne(Path workspace, String attack, java.util.Map<String, String> params, float[] image,
                                 ImageShape shape, int label) {
            float[] out = new float[image.length];
            for (int i = 0; i < out.length; i++) {
                int r = (i % 784) / 28;
                int c = i % 28;
                out[i] = (float) Math.min(1, Math.max(0, image[i] + ((r + c) % 2 == 0 ? 0.5 : -0.5)));
            }
            return out;
        }

        /**
         * The checkerboard of {@link #attackOne} scaled to ε (L∞), in five steps that report progress and honour
         * cancel; F "predicts" the next class, and the verdict is a made-up function of ε.
         */
        @Override
        public AdaptiveOne adaptiveOne(Path workspace, AdaptiveRequest request, float[] image, ImageShape shape,
                                       int label, org.multimagnet.common.ProgressListener progress,
                                       org.multimagnet.common.Cancellation cancellation) {
            if (!(request.eps() > 0)) {
                throw new UserException("ε " + request.eps() + ": expected a budget > 0");
            }
            float[] out = new float[image.length];
            for (int t = 1; t <= 5; t++) {
                cancellation.throwIfCancelled();
                progress.progress(t, 5, "step " + t + "/5");
            }
            double linf = 0;
            double l2 = 0;
            for (int i = 0; i < out.length; i++) {
                int r = (i % 784) / 28;
                int c = i % 28;
                out[i] = (float) Math.min(1, Math.max(0, image[i] + ((r + c) % 2 == 0 ? request.eps() : -request.eps())));
                linf = Math.max(linf, Math.abs(out[i] - image[i]));
                l2 += (out[i] - image[i]) * (out[i] - image[i]);
            }
            int right = Math.max(0, label);
            double accepted = Math.min(1, request.eps());
            return new AdaptiveOne(out, shape, right, right, (right + 1) % 10, List.of(3, 5, 7, 9), accepted,
                    1 - accepted, Math.sqrt(l2), linf, request.defense() + " " + request.method(), 0.01);
        }
    }

    /**
     * Calibration over the real grid parsing and checks; each cell's ACC is a made-up smooth function with a single
     * maximum at (t_fp = 0.005, T = 10, minTA, n = 5), and marks are drawn from two separated normals.
     */
    public static final class FakeCalibration implements CalibrationService {
        @Override
        public List<String> attacks(Path workspace) {
            return List.of("fgsm");
        }

        @Override
        public GridForm grid(Path workspace, String attack) {
            return new GridForm("0.001, 0.005, 0.01", "1, 10", true, true, true, true, "1, 3, 5", 7, 1);
        }

        @Override
        public Outcome calibrate(Path workspace, String attack, GridForm form, org.multimagnet.workspace.Consent consent,
                                 org.multimagnet.common.ProgressListener p,
                                 org.multimagnet.common.Cancellation cancel) {
            var grid = org.multimagnet.ui.calibration.EngineCalibrationService.toGrid(form);
            List<Cell> cells = new ArrayList<>();
            Cell best = null;
            for (var c : grid.combinations()) {
                cancel.throwIfCancelled();
                double acc = 0.9 - Math.abs(Math.log10(c.falsePositiveRate() / 0.005)) * 0.05
                        - (c.temperature() == null ? 0.02 : Math.abs(c.temperature() - 10) * 0.001)
                        - (c.approach().paperName().equals("minTA") ? 0 : 0.01) - Math.abs(c.ensembleSizes().get(c.ensembleSizes().size() - 1) - 5) * 0.002;
                Cell cell = new Cell(c.falsePositiveRate(), c.temperature(), c.metric().name(),
                        c.approach().paperName(), c.sizesLabel(), acc, acc + 0.02, acc - 0.02);
                cells.add(cell);
                if (best == null || acc > best.acc()) {
                    best = cell;
                }
            }
            SplittableRandom r = new SplittableRandom(1);
            java.util.Map<Integer, Double> tau = new java.util.HashMap<>();
            java.util.Map<Integer, Marks> marks = new java.util.HashMap<>();
            for (int id = 1; id <= 10; id++) {
                double[] leg = r.doubles(200).map(u -> 0.02 + 0.01 * u).toArray();
                double[] adv = r.doubles(200).map(u -> 0.035 + 0.02 * u).toArray();
                tau.put(id, 0.0295);
                marks.put(id, new Marks(leg, adv, 0.0295));
            }
            return new Outcome(attack, cells, best, tau, marks, "fake calibration over " + cells.size() + " combinations",
                    List.of());
        }

        @Override
        public java.util.Optional<Outcome> stored(Path workspace, String attack) {
            return java.util.Optional.empty();
        }
    }

    /** @return n images, label i % 10, a bar whose row tells the class */
    public static Dataset synthetic(int n) {
        ImageShape s = ImageShape.MNIST;
        float[] px = new float[n * s.size()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels[i] = c;
            int row = 2 * c + 4;
            for (int x = 4; x < 24; x++) {
                px[i * s.size() + row * 28 + x] = 1f;
                px[i * s.size() + (row + 1) * 28 + x] = 0.8f;
            }
        }
        List<String> names = IntStream.range(0, 10).mapToObj(String::valueOf).toList();
        return new Dataset("sample:mnist", "synthetic", s, px, labels, names, -1);
    }

    /** A fake repository of 10 "autoencoders" (box blurs) with fixed thresholds. */
    public static final class FakeDeployment implements DeploymentService {
        private int opened;

        /** The calibration the last {@link #open} chose (fgsm, the most recent, unless asked for cw). */
        public volatile String attack = "fgsm";

        @Override
        public Setup open(Path workspace, String attack, boolean allowStale) {
            opened++;
            this.attack = "cw".equals(attack) ? "cw" : "fgsm";
            boolean cw = this.attack.equals("cw");
            return new Setup(ImageShape.MNIST, IntStream.range(0, 10).mapToObj(String::valueOf).toList(), 10,
                    List.of(1, 3, 5, 7, 9), 5, (cw ? "JSD T 10.0 · minTA" : "RE · MTA") + " · t_fp 0.005 · calibrated on "
                    + this.attack, cw ? new Terms("JSD", 10.0, "minTA", 0.005, "3,5,7,9")
                    : new Terms("RE", null, "MTA", 0.005, "3,5,7,9"), this.attack, List.of("cw", "fgsm"),
                    "F + S (10 members) · fake", "");
        }

        @Override
        public org.multimagnet.data.ImageFiles.LoadedImage readImage(Path file, ImageShape shape) {
            return org.multimagnet.data.ImageFiles.read(file, shape); // the real reader
        }

        @Override
        public Result classify(float[] image, int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            List<Integer> ids = new ArrayList<>(IntStream.rangeClosed(1, 10).boxed().toList());
            List<MemberVote> votes = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int id = ids.remove(r.nextInt(ids.size()));
                float[] rec = blur(image);
                double mark = 0;
                for (int i = 0; i < image.length; i++) {
                    mark += Math.abs(image[i] - rec[i]);
                }
                mark /= image.length;
                // the cw calibration is stricter, so that a test can tell which one decided
                double threshold = ("cw".equals(attack) ? 0.001 : 0.02) + 0.004 * id;
                votes.add(new MemberVote(id, "[3, avg, 3]", rec, mark, threshold, mark <= threshold));
            }
            long legit = votes.stream().filter(MemberVote::legitimate).count();
            boolean ok = legit > n - legit;
            float[] before = new float[10];
            before[3] = 0.7f;
            before[5] = 0.3f;
            float[] after = ok ? new float[10] : null;
            if (ok) {
                after[3] = 0.9f;
                after[5] = 0.1f;
            }
            return new Result(seed, votes, ok, ok ? votes.get(0).reconstruction() : null,
                    ok ? votes.get(0).id() : -1, before, after);
        }

        @Override
        public StreamSet streamSet() {
            Dataset d = synthetic(20);
            boolean[] adv = new boolean[20];
            for (int i = 10; i < 20; i++) {
                adv[i] = true;
            }
            return new StreamSet(d.pixels(), d.shape(), adv, d.labels(), "fake D");
        }

        int openedCount() {
            return opened;
        }

        static float[] blur(float[] x) {
            float[] y = new float[x.length];
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    float s = 0;
                    int k = 0;
                    for (int dr = -1; dr <= 1; dr++) {
                        for (int dc = -1; dc <= 1; dc++) {
                            int rr = r + dr;
                            int cc = c + dc;
                            if (rr >= 0 && rr < 28 && cc >= 0 && cc < 28) {
                                s += x[rr * 28 + cc];
                                k++;
                            }
                        }
                    }
                    y[r * 28 + c] = s / k;
                }
            }
            return y;
        }
    }
}
