package org.multimagnet.experiment;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.multimagnet.attack.AttackOutcome;
import org.multimagnet.attack.AttackTemplate;
import org.multimagnet.attack.BimParams;
import org.multimagnet.attack.CarliniWagnerL2;
import org.multimagnet.attack.CarliniWagnerL2Params;
import org.multimagnet.attack.DeepFool;
import org.multimagnet.attack.DeepFoolParams;
import org.multimagnet.attack.Fgsm;
import org.multimagnet.attack.FgsmParams;
import org.multimagnet.attack.Bim;
import org.multimagnet.common.BuildInfo;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageFiles;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.Calibration;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.CalibrationResult;
import org.multimagnet.defense.Deployment;
import org.multimagnet.defense.DeploymentSettings;
import org.multimagnet.defense.Ensemble;
import org.multimagnet.defense.JensenShannonDivergence;
import org.multimagnet.defense.MemberThreshold;
import org.multimagnet.defense.MetricName;
import org.multimagnet.defense.Observations;
import org.multimagnet.defense.Observer;
import org.multimagnet.defense.ReconstructionError;
import org.multimagnet.defense.ReformerSource;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.multimagnet.nn.ImageBatches;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.nn.ModelSpecs;
import org.multimagnet.nn.NativeArrays;
import org.multimagnet.nn.NetworkModel;
import org.multimagnet.nn.Trainer;
import org.multimagnet.nn.TrainingListener;
import org.multimagnet.nn.TrainingOptions;
import org.multimagnet.nn.TrainingResult;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The engine benchmark (docs/benchmarks.md): the workloads the PyTorch reference
 * ({@code src/bench/python/pytorch_reference.py}) runs, with the same architectures, image counts and batch sizes, on
 * the 10,000 sample MNIST digits, each after a warm-up of the same code path (long enough for the JIT to compile the hot
 * loops; the reference warms up too). Models start from their seeded initial weights (no trained workspace is needed);
 * the classifier the attacks and the defense use is the one clf_train trained for one epoch.
 *
 * <p>Where our path does more than the reference, the extra work is counted, because it is what a user waits for:
 * training adds the denoising noise in Java, every attack classifies its input before and its output after
 * (AttackTemplate's fresh forward passes), and the attacks see only images F classifies correctly, so their
 * labels here are F's own predictions (every image is attacked, as in the reference).
 *
 * <p>Runs on the caller's thread, which must be the one thread that owns ND4J.
 */
public final class Benchmark {
    /** Batch of the inference workloads, as in the PyTorch reference. */
    public static final int INFER_BATCH = 256;
    /** Deployment temperature of deploy_n5 (JSD with T 10). */
    public static final double DEPLOY_TEMPERATURE = 10.0;
    /** Ensemble size of deploy_n5. */
    public static final int DEPLOY_ENSEMBLE = 5;
    /** Ensemble size of deploy_one_ms. */
    public static final int DEPLOY_ONE_ENSEMBLE = 9;
    private static final long SEED = 2019;
    /** Workloads reported through the progress listener. */
    private static final int STEPS = 12;
    /** Batch of the CIFAR-10 training workloads (the authors' members train with 32; All-CNN measured alike). */
    static final int CIFAR_TRAIN_BATCH = 32;

    private final ProgressListener progress;
    private final Cancellation cancellation;

    /**
     * @param progress     told when each workload starts (done = workloads finished, of 11)
     * @param cancellation checked between workloads
     */
    public Benchmark(ProgressListener progress, Cancellation cancellation) {
        this.progress = Objects.requireNonNull(progress, "progress");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
    }

    /**
     * Runs every workload once.
     *
     * @param mnist    the sample MNIST set (10,000 digits)
     * @param settings the counts
     * @param scratch  a folder for the one image file deploy_one_ms decodes
     * @return the figures
     */
    public BenchmarkResult run(Dataset mnist, BenchmarkSettings settings, Path scratch) {
        if (!mnist.shape().equals(ImageShape.MNIST) || mnist.size() < BenchmarkSettings.SAMPLE_IMAGES) {
            throw new IllegalArgumentException("the benchmark runs on the " + BenchmarkSettings.SAMPLE_IMAGES
                    + " sample MNIST digits, got " + mnist.size() + " images of " + mnist.shape());
        }
        long start = System.nanoTime();
        int[] all = IntStream.range(0, BenchmarkSettings.SAMPLE_IMAGES).toArray();
        INDArray images = Nd4j.create(mnist.pixels(), mnist.shape().batch(mnist.size()), 'c');

        step(0, "ae_train");
        ModelSpec member1 = ModelSpecs.mnistMembers().get(0);
        // 4,096 images: the lane loops of the small autoencoders are compiled by the JIT only after a few thousand
        // (a cold first epoch of 10,000 ran at ~9k images/s, the next ones at 12–17k)
        train(member1, mnist, all, Math.min(4096, settings.trainImages()));
        TrainingResult ae = train(member1, mnist, all, settings.trainImages());

        step(1, "ae_infer");
        Autoencoder a = (Autoencoder) ae.model();
        inferRate(x -> a.reconstruct(x), images, Math.min(1024, settings.inferImages()));
        double aeInfer = inferRate(x -> a.reconstruct(x), images, settings.inferImages());

        step(2, "clf_train");
        ModelSpec cw = ModelSpecs.cwMnistClassifier();
        train(cw, mnist, all, Math.min(256, settings.trainImages()));
        TrainingResult clf = train(cw, mnist, all, settings.trainImages());
        Classifier f = (Classifier) clf.model();

        step(3, "clf_infer");
        inferRate(f::logits, images, Math.min(512, settings.inferImages()));
        double clfInfer = inferRate(f::logits, images, settings.inferImages());

        // the attacks' source images, labelled with F's predictions so that every one of them is attacked
        int attackCount = IntStream.of(settings.fgsmImages(), settings.bimImages(), settings.deepfoolImages(),
                settings.cwImages()).max().orElseThrow();
        Dataset source = labelledByF(f, mnist, attackCount);

        step(4, "fgsm");
        Fgsm fgsm = new Fgsm(FgsmParams.paperMnist());
        attackRate(fgsm, f, source, Math.min(100, settings.fgsmImages()));
        AttackOutcome fgsmOutcome = attack(fgsm, f, source, settings.fgsmImages());
        double fgsmRate = settings.fgsmImages() / fgsmOutcome.summary().seconds();

        step(5, "bim50");
        int it = settings.attackIterations();
        BimParams bimParams = BimParams.paperMnist();
        Bim bim = new Bim(it == 0 ? bimParams : new BimParams(bimParams.epsilon(), bimParams.alpha(), it));
        attackRate(new Bim(new BimParams(bimParams.epsilon(), bimParams.alpha(), 2)), f, source,
                Math.min(20, settings.bimImages()));
        double bimRate = attackRate(bim, f, source, settings.bimImages());

        step(6, "deepfool");
        DeepFoolParams dfParams = DeepFoolParams.paperMnist();
        DeepFool deepFool = new DeepFool(it == 0 ? dfParams : new DeepFoolParams(dfParams.overshoot(), it), true);
        attackRate(new DeepFool(new DeepFoolParams(0.02, 2), true), f, source, Math.min(20, settings.deepfoolImages()));
        double deepfoolRate = attackRate(deepFool, f, source, settings.deepfoolImages());

        step(7, "cw100");
        CarliniWagnerL2Params cwParams = CarliniWagnerL2Params.paperMnist();
        CarliniWagnerL2 cwAttack = new CarliniWagnerL2(it == 0 ? cwParams : new CarliniWagnerL2Params(
                cwParams.kappa(), cwParams.learningRate(), cwParams.c0(), cwParams.binarySearchSteps(), it));
        attackRate(new CarliniWagnerL2(new CarliniWagnerL2Params(0, 0.2, 10, 1, 2)), f, source,
                Math.min(20, settings.cwImages()));
        double cwRate = attackRate(cwAttack, f, source, settings.cwImages());

        step(8, "deploy_n5");
        List<Autoencoder> s = new ArrayList<>();
        for (ModelSpec spec : ModelSpecs.mnistMembers()) {
            s.add((Autoencoder) NetworkModel.untrained(spec, SEED + spec.id()));
        }
        deployRate(f, s, images, 1, settings.deployChunkSize());
        double deployRate = deployRate(f, s, images, settings.deployChunks(), settings.deployChunkSize());

        step(9, "deploy_one_ms");
        double deployOneMs = deployOneMs(f, s, mnist, settings.deployOneRepeats(), scratch);

        step(10, "calibration_ratio");
        CalibrationResult calibration = calibrate(f, s, images, fgsmOutcome, settings.calibrationImages());
        double forward = calibration.timing().forwardPassSeconds();
        double grid = calibration.timing().gridSeconds();

        step(11, "cifar");
        double[] cifar = cifarRates(settings.cifarImages());

        progress.progress(STEPS, STEPS, "done");
        return new BenchmarkResult(ae.imagesPerSecond(), aeInfer, clf.imagesPerSecond(), clfInfer, fgsmRate, bimRate,
                deepfoolRate, cwRate, deployRate, deployOneMs, (forward + grid) / forward, forward, grid, cifar[0],
                cifar[1], cifar[2], cifar[3], cifar[4], backend(),
                Nd4j.getEnvironment().maxThreads(), settings.quick(), settings, Instant.now().toString(),
                (System.nanoTime() - start) / 1e9);
    }

    private void step(int done, String workload) {
        cancellation.throwIfCancelled();
        progress.progress(done, STEPS, workload);
    }

    /** @return the ND4J build and the native extension actually selected */
    public static String backend() {
        String ext = System.getProperty("org.bytedeco.javacpp.platform.extension",
                System.getProperty("javacpp.platform.extension", ""));
        return BuildInfo.backend() + " (native extension '" + ext + "')";
    }

    /**
     * The CIFAR-10 workloads on {@code n} random images of CIFAR's shape (uniform pixels, random labels): speed does
     * not depend on the pixels, and the benchmark stays independent of where the full CIFAR-10 is.
     *
     * @return images/s of All-CNN training, inference and input gradients, member 1 training and inference
     */
    private double[] cifarRates(int n) {
        java.util.Random rnd = new java.util.Random(SEED);
        float[] px = new float[n * ImageShape.CIFAR10.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = rnd.nextFloat();
        }
        int[] labels = rnd.ints(n, 0, 10).toArray();
        Dataset data = new Dataset("random CIFAR-10-shaped images", "random", ImageShape.CIFAR10, px, labels,
                IntStream.range(0, 10).mapToObj(Integer::toString).toList(), -1);
        int[] all = IntStream.range(0, n).toArray();
        INDArray images = Nd4j.create(px, ImageShape.CIFAR10.batch(n), 'c');

        ModelSpec allCnn = ModelSpecs.cifar10Classifier().withBatchSize(CIFAR_TRAIN_BATCH);
        train(allCnn, data, all, Math.min(64, n));
        TrainingResult clf = train(allCnn, data, all, n);
        Classifier f = (Classifier) clf.model();
        inferRate(f::logits, images, Math.min(256, n));
        double clfInfer = inferRate(f::logits, images, n);
        INDArray oneHot = ImageBatches.oneHot(data, all, 0, n);
        // every batch takes the first rows' labels: they are random, and the time does not depend on them
        UnaryOperator<INDArray> grad = x -> f.gradient(x, oneHot.get(NDArrayIndex.interval(0, x.size(0)),
                NDArrayIndex.all()), null).gradient();
        inferRate(grad, images, Math.min(256, n));
        double inputGrad = inferRate(grad, images, n);

        ModelSpec member1 = ModelSpecs.cifar10Members().get(0).withBatchSize(CIFAR_TRAIN_BATCH);
        train(member1, data, all, Math.min(256, n));
        TrainingResult ae = train(member1, data, all, n);
        Autoencoder a = (Autoencoder) ae.model();
        inferRate(a::reconstruct, images, Math.min(256, n));
        double aeInfer = inferRate(a::reconstruct, images, n);
        return new double[] {clf.imagesPerSecond(), clfInfer, inputGrad, ae.imagesPerSecond(), aeInfer};
    }

    /** One epoch over the first {@code n} sample images; the rate is the trainer's, over its batch loop. */
    private TrainingResult train(ModelSpec spec, Dataset mnist, int[] all, int n) {
        return new Trainer(TrainingListener.NONE, cancellation).train(spec.withEpochs(1), mnist, all,
                new TrainingOptions(1, n, SEED));
    }

    /** Images per second of {@code f} over the first {@code n} images, {@link #INFER_BATCH} at a time. */
    private double inferRate(java.util.function.UnaryOperator<INDArray> f, INDArray images, int n) {
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += INFER_BATCH) {
            cancellation.throwIfCancelled();
            int to = Math.min(n, from + INFER_BATCH);
            // the output is not kept: released at once, as PyTorch frees an unreferenced tensor (NativeArrays)
            NativeArrays.release(f.apply(rows(images, from, to)));
        }
        return n / seconds(t0);
    }

    /** Images {@code from..to-1} as a view (no copy), as the reference's {@code x[i:i + 256]} slices are. */
    private static INDArray rows(INDArray images, int from, int to) {
        return images.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
    }

    /** The first {@code n} sample images, labelled with F's predictions. */
    private static Dataset labelledByF(Classifier f, Dataset mnist, int n) {
        float[] px = Arrays.copyOf(mnist.pixels(), n * mnist.shape().size());
        INDArray z = f.logits(Nd4j.create(px, mnist.shape().batch(n), 'c'));
        int[] predicted = z.argMax(1).toIntVector();
        return new Dataset(mnist.name() + " (labelled by F)", mnist.format(), mnist.shape(), px, predicted,
                mnist.classNames(), -1);
    }

    /** Runs the attack on the first {@code n} images in one batch, as the reference does. */
    private AttackOutcome attack(AttackTemplate attack, Classifier f, Dataset source, int n) {
        Dataset first = source.subset(IntStream.range(0, n).toArray());
        return attack.run(f, first, n, ProgressListener.NONE, cancellation);
    }

    private double attackRate(AttackTemplate attack, Classifier f, Dataset source, int n) {
        return n / attack(attack, f, source, n).summary().seconds();
    }

    /**
     * The 40-chunk protocol's forward passes and marks (paper §5.4): per chunk, a fresh ensemble of
     * {@link #DEPLOY_ENSEMBLE} of the members, F on x, each member's a(x), RE, F on a(x) and JSD (T 10).
     */
    private double deployRate(Classifier f, List<Autoencoder> s, INDArray images, int chunks, int chunkSize) {
        SplittableRandom rng = new SplittableRandom(SEED);
        long t0 = System.nanoTime();
        double checksum = 0;
        for (int c = 0; c < chunks; c++) {
            cancellation.throwIfCancelled();
            Ensemble r = Ensemble.draw(s.size(), DEPLOY_ENSEMBLE, rng);
            List<Autoencoder> members = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                members.add(s.get(r.member(i)));
            }
            Observations o = Observer.observe(f, members, rows(images, c * chunkSize, (c + 1) * chunkSize),
                    Observer.DEFAULT_BATCH, false, ProgressListener.NONE, cancellation);
            double[][] re = ReconstructionError.INSTANCE.marks(o);
            double[][] jsd = new JensenShannonDivergence(DEPLOY_TEMPERATURE).marks(o);
            checksum += re[0][0] + jsd[0][0];
        }
        if (!Double.isFinite(checksum)) {
            throw new IllegalStateException("deploy_n5 produced a non-finite mark");
        }
        return (double) chunks * chunkSize / seconds(t0);
    }

    /**
     * One digit written as a PNG file, then decided end to end {@code repeats} times (decode, n = 9 members, marks,
     * vote, reformer, F on the reformed image): the median in milliseconds. Every member's threshold is ln 2, the
     * largest JSD, so the image is accepted and the reform step runs.
     */
    private double deployOneMs(Classifier f, List<Autoencoder> s, Dataset mnist, int repeats, Path scratch) {
        Path file = scratch.resolve("bench-digit.png");
        writePng(file, mnist.image(0), mnist.shape());
        List<MemberThreshold> thresholds = new ArrayList<>();
        for (Autoencoder a : s) {
            thresholds.add(new MemberThreshold(a.id(), JensenShannonDivergence.LN2));
        }
        Deployment deployment = new Deployment(f, s, new DeploymentSettings(MetricName.JSD, DEPLOY_TEMPERATURE,
                ThresholdApproach.MTA, DEPLOY_ONE_ENSEMBLE, thresholds, ReformerSource.ENSEMBLE));
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int w = 0; w < 3; w++) {
            decideFile(deployment, file, rng);
        }
        double[] ms = new double[repeats];
        for (int k = 0; k < repeats; k++) {
            cancellation.throwIfCancelled();
            long t0 = System.nanoTime();
            decideFile(deployment, file, rng);
            ms[k] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return repeats % 2 == 1 ? ms[repeats / 2] : (ms[repeats / 2 - 1] + ms[repeats / 2]) / 2;
    }

    private static void decideFile(Deployment deployment, Path file, SplittableRandom rng) {
        ImageFiles.LoadedImage img = ImageFiles.read(file, ImageShape.MNIST);
        deployment.decide(Nd4j.create(img.pixels(), img.shape().batch(1), 'c'), rng);
    }

    private static void writePng(Path file, float[] pixels, ImageShape shape) {
        BufferedImage png = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                int v = Math.round(pixels[y * shape.width() + x] * 255f);
                png.getRaster().setSample(x, y, 0, v);
            }
        }
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(png, "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The demo grid ({@link CalibrationGrid#example()}) over V = V_leg ∪ V_atk: V_leg the sample images after those
     * the attacks used, V_atk the FGSM images (repeated when there are fewer than asked for).
     */
    private CalibrationResult calibrate(Classifier f, List<Autoencoder> s, INDArray images, AttackOutcome fgsm,
                                        int count) {
        int from = BenchmarkSettings.SAMPLE_IMAGES - count;
        INDArray vLeg = rows(images, from, BenchmarkSettings.SAMPLE_IMAGES);
        int d = ImageShape.MNIST.size();
        int available = fgsm.adversarial().length / d;
        float[] atk = new float[count * d];
        for (int i = 0; i < count; i++) {
            System.arraycopy(fgsm.adversarial(), (i % available) * d, atk, i * d, d);
        }
        INDArray vAtk = Nd4j.create(atk, ImageShape.MNIST.batch(count), 'c');
        return Calibration.run(f, s, vLeg, vAtk, CalibrationGrid.example(), "fgsm", ProgressListener.NONE,
                cancellation);
    }

    private static double seconds(long t0) {
        return Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
    }
}
