package org.multimagnet.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ComputeThread;
import org.multimagnet.data.Dataset;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Trains a model from its {@link ModelSpec} with {@link DirectNetwork}'s training pass (on the backend its
 * {@link BackendPolicy} picks; a SameDiff training graph is its reference in the tests): autoencoders on
 * x + v·N(0,1) clipped to [0,1] against the clean x with MSE; classifiers with softmax cross-entropy and the spec's
 * augmentation. Everything random (initialisation, shuffling, noise, augmentation, dropout) follows the seed.
 *
 * <p>Cancellation is checked before every batch and after every layer of a batch; a cancelled run throws and returns
 * nothing, so whatever model was saved before stays as it was. Runs on the caller's thread, which must be the one
 * thread that owns ND4J.
 */
public final class Trainer {
    private final TrainingListener listener;
    private final Cancellation cancellation;
    /** A trainer's ND4J work belongs to the first thread that calls {@link #train} (checked under {@code -ea}). */
    private final ComputeThread computeThread = new ComputeThread("Trainer");

    /**
     * @param listener     receives one event per batch
     * @param cancellation checked before every batch
     */
    public Trainer(TrainingListener listener, Cancellation cancellation) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
    }

    /**
     * Trains one model.
     *
     * @param spec         what to train
     * @param data         the dataset, whose image shape must be the spec's
     * @param trainIndices the training images Tr (indices into {@code data})
     * @param options      epochs and image-count overrides, seed
     * @return the trained model and its training record
     * @throws java.util.concurrent.CancellationException when cancelled
     */
    public TrainingResult train(ModelSpec spec, Dataset data, int[] trainIndices, TrainingOptions options) {
        assert computeThread.check("train");
        if (!data.shape().equals(spec.inputShape())) {
            throw new IllegalArgumentException(spec.name() + " takes " + spec.inputShape() + " images, the dataset "
                    + data.name() + " has " + data.shape());
        }
        if (spec.role() == ModelRole.CLASSIFIER && Architecture.outputShape(spec)[0] != data.classCount()) {
            throw new IllegalArgumentException(spec.name() + " has " + Architecture.outputShape(spec)[0]
                    + " outputs, the dataset " + data.name() + " has " + data.classCount() + " classes");
        }
        int n = options.limit() > 0 ? Math.min(options.limit(), trainIndices.length) : trainIndices.length;
        if (n < 1) {
            throw new IllegalArgumentException("no training images");
        }
        int epochs = options.epochsFor(spec);
        ModelSpec run = options.apply(spec);
        long seed = options.seed();
        int[] order = java.util.Arrays.copyOf(trainIndices, n);
        Random shuffle = new Random(seed ^ 0x5DEECE66DL);
        SplittableRandom noise = new SplittableRandom(seed * 31 + 7);

        Map<ParameterKey, INDArray> init = Parameters.initial(run, seed);
        TrainableParameters parameters = new TrainableParameters(init);
        BackendPolicy policy = BackendPolicy.configured();
        DirectNetwork net = new DirectNetwork(run, withRunningStatistics(parameters.valueViews(), init),
                parameters.gradientViews(), policy);
        List<Architecture.PlannedLayer> dropouts = Architecture.plan(run).stream()
                .filter(p -> p.layer() instanceof Layer.Dropout d && d.rate() > 0).toList();
        IUpdater config = updater(run);
        GradientUpdater<?> optimiser = config.instantiate(
                Nd4j.zeros(DataType.FLOAT, 1, config.stateSize(parameters.count())), true);

        int batchSize = run.batchSize();
        Batch buffers = batchBuffers(run, data, Math.min(batchSize, n));
        int batches = (n + batchSize - 1) / batchSize;
        List<Double> epochLosses = new ArrayList<>();
        long start = System.nanoTime();
        long imagesDone = 0;
        int iteration = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffleInPlace(order, shuffle);
            double lossSum = 0;
            for (int b = 0; b < batches; b++) {
                cancellation.throwIfCancelled();
                int from = b * batchSize;
                int to = Math.min(n, from + batchSize);
                Batch batch = batch(run, data, order, from, to, noise, buffers);
                Map<Integer, INDArray> masks = dropoutMasks(dropouts, to - from, noise);
                double loss = net.trainingStep(batch.input(), batch.target(), masks, cancellation);
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException(run.name() + ": training loss became " + loss + " at epoch "
                            + epoch + ", batch " + (b + 1) + " (learning rate " + run.learningRate() + " too high?)");
                }
                // the updater turns the gradient into the step, in place (Adam or Nesterov, ND4J's own updaters)
                optimiser.applyUpdater(parameters.gradients(), iteration++, epoch - 1);
                parameters.values().subi(parameters.gradients());
                lossSum += loss * (to - from);
                imagesDone += to - from;
                double secs = (System.nanoTime() - start) / 1e9;
                double ips = imagesDone / Math.max(secs, 1e-9);
                long left = (long) epochs * n - imagesDone;
                listener.onProgress(new TrainingProgress(run.role(), run.id(), run.name(), epoch, epochs, b + 1,
                        batches, loss, ips, left / Math.max(ips, 1e-9)));
            }
            epochLosses.add(lossSum / n);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<ParameterKey, INDArray> trained = trainedParameters(run, net, parameters, init, data, order);
        NetworkModel model = run.role() == ModelRole.CLASSIFIER
                ? new NetworkClassifier(run, trained) : new NetworkAutoencoder(run, trained);
        return new TrainingResult(model, run, seed, n, epochLosses, epochLosses.get(epochLosses.size() - 1),
                seconds, imagesDone / Math.max(seconds, 1e-9), policy.describe(run, Math.min(batchSize, n)));
    }

    /** @return mean squared error of {@code out} against {@code label}, or mean CE of softmax(out) against y */
    static double dataLoss(INDArray out, INDArray label, boolean classifier) {
        if (!classifier) {
            INDArray d = out.sub(label);
            return d.muli(d).meanNumber().doubleValue();
        }
        INDArray max = out.max(true, 1);
        INDArray shifted = out.subColumnVector(max);
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        // CE = log Σ exp(z) - Σ y·z per row, for one-hot y
        INDArray ce = logSumExp.addi(max).reshape(-1).subi(label.mul(out).sum(1));
        return ce.meanNumber().doubleValue();
    }

    private static IUpdater updater(ModelSpec spec) {
        return spec.optimiser().equals("sgd-nesterov") ? new Nesterovs(spec.learningRate(), 0.9)
                : new Adam(spec.learningRate());
    }

    /** One training batch: the network's input and what its output is compared with. */
    private record Batch(INDArray input, INDArray target) {
    }

    /**
     * The batch of images {@code order[from, to)}, written into {@code buffers} (views of their first rows for a
     * short last batch): the arrays are reused, since a fresh native array per batch cost page faults (a sixth of an
     * epoch of MNIST member 1).
     */
    private static Batch batch(ModelSpec spec, Dataset data, int[] order, int from, int to, SplittableRandom rnd,
                               Batch buffers) {
        int m = to - from;
        INDArray input = firstRows(buffers.input(), m);
        INDArray target = firstRows(buffers.target(), m);
        float[] clean = ImageBatches.pixels(data, order, from, to);
        if (spec.role() == ModelRole.AUTOENCODER) {
            float[] noisy = clean.clone();
            ImageBatches.addClippedNoise(noisy, data.shape().size(), spec.noise(), rnd);
            ImageBatches.write(noisy, noisy.length, input, 0);
            ImageBatches.write(clean, clean.length, target, 0);
        } else {
            if (spec.shiftPixels() > 0 || spec.flips()) {
                ImageBatches.augment(clean, data.shape(), spec.shiftPixels(), spec.flips(), rnd);
            }
            float[] labels = ImageBatches.oneHotValues(data, order, from, to);
            ImageBatches.write(clean, clean.length, input, 0);
            ImageBatches.write(labels, labels.length, target, 0);
        }
        return new Batch(input, target);
    }

    /** @return arrays for batches of up to {@code batchSize}: input images and target images or one-hot labels */
    private static Batch batchBuffers(ModelSpec spec, Dataset data, int batchSize) {
        INDArray input = Nd4j.createUninitialized(DataType.FLOAT, data.shape().batch(batchSize));
        INDArray target = spec.role() == ModelRole.AUTOENCODER ? input.ulike()
                : Nd4j.createUninitialized(DataType.FLOAT, batchSize, data.classCount());
        return new Batch(input, target);
    }

    private static INDArray firstRows(INDArray a, int m) {
        return m == a.size(0) ? a : a.get(NDArrayIndex.interval(0, m));
    }

    /**
     * Each dropout layer's mask for a batch of {@code n}: 0 with probability {@code rate}, else 1/(1 − rate) (Keras'
     * inverted dropout), drawn in the layer's NCHW order from the trainer's seeded generator.
     */
    private static Map<Integer, INDArray> dropoutMasks(List<Architecture.PlannedLayer> dropouts, int n,
                                                       SplittableRandom rnd) {
        Map<Integer, INDArray> masks = new LinkedHashMap<>();
        for (Architecture.PlannedLayer p : dropouts) {
            double keep = 1 - ((Layer.Dropout) p.layer()).rate();
            long[] shape = ArrayUtil.combine(new long[] {n}, p.outShape());
            float[] m = new float[Math.toIntExact(ArrayUtil.prodLong(shape))];
            float scale = (float) (1 / keep);
            for (int i = 0; i < m.length; i++) {
                m[i] = rnd.nextDouble() < keep ? scale : 0f;
            }
            masks.put(p.index(), Nd4j.create(m, shape, 'c'));
        }
        return masks;
    }

    /** The training network reads γ and β from the flat views; the running statistics are not used in training. */
    static Map<ParameterKey, INDArray> withRunningStatistics(Map<ParameterKey, INDArray> views, Map<ParameterKey, INDArray> init) {
        Map<ParameterKey, INDArray> all = new LinkedHashMap<>(init);
        all.putAll(views);
        return all;
    }

    private static void shuffleInPlace(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * The trained variables, plus batch-norm running statistics: the mean over training batches of each batch's
     * mean and variance, taken with the final weights (a post-training pass in place of Keras' moving averages).
     */
    private static Map<ParameterKey, INDArray> trainedParameters(ModelSpec spec, DirectNetwork net,
                                                           TrainableParameters parameters, Map<ParameterKey, INDArray> init,
                                                           Dataset data, int[] order) {
        Map<ParameterKey, INDArray> out = new LinkedHashMap<>();
        parameters.valueViews().forEach((name, v) -> out.put(name, v.dup('c')));
        Map<Integer, INDArray[]> sums = new LinkedHashMap<>();
        boolean anyBatchNorm = Architecture.plan(spec).stream()
                .anyMatch(p -> p.layer() instanceof Layer.Conv c && c.batchNorm());
        if (anyBatchNorm) {
            int bs = spec.batchSize();
            int batches = 0;
            for (int from = 0; from < order.length; from += bs) {
                int to = Math.min(order.length, from + bs);
                net.batchNormStatistics(ImageBatches.images(data, order, from, to)).forEach((i, stats) ->
                        sums.merge(i, stats, (a, b) -> new INDArray[] {a[0].addi(b[0]), a[1].addi(b[1])}));
                batches++;
            }
            for (Map.Entry<Integer, INDArray[]> e : sums.entrySet()) {
                out.put(new ParameterKey(e.getKey(), ParameterKey.Role.RUNNING_MEAN), e.getValue()[0].divi(batches));
                out.put(new ParameterKey(e.getKey(), ParameterKey.Role.RUNNING_VARIANCE), e.getValue()[1].divi(batches));
            }
        }
        for (Map.Entry<ParameterKey, INDArray> e : init.entrySet()) {
            if (!out.containsKey(e.getKey())) {
                throw new IllegalStateException("variable " + e.getKey() + " missing after training");
            }
        }
        return out;
    }
}
