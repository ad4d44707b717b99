package org.multimagnet.experiment;

/**
 * How much work each benchmark workload does. {@link #full()} is the workloads at full size, the
 * sizes the PyTorch reference ({@code src/bench/python/pytorch_reference.py}) runs; {@link #reduced()} scales the
 * counts down for a run of a minute or two; {@link #cappedAt} bounds every count for tests. Batch sizes never
 * change: they are part of the workload.
 *
 * @param quick              whether these are reduced counts (reported with the figures)
 * @param trainImages        images of the one training epoch of ae_train and clf_train (full: 10,000)
 * @param inferImages        images of ae_infer and clf_infer (10,000)
 * @param fgsmImages         images attacked by FGSM (1,000)
 * @param bimImages          images attacked by BIM-50 (1,000)
 * @param deepfoolImages     images attacked by DeepFool, all 50 iterations each (200)
 * @param cwImages           images attacked by CW-L2 (200)
 * @param deployChunks       chunks of deploy_n5 (40)
 * @param deployChunkSize    images per chunk (100)
 * @param calibrationImages  |V_leg| and also |V_atk| of the calibration_ratio run (1,000 each)
 * @param deployOneRepeats   single-image decisions timed for deploy_one_ms (the median is reported)
 * @param attackIterations   0 for the workloads' iterations (BIM 50, DeepFool 50, CW 100); otherwise every
 *                           iterative attack runs this many (tests only: the figures are then not comparable)
 */
public record BenchmarkSettings(boolean quick, int trainImages, int inferImages, int fgsmImages, int bimImages,
                                int deepfoolImages, int cwImages, int deployChunks, int deployChunkSize,
                                int calibrationImages, int deployOneRepeats, int attackIterations) {
    /** Images in the sample MNIST set every workload reads from. */
    public static final int SAMPLE_IMAGES = 10_000;

    public BenchmarkSettings {
        positive("trainImages", trainImages);
        positive("inferImages", inferImages);
        positive("fgsmImages", fgsmImages);
        positive("bimImages", bimImages);
        positive("deepfoolImages", deepfoolImages);
        positive("cwImages", cwImages);
        positive("deployChunks", deployChunks);
        positive("deployChunkSize", deployChunkSize);
        positive("calibrationImages", calibrationImages);
        positive("deployOneRepeats", deployOneRepeats);
        if (attackIterations < 0 || attackIterations > 1000) {
            throw new IllegalArgumentException("benchmark setting 'attackIterations' must be in [0, 1000], got "
                    + attackIterations);
        }
        if ((long) deployChunks * deployChunkSize > SAMPLE_IMAGES || 2L * calibrationImages > SAMPLE_IMAGES) {
            throw new IllegalArgumentException("deploy and calibration workloads need more than the "
                    + SAMPLE_IMAGES + " sample images");
        }
    }

    private static void positive(String field, int value) {
        if (value < 1 || value > SAMPLE_IMAGES) {
            throw new IllegalArgumentException("benchmark setting '" + field + "' must be in [1, " + SAMPLE_IMAGES
                    + "], got " + value);
        }
    }

    /**
     * @return images of each CIFAR-10 workload (random images of CIFAR's shape): 1,024 at full size, 256 reduced,
     *         never more than {@link #trainImages()} (so that a cap bounds them too)
     */
    public int cifarImages() {
        return Math.min(trainImages, quick ? 256 : 1024);
    }

    /** @return the benchmark's workloads at full size */
    public static BenchmarkSettings full() {
        return new BenchmarkSettings(false, 10_000, 10_000, 1_000, 1_000, 200, 200, 40, 100, 1_000, 30, 0);
    }

    /** @return reduced counts (about a fifth to a tenth of the work) for a run of a minute or two */
    public static BenchmarkSettings reduced() {
        return new BenchmarkSettings(true, 2_000, 4_000, 500, 100, 20, 40, 10, 100, 300, 15, 0);
    }

    /** @return these settings with every image count at most {@code cap} (chunk size too), marked quick */
    public BenchmarkSettings cappedAt(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be >= 1, got " + cap);
        }
        return new BenchmarkSettings(true, Math.min(trainImages, cap), Math.min(inferImages, cap),
                Math.min(fgsmImages, cap), Math.min(bimImages, cap), Math.min(deepfoolImages, cap),
                Math.min(cwImages, cap), Math.max(1, Math.min(deployChunks, cap / Math.min(deployChunkSize, cap))),
                Math.min(deployChunkSize, cap), Math.min(calibrationImages, cap), Math.min(deployOneRepeats, cap), attackIterations);
    }

    /** @return these settings with every iterative attack running {@code iterations} steps, marked quick */
    public BenchmarkSettings withAttackIterations(int iterations) {
        return new BenchmarkSettings(true, trainImages, inferImages, fgsmImages, bimImages, deepfoolImages, cwImages,
                deployChunks, deployChunkSize, calibrationImages, deployOneRepeats, iterations);
    }
}
