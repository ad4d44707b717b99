package org.multimagnet.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.multimagnet.common.Cancellation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The small convolutional autoencoders (the MNIST members: 1 to 5 channels) run in plain Java, inference and
 * training, with the batch as the innermost dimension: every (pixel, channel) of an activation is one "lane" array
 * holding that value for each image of the batch. Every inner loop then runs along a lane, the same index on every
 * array it touches, which the JIT compiles to vector instructions (on JDK 17 only then: a loop reading
 * {@code a[i]} and {@code b[base + i]} stayed scalar, 2.7 against 19 GMAC/s).
 *
 * <p>Why: oneDNN's kernels are built for many channels; on a 3 → 3-channel 28 × 28 convolution of 256 images they
 * reached ~7 GMAC/s with the sigmoid, this loop ~20 on the same two cores, and the member's training step,
 * dominated by oneDNN's {@code conv2d_bp}, more than tripled in speed (figures in README "Speed"). Wider layers
 * (the CIFAR-10 members, the classifiers) stay on {@link DirectNetwork}'s oneDNN path, as do batches smaller than
 * {@link #MIN_BATCH}.
 *
 * <p>Same arithmetic as {@link DirectNetwork} (checked in LaneNetworkTest): same-padded stride-1 convolutions
 * with weights {@code [kH, kW, in, out]}, 2 × 2 pooling (max passes its gradient to the first maximum in row-major
 * order, as libnd4j does), 2 × upsampling, Keras' activity penalty, MSE. The sigmoid is a rational approximation
 * ({@link #sigmoid}), within 2e-7 of the exact value. Not thread-safe (one per DirectNetwork).
 */
final class LaneNetwork implements Backend {
    /** Convolutions with more channels than this stay on oneDNN. */
    static final int MAX_CHANNELS = 8;
    /**
     * Batches below this size stay on oneDNN: one image padded to 16 lanes ran no faster there (0.74 against
     * 0.77 ms for member 1), from 16 images on the lanes were faster (0.84 against 1.51 ms).
     *
     * <p>The JIT compiles the lane loops for the trip counts it has seen: after first calls on 1 to 16 unpadded
     * lanes, 256 images ran 3× slower than after first calls on 64 (and slower than oneDNN), so inference pads every
     * batch to whole {@link #VECTOR}s of lanes (then 256 images ran at 24 µs an image after the same first calls).
     */
    static final int MIN_BATCH = 16;
    /** Lanes per AVX-512 register: inference batches are padded to a multiple. */
    static final int VECTOR = 16;
    /** Images per pass when a large input is split. */
    private static final int CHUNK = 256;
    /**
     * Blocks of rows whose weight gradients are summed apart, then added in block order: a fixed number whatever the
     * number of threads, so that trained weights are the same on every machine. Each thread reuses one set of lanes
     * for the blocks it takes and keeps only a sum per parameter per block, so more blocks cost a zeroing and a
     * reduction of the lanes each, not more memory.
     */
    static final int GRADIENT_BLOCKS = 4;

    private final List<LaneLayer> layers;
    private final Map<ParameterKey, INDArray> params;
    private final Map<ParameterKey, INDArray> grads;
    /** Activations and gradients for up to {@code capacity} images; null until the first call. */
    private float[][][] acts;
    private float[][][] gradients;
    /** The training targets (clean images) as lanes. */
    private float[][] targets;
    /** Images in {@code [N, C, H, W]} order on their way into or out of lanes. */
    private float[] staging;
    private int capacity;

    /**
     * @param params every parameter by key (read on every call: a trainer updates them in place)
     * @param grads  for training, the arrays {@link #trainingStep} fills with each parameter's gradient; else null
     */
    LaneNetwork(ModelSpec spec, Map<ParameterKey, INDArray> params, Map<ParameterKey, INDArray> grads) {
        if (!supports(spec)) {
            throw new IllegalArgumentException(spec.name() + " is not a small convolutional autoencoder");
        }
        this.params = params;
        this.grads = grads;
        List<LaneLayer> ls = new ArrayList<>();
        for (Architecture.PlannedLayer pl : Architecture.plan(spec)) {
            LaneLayer l = laneLayer(pl);
            long[] out = pl.outShape(); // Architecture's [C, H, W]
            if (l == null || l.outValues() != out[0] * out[1] * out[2]) {
                throw new IllegalStateException(spec.name() + ": layer " + pl.index() + " disagrees with the plan");
            }
            ls.add(l);
        }
        this.layers = List.copyOf(ls);
    }

    /** @return the lanes' version of a planned layer, or null for a layer they cannot run ({@link #canRun}) */
    private LaneLayer laneLayer(Architecture.PlannedLayer pl) {
        if (!canRun(pl)) {
            return null;
        }
        int c = (int) pl.inShape()[0];
        int h = (int) pl.inShape()[1];
        int w = (int) pl.inShape()[2];
        return pl.layer().accept(new Layer.Visitor<LaneLayer>() {
            @Override
            public LaneLayer conv(Layer.Conv conv) {
                return new LaneConv(pl.index(), conv, h, w, c);
            }

            @Override
            public LaneLayer pool(Layer.Pool pool) {
                return new LanePool(pool.max(), h, w, c);
            }

            @Override
            public LaneLayer upsample(Layer.Upsample u) {
                return new LaneUpsample(h, w, c);
            }

            @Override
            public LaneLayer dropout(Layer.Dropout d) {
                return null;
            }

            @Override
            public LaneLayer dense(Layer.Dense d) {
                return null;
            }

            @Override
            public LaneLayer globalAveragePool(Layer.GlobalAveragePool g) {
                return null;
            }
        });
    }

    /** @return whether the lanes can run {@code spec}: an autoencoder whose every layer {@link #laneLayer} takes */
    static boolean supports(ModelSpec spec) {
        if (spec.role() != ModelRole.AUTOENCODER || spec.inputShape().channels() > MAX_CHANNELS) {
            return false;
        }
        for (Architecture.PlannedLayer pl : Architecture.plan(spec)) {
            if (!canRun(pl)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return whether the lanes have this layer: same-padded stride-1 convolutions with odd kernels, at most
     *         {@link #MAX_CHANNELS} channels and no batch norm; 2 × 2 pooling of even sizes; upsampling
     */
    private static boolean canRun(Architecture.PlannedLayer pl) {
        long[] in = pl.inShape();
        return in.length == 3 && pl.layer().accept(new Layer.Visitor<Boolean>() {
            @Override
            public Boolean conv(Layer.Conv c) {
                return c.stride() == 1 && c.same() && c.kernel() % 2 == 1 && !c.batchNorm()
                        && c.filters() <= MAX_CHANNELS && in[0] <= MAX_CHANNELS;
            }

            @Override
            public Boolean pool(Layer.Pool p) {
                return in[1] % 2 == 0 && in[2] % 2 == 0;
            }

            @Override
            public Boolean upsample(Layer.Upsample u) {
                return true;
            }

            @Override
            public Boolean dropout(Layer.Dropout d) {
                return false;
            }

            @Override
            public Boolean dense(Layer.Dense d) {
                return false;
            }

            @Override
            public Boolean globalAveragePool(Layer.GlobalAveragePool g) {
                return false;
            }
        });
    }

    /**
     * @param x {@code [N, C, H, W]} float images
     * @return the reconstructions, {@code [N, C, H, W]}, a new array
     */
    @Override
    public String name() {
        return BackendPolicy.LANES.label();
    }

    @Override
    public INDArray output(INDArray x) {
        int n = (int) x.size(0);
        LaneLayer last = layers.get(layers.size() - 1);
        INDArray result = Nd4j.createUninitialized(DataType.FLOAT, n, last.outC, last.outH, last.outW);
        int perImage = last.outValues();
        for (int from = 0; from < n; from += CHUNK) {
            int m = Math.min(n, from + CHUNK) - from;
            forward(x, from, m, false);
            float[] flat = staging(m * perImage);
            fromLanes(acts[layers.size()], m, last.outC, flat);
            ImageBatches.write(flat, m * perImage, result, (long) from * perImage);
        }
        return result;
    }

    /**
     * One training step (the same contract as {@link DirectNetwork#trainingStep}): forward, MSE against
     * {@code target}, and every parameter's gradient of MSE plus the activity penalties, written into the gradient
     * arrays given at construction.
     *
     * @return the batch's MSE (without the activity penalty)
     */
    @Override
    public double trainingStep(INDArray x, INDArray target, Map<Integer, INDArray> masks, Cancellation cancellation) {
        if (grads == null) {
            throw new IllegalStateException("not a training network");
        }
        if (!masks.isEmpty()) {
            throw new IllegalArgumentException("the lanes run no dropout, got masks for layers " + masks.keySet());
        }
        int n = (int) x.size(0);
        forward(x, 0, n, true);
        int k = layers.size();
        float[][] out = acts[k];
        float[][] g = gradients[k];
        float[][] t = toLanes(target, 0, n, targets);
        long count = (long) n * out.length;
        float scale = (float) (2.0 / count); // ∂ mean((out − target)²)/∂out
        // one sum per output lane, added in lane order: the loss does not depend on how the threads shared the lanes
        double[] sums = new double[out.length];
        LaneThreads.parallelFor(out.length, (slot, from, to) -> {
            for (int r = from; r < to; r++) {
                float[] o = out[r];
                float[] tr = t[r];
                float[] gr = g[r];
                float rowSum = 0;
                for (int j = 0; j < n; j++) {
                    float d = o[j] - tr[j];
                    rowSum += d * d;
                    gr[j] = scale * d;
                }
                sums[r] = rowSum;
            }
        });
        double loss = 0;
        for (double rowSum : sums) {
            loss += rowSum;
        }
        loss /= count;
        for (int i = k - 1; i >= 0; i--) {
            cancellation.throwIfCancelled();
            layers.get(i).backward(acts[i], acts[i + 1], gradients[i + 1], i == 0 ? null : gradients[i], n);
        }
        return loss;
    }

    /** Runs images {@code [from, from + n)} of {@code x} forward into {@link #acts}. */
    private void forward(INDArray x, int from, int n, boolean training) {
        // inference runs whole vectors of lanes: the JIT compiles the loops for the trip counts it sees, and trip
        // counts of 1 to 15 (single dropped images) left them scalar for every later batch (see MIN_BATCH)
        int lanes = training ? n : (n + VECTOR - 1) / VECTOR * VECTOR;
        ensureCapacity(lanes, training);
        toLanes(x, from, n, acts[0]);
        for (float[] lane : acts[0]) {
            Arrays.fill(lane, n, lanes, 0f); // the padding lanes compute the reconstruction of a black image
        }
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(acts[i], acts[i + 1], lanes);
        }
    }

    private void ensureCapacity(int n, boolean training) {
        if (acts != null && n <= capacity && (!training || gradients != null)) {
            return;
        }
        capacity = Math.max(n, acts == null ? 0 : capacity);
        int k = layers.size();
        acts = new float[k + 1][][];
        gradients = training ? new float[k + 1][][] : null;
        acts[0] = new float[layers.get(0).inValues()][capacity];
        for (int i = 0; i < k; i++) {
            acts[i + 1] = new float[layers.get(i).outValues()][capacity];
            if (training) {
                gradients[i + 1] = new float[layers.get(i).outValues()][capacity];
            }
        }
        targets = training ? new float[layers.get(k - 1).outValues()][capacity] : null;
    }

    /** @return the reused staging array, at least {@code size} long */
    private float[] staging(int size) {
        if (staging == null || staging.length < size) {
            staging = new float[size];
        }
        return staging;
    }

    /**
     * Images {@code [from, from + n)} of {@code [N, C, H, W]} {@code x} into lanes {@code (y·W + x)·C + c}, one
     * value per image; through a reused Java array, so that no native memory is allocated (a fresh native array
     * costs page faults that took longer than the whole transposition).
     */
    private float[][] toLanes(INDArray x, int from, int n, float[][] lanes) {
        int c = (int) x.size(1);
        int perImage = (int) (x.length() / x.size(0));
        float[] flat = staging(n * perImage);
        ImageBatches.read(x, (long) from * perImage, flat, n * perImage);
        transpose(lanes, flat, n, c, true);
        return lanes;
    }

    /** Lanes back into {@code [N, C, H, W]} order in {@code flat}, as {@link #toLanes} in reverse. */
    private static void fromLanes(float[][] lanes, int n, int c, float[] flat) {
        transpose(lanes, flat, n, c, false);
    }

    /**
     * Between lanes {@code (y·W + x)·C + c} and images in {@code [N, C, H, W]} order, in blocks of 16 images: every
     * lane is touched a cache line at a time while the images are read or written in order.
     */
    private static void transpose(float[][] lanes, float[] flat, int n, int c, boolean intoLanes) {
        int plane = lanes.length / c;
        int perImage = lanes.length;
        LaneThreads.parallelFor((n + 15) / 16, (slot, b0, b1) -> {
            for (int j0 = b0 * 16; j0 < Math.min(n, b1 * 16); j0 += 16) {
                int j1 = Math.min(n, j0 + 16);
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < plane; p++) {
                        float[] lane = lanes[p * c + ch];
                        int at = ch * plane + p;
                        for (int j = j0; j < j1; j++) {
                            if (intoLanes) {
                                lane[j] = flat[j * perImage + at];
                            } else {
                                flat[j * perImage + at] = lane[j];
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * In place on {@code a[0, n)}: σ(x) = (1 + tanh(x/2)) / 2, tanh by a rational function x·P(x²)/Q(x²) of degree
     * 9/8 fitted to tanh on [0, 9] (beyond 9, tanh is 1 in float), evaluated in float: at most 1.8e-7 from the exact
     * σ over [−24, 24] (LaneNetworkTest). Java's {@code Math.exp} would keep the loop scalar (7 ns a value against
     * 0.5 ns here).
     */
    static float[] sigmoid(float[] a, int n) {
        for (int j = 0; j < n; j++) {
            float x = Math.max(-9f, Math.min(9f, 0.5f * a[j]));
            float s = x * x;
            float p = P0 + s * (P1 + s * (P2 + s * (P3 + s * P4)));
            float q = 1f + s * (Q1 + s * (Q2 + s * (Q3 + s * Q4)));
            a[j] = 0.5f + 0.5f * (x * p / q);
        }
        return a;
    }

    // Coefficients of the fit above (least squares reweighted toward minimax, float32 evaluation checked).
    private static final float P0 = 0.9999999066984983f;
    private static final float P1 = 0.13373418180979865f;
    private static final float P2 = 0.003486842400175759f;
    private static final float P3 = 2.0476063339523037e-05f;
    private static final float P4 = 1.3189985326178544e-08f;
    private static final float Q1 = 0.46706715168480983f;
    private static final float Q2 = 0.02584297374345228f;
    private static final float Q3 = 0.0003271809093582841f;
    private static final float Q4 = 7.705043654077093e-07f;

    /** One layer over lanes: its input is {@code h × w × c} lanes, its output {@code outH × outW × outC}. */
    private abstract static class LaneLayer {
        final int h;
        final int w;
        final int c;
        final int outH;
        final int outW;
        final int outC;

        LaneLayer(int h, int w, int c, int outH, int outW, int outC) {
            this.h = h;
            this.w = w;
            this.c = c;
            this.outH = outH;
            this.outW = outW;
            this.outC = outC;
        }

        final int inValues() {
            return h * w * c;
        }

        final int outValues() {
            return outH * outW * outC;
        }

        abstract void forward(float[][] in, float[][] out, int n);

        /**
         * From ∂L/∂out ({@code g}, may be overwritten) writes ∂L/∂in into {@code gIn} (null: not needed) and, for
         * a convolution, its parameters' gradients into the trainer's arrays.
         */
        abstract void backward(float[][] in, float[][] out, float[][] g, float[][] gIn, int n);
    }

    /** Same-padded stride-1 convolution, bias, activation; weights {@code [k, k, in, out]}. */
    private final class LaneConv extends LaneLayer {
        private final int index;
        private final int k;
        private final int pad;
        /** Input and output channels (the base class's c and outC, named as in the weights' [k, k, ci, co]). */
        private final int ci;
        private final int co;
        private final Layer.Activation activation;
        private final double activityL2;
        /** Per pixel, the kernel taps inside the image: pairs (ky·k + kx, pixel (y + ky − p, x + kx − p)). */
        private final int[][] taps;
        /** Per pixel, the taps of the transposed convolution: pairs (ky·k + kx, pixel (y − ky + p, x − kx + p)). */
        private final int[][] transposedTaps;
        /** Per thread slot: one lane per weight and per bias, the partial sums of their gradients over a block. */
        private final float[][][] weightGradientLanes = new float[GRADIENT_BLOCKS][][];
        /** Per block of rows: each weight's and bias's gradient summed over the block's rows and lanes. */
        private final double[][] blockSums = new double[GRADIENT_BLOCKS][];

        LaneConv(int index, Layer.Conv conv, int h, int w, int ci) {
            super(h, w, ci, h, w, conv.filters());
            this.index = index;
            this.k = conv.kernel();
            this.pad = conv.kernel() / 2;
            this.ci = ci;
            this.co = conv.filters();
            this.activation = conv.activation();
            this.activityL2 = conv.activityL2();
            this.taps = taps(1);
            this.transposedTaps = taps(-1);
        }

        /** @param sign +1: the pixels a kernel reads; −1: the pixels whose kernels read this one */
        private int[][] taps(int sign) {
            int[][] all = new int[h * w][];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int[] pairs = new int[2 * k * k];
                    int count = 0;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int yy = y + sign * (ky - pad);
                            int xx = x + sign * (kx - pad);
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                pairs[count++] = ky * k + kx;
                                pairs[count++] = yy * w + xx;
                            }
                        }
                    }
                    all[y * w + x] = Arrays.copyOf(pairs, count);
                }
            }
            return all;
        }

        /** @return the weights {@code [k, k, ci, co]} as they are now (a trainer updates them between calls) */
        private float[] weights() {
            return parameter(ParameterKey.weights(index), k * k * ci * co);
        }

        private float[] bias() {
            return parameter(ParameterKey.bias(index), co);
        }

        private float[] parameter(ParameterKey key, int size) {
            float[] values = new float[size];
            ImageBatches.read(params.get(key), 0, values, size);
            return values;
        }

        @Override
        void forward(float[][] in, float[][] out, int n) {
            float[] wt = weights();
            float[] b = bias();
            LaneThreads.parallelFor(h, (slot, y0, y1) -> {
                for (int y = y0; y < y1; y++) {
                    for (int x = 0; x < w; x++) {
                        if (k == 3 && y > 0 && y < h - 1 && x > 0 && x < w - 1) {
                            convolveInterior3x3(in, wt, b, out, y, x, n);
                        } else {
                            for (int o = 0; o < co; o++) {
                                convolve(in, wt, b[o], out[(y * w + x) * co + o], y, x, o, n);
                            }
                        }
                        for (int o = 0; o < co; o++) {
                            activate(out[(y * w + x) * co + o], n);
                        }
                    }
                }
            });
        }

        /** Output lane {@code (y, x, o)} before the activation: bias plus every in-image term of the kernel. */
        private void convolve(float[][] in, float[] wt, float bias, float[] acc, int y, int x, int o, int n) {
            Arrays.fill(acc, 0, n, bias);
            // W[ky, kx, c, o] for c = 0 .. ci − 1: from o on, co apart
            accumulateTaps(acc, taps[y * w + x], in, ci, wt, o, co, n);
        }

        /**
         * {@code acc += Σ_taps Σ_ch W[tap, …] · lanes[pixel, ch]}, the kernel terms of one lane that lie inside the
         * image: for each tap (ky·k + kx, pixel), the {@code channels} lanes of that pixel times the weights
         * {@code wt[tap·ci·co + weightBase + ch·weightStride]} (the forward pass sums over input channels, the
         * transposed convolution over output channels).
         */
        private void accumulateTaps(float[] acc, int[] tap, float[][] lanes, int channels, float[] wt, int weightBase,
                                    int weightStride, int n) {
            for (int t = 0; t < tap.length; t += 2) {
                int kernel = tap[t] * ci * co + weightBase;
                int pixel = tap[t + 1] * channels;
                for (int ch = 0; ch < channels; ch++) {
                    float wv = wt[kernel + ch * weightStride];
                    float[] row = lanes[pixel + ch];
                    for (int j = 0; j < n; j++) {
                        acc[j] += wv * row[j];
                    }
                }
            }
        }

        /**
         * {@link #convolve} for every output channel of a 3 × 3 kernel away from the border: a kernel row's three
         * terms in one pass over the lanes (the output lane is loaded and stored three times per input channel
         * instead of nine), every output channel while those nine input lanes are in the L1 cache. The whole
         * forward pass of MNIST member 1 ran 1.5× faster so; nine terms in one pass ran 2× slower than three.
         */
        private void convolveInterior3x3(float[][] in, float[] wt, float[] bias, float[][] out, int y, int x, int n) {
            int stride = ci * co; // between consecutive kernel positions in [ky, kx, c, o]
            for (int c = 0; c < ci; c++) {
                int top = ((y - 1) * w + x - 1) * ci + c;
                int mid = top + w * ci;
                int bottom = mid + w * ci;
                float[] a0 = in[top];
                float[] a1 = in[top + ci];
                float[] a2 = in[top + 2 * ci];
                float[] a3 = in[mid];
                float[] a4 = in[mid + ci];
                float[] a5 = in[mid + 2 * ci];
                float[] a6 = in[bottom];
                float[] a7 = in[bottom + ci];
                float[] a8 = in[bottom + 2 * ci];
                for (int o = 0; o < co; o++) {
                    int base = c * co + o;
                    float[] acc = out[(y * w + x) * co + o];
                    if (c == 0) {
                        Arrays.fill(acc, 0, n, bias[o]);
                    }
                    threeTerms(acc, a0, a1, a2, wt[base], wt[base + stride], wt[base + 2 * stride], n);
                    threeTerms(acc, a3, a4, a5, wt[base + 3 * stride], wt[base + 4 * stride], wt[base + 5 * stride], n);
                    threeTerms(acc, a6, a7, a8, wt[base + 6 * stride], wt[base + 7 * stride], wt[base + 8 * stride], n);
                }
            }
        }

        private static void threeTerms(float[] acc, float[] a0, float[] a1, float[] a2, float w0, float w1, float w2,
                                       int n) {
            for (int j = 0; j < n; j++) {
                acc[j] += w0 * a0[j] + w1 * a1[j] + w2 * a2[j];
            }
        }

        private void activate(float[] a, int n) {
            // switch expressions, here and in preActivationGradient: a new activation does not compile until the
            // lanes compute it
            float[] unused = switch (activation) {
                case SIGMOID -> sigmoid(a, n);
                case RELU -> relu(a, n);
                case LINEAR -> a;
            };
        }

        private static float[] relu(float[] a, int n) {
            for (int j = 0; j < n; j++) {
                a[j] = Math.max(0f, a[j]);
            }
            return a;
        }

        @Override
        void backward(float[][] in, float[][] out, float[][] g, float[][] gIn, int n) {
            float[] wt = weights();
            // ∂(l2 · Σ h² / N)/∂h = 2 · l2 · h / N (Keras' activity penalty), then through the activation
            float penalty = (float) (2 * activityL2 / n);
            LaneThreads.parallelFor(g.length, (slot, from, to) -> {
                for (int r = from; r < to; r++) {
                    preActivationGradient(out[r], g[r], penalty, n);
                }
            });
            int weightCount = k * k * ci * co;
            int blocks = Math.min(GRADIENT_BLOCKS, h);
            LaneThreads.parallelFor(blocks, (slot, b0, b1) -> {
                float[][] lanes = weightGradientLanes[slot];
                if (lanes == null || lanes[0].length < n) {
                    lanes = new float[weightCount + co][n];
                    weightGradientLanes[slot] = lanes;
                }
                for (int b = b0; b < b1; b++) {
                    for (float[] lane : lanes) {
                        Arrays.fill(lane, 0, n, 0f);
                    }
                    accumulateParameterGradients(in, g, lanes, h * b / blocks, h * (b + 1) / blocks, n);
                    if (blockSums[b] == null || blockSums[b].length != weightCount + co) {
                        blockSums[b] = new double[weightCount + co];
                    }
                    for (int p = 0; p < weightCount + co; p++) {
                        blockSums[b][p] = laneSum(lanes[p], n);
                    }
                }
            });
            writeParameterGradients(weightCount, blocks);
            if (gIn != null) {
                LaneThreads.parallelFor(h, (slot, y0, y1) -> {
                    for (int y = y0; y < y1; y++) {
                        for (int x = 0; x < w; x++) {
                            for (int c = 0; c < ci; c++) {
                                if (k == 3 && y > 0 && y < h - 1 && x > 0 && x < w - 1) {
                                    inputGradientInterior3x3(wt, g, gIn[(y * w + x) * ci + c], y, x, c, n);
                                } else {
                                    inputGradient(wt, g, gIn[(y * w + x) * ci + c], y, x, c, n);
                                }
                            }
                        }
                    }
                });
            }
        }

        private void preActivationGradient(float[] o, float[] g, float penalty, int n) {
            if (penalty != 0) {
                for (int j = 0; j < n; j++) {
                    g[j] += penalty * o[j];
                }
            }
            float[] unused = switch (activation) {
                case SIGMOID -> sigmoidGradient(o, g, n);
                case RELU -> reluGradient(o, g, n);
                case LINEAR -> g;
            };
        }

        private static float[] sigmoidGradient(float[] o, float[] g, int n) {
            for (int j = 0; j < n; j++) {
                g[j] *= o[j] * (1 - o[j]);
            }
            return g;
        }

        private static float[] reluGradient(float[] o, float[] g, int n) {
            for (int j = 0; j < n; j++) {
                g[j] = o[j] > 0 ? g[j] : 0f;
            }
            return g;
        }

        /** ∂W[ky, kx, c, o] += g[y, x, o] · in[y + ky − p, x + kx − p, c] and ∂b[o] += g[y, x, o], lane by lane. */
        private void accumulateParameterGradients(float[][] in, float[][] g, float[][] lanes, int y0, int y1, int n) {
            int weightCount = k * k * ci * co;
            for (int y = y0; y < y1; y++) {
                for (int x = 0; x < w; x++) {
                    for (int o = 0; o < co; o++) {
                        float[] gr = g[(y * w + x) * co + o];
                        float[] bias = lanes[weightCount + o];
                        for (int j = 0; j < n; j++) {
                            bias[j] += gr[j];
                        }
                        if (k == 3 && x > 0 && x < w - 1) {
                            accumulateInterior3x3(in, gr, lanes, y, x, o, n);
                            continue;
                        }
                        int[] tap = taps[y * w + x];
                        for (int t = 0; t < tap.length; t += 2) {
                            for (int c = 0; c < ci; c++) {
                                float[] acc = lanes[(tap[t] * ci + c) * co + o];
                                float[] row = in[tap[t + 1] * ci + c];
                                for (int j = 0; j < n; j++) {
                                    acc[j] += gr[j] * row[j];
                                }
                            }
                        }
                    }
                }
            }
        }

        /**
         * {@link #accumulateParameterGradients} of output lane {@code (y, x, o)} for a 3 × 3 kernel away from the left
         * and right border: a kernel row's three weights in one pass over the lanes (the gradient lane is loaded once
         * for the three).
         */
        private void accumulateInterior3x3(float[][] in, float[] gr, float[][] lanes, int y, int x, int o, int n) {
            int stride = ci * co;
            for (int ky = 0; ky < 3; ky++) {
                int yy = y + ky - 1;
                if (yy < 0 || yy >= h) {
                    continue;
                }
                for (int c = 0; c < ci; c++) {
                    int first = (ky * 3 * ci + c) * co + o; // W[ky, 0, c, o]
                    int left = (yy * w + x - 1) * ci + c;
                    threeProducts(gr, in[left], in[left + ci], in[left + 2 * ci], lanes[first], lanes[first + stride],
                            lanes[first + 2 * stride], n);
                }
            }
        }

        /** {@code acc_i += g · a_i} for i = 0, 1, 2, lane by lane. */
        private static void threeProducts(float[] g, float[] a0, float[] a1, float[] a2, float[] acc0, float[] acc1,
                                          float[] acc2, int n) {
            for (int j = 0; j < n; j++) {
                float gj = g[j];
                acc0[j] += gj * a0[j];
                acc1[j] += gj * a1[j];
                acc2[j] += gj * a2[j];
            }
        }

        /**
         * Σ lane[0, n) in double, in a fixed order: four interleaved sums (a single running sum would wait on each
         * add), added at the end.
         */
        private static double laneSum(float[] lane, int n) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                s0 += lane[j];
                s1 += lane[j + 1];
                s2 += lane[j + 2];
                s3 += lane[j + 3];
            }
            for (; j < n; j++) {
                s0 += lane[j];
            }
            return (s0 + s1) + (s2 + s3);
        }

        /** Adds the first {@code blocks} blocks' sums, in block order, into the trainer's gradient arrays. */
        private void writeParameterGradients(int weightCount, int blocks) {
            float[] dw = new float[weightCount];
            float[] db = new float[co];
            for (int p = 0; p < weightCount + co; p++) {
                double s = 0;
                for (int b = 0; b < blocks; b++) {
                    s += blockSums[b][p];
                }
                if (p < weightCount) {
                    dw[p] = (float) s;
                } else {
                    db[p - weightCount] = (float) s;
                }
            }
            INDArray gw = grads.get(ParameterKey.weights(index));
            gw.assign(Nd4j.create(dw, gw.shape(), 'c'));
            INDArray gb = grads.get(ParameterKey.bias(index));
            gb.assign(Nd4j.create(db, gb.shape(), 'c'));
        }

        /** ∂L/∂in[y, x, c] = Σ W[ky, kx, c, o] · g[y − ky + p, x − kx + p, o] (the transposed convolution). */
        private void inputGradient(float[] wt, float[][] g, float[] acc, int y, int x, int c, int n) {
            Arrays.fill(acc, 0, n, 0f);
            // W[ky, kx, c, o] for o = 0 .. co − 1: from c·co on, one apart
            accumulateTaps(acc, transposedTaps[y * w + x], g, co, wt, c * co, 1, n);
        }

        /** {@link #inputGradient} for a 3 × 3 kernel away from the border, a kernel row's three terms per pass. */
        private void inputGradientInterior3x3(float[] wt, float[][] g, float[] acc, int y, int x, int c, int n) {
            Arrays.fill(acc, 0, n, 0f);
            int stride = ci * co;
            for (int ky = 0; ky < 3; ky++) {
                int row = (y - ky + 1) * w;
                for (int o = 0; o < co; o++) {
                    int base = ky * 3 * stride + c * co + o; // W[ky, 0, c, o]
                    threeTerms(acc, g[(row + x + 1) * co + o], g[(row + x) * co + o], g[(row + x - 1) * co + o],
                            wt[base], wt[base + stride], wt[base + 2 * stride], n);
                }
            }
        }
    }

    /** 2 × 2 pooling, stride 2, of an even height and width. */
    private static final class LanePool extends LaneLayer {
        private final boolean max;

        LanePool(boolean max, int h, int w, int c) {
            super(h, w, c, h / 2, w / 2, c);
            this.max = max;
        }

        /** @return the input lane of window corner {@code (dy, dx)} of output {@code (y, x, ch)} */
        private int corner(int y, int x, int ch, int dy, int dx) {
            return ((2 * y + dy) * w + 2 * x + dx) * c + ch;
        }

        @Override
        void forward(float[][] in, float[][] out, int n) {
            LaneThreads.parallelFor(outH, (slot, y0, y1) -> {
                for (int y = y0; y < y1; y++) {
                    for (int x = 0; x < outW; x++) {
                        for (int ch = 0; ch < c; ch++) {
                            float[] a = in[corner(y, x, ch, 0, 0)];
                            float[] b = in[corner(y, x, ch, 0, 1)];
                            float[] d = in[corner(y, x, ch, 1, 0)];
                            float[] e = in[corner(y, x, ch, 1, 1)];
                            float[] o = out[(y * outW + x) * c + ch];
                            if (max) {
                                for (int j = 0; j < n; j++) {
                                    o[j] = Math.max(Math.max(a[j], b[j]), Math.max(d[j], e[j]));
                                }
                            } else {
                                for (int j = 0; j < n; j++) {
                                    o[j] = (a[j] + b[j] + d[j] + e[j]) * 0.25f;
                                }
                            }
                        }
                    }
                }
            });
        }

        @Override
        void backward(float[][] in, float[][] out, float[][] g, float[][] gIn, int n) {
            if (gIn == null) {
                return;
            }
            LaneThreads.parallelFor(outH, (slot, y0, y1) -> {
                for (int y = y0; y < y1; y++) {
                    for (int x = 0; x < outW; x++) {
                        for (int ch = 0; ch < c; ch++) {
                            int o = (y * outW + x) * c + ch;
                            float[][] corners = {in[corner(y, x, ch, 0, 0)], in[corner(y, x, ch, 0, 1)],
                                    in[corner(y, x, ch, 1, 0)], in[corner(y, x, ch, 1, 1)]};
                            float[][] gCorners = {gIn[corner(y, x, ch, 0, 0)], gIn[corner(y, x, ch, 0, 1)],
                                    gIn[corner(y, x, ch, 1, 0)], gIn[corner(y, x, ch, 1, 1)]};
                            if (max) {
                                maxBackward(out[o], g[o], corners, gCorners, n);
                            } else {
                                for (float[] gc : gCorners) {
                                    float[] gr = g[o];
                                    for (int j = 0; j < n; j++) {
                                        gc[j] = 0.25f * gr[j];
                                    }
                                }
                            }
                        }
                    }
                }
            });
        }

        /** The gradient goes to the first corner (row-major) that holds the maximum. */
        private static void maxBackward(float[] out, float[] g, float[][] corners, float[][] gCorners, int n) {
            for (int j = 0; j < n; j++) {
                boolean taken = false;
                for (int q = 0; q < 4; q++) {
                    boolean here = !taken && corners[q][j] == out[j];
                    gCorners[q][j] = here ? g[j] : 0f;
                    taken |= here;
                }
            }
        }
    }

    /** 2 × nearest-neighbour upsampling. */
    private static final class LaneUpsample extends LaneLayer {
        LaneUpsample(int h, int w, int c) {
            super(h, w, c, 2 * h, 2 * w, c);
        }

        @Override
        void forward(float[][] in, float[][] out, int n) {
            LaneThreads.parallelFor(outH, (slot, y0, y1) -> {
                for (int y = y0; y < y1; y++) {
                    for (int x = 0; x < outW; x++) {
                        for (int ch = 0; ch < c; ch++) {
                            System.arraycopy(in[((y / 2) * w + x / 2) * c + ch], 0, out[(y * outW + x) * c + ch], 0,
                                    n);
                        }
                    }
                }
            });
        }

        @Override
        void backward(float[][] in, float[][] out, float[][] g, float[][] gIn, int n) {
            if (gIn == null) {
                return;
            }
            int wo = outW;
            LaneThreads.parallelFor(h, (slot, y0, y1) -> {
                for (int y = y0; y < y1; y++) {
                    for (int x = 0; x < w; x++) {
                        for (int ch = 0; ch < c; ch++) {
                            float[] a = g[((2 * y) * wo + 2 * x) * c + ch];
                            float[] b = g[((2 * y) * wo + 2 * x + 1) * c + ch];
                            float[] d = g[((2 * y + 1) * wo + 2 * x) * c + ch];
                            float[] e = g[((2 * y + 1) * wo + 2 * x + 1) * c + ch];
                            float[] r = gIn[(y * w + x) * c + ch];
                            for (int j = 0; j < n; j++) {
                                r[j] = a[j] + b[j] + d[j] + e[j];
                            }
                        }
                    }
                }
            });
        }
    }
}
