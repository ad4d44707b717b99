package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
    static final ImageShape SMALL = new ImageShape(1, 12, 12);

    /** A small classifier with every layer kind a classifier spec can have. */
    static ModelSpec tinyClassifier(ImageShape shape, String act) {
        return new ModelSpec(ModelRole.CLASSIFIER, 0, "tiny", shape, List.of("conv:3:3:same:" + act, "pool:avg",
                "dropout:0.25", "conv:4:3:valid:" + act + ":2", "dense:6:" + act, "dense:4:linear"), "relu", 0, 0,
                false, 1, 16, "adam", 1e-2, 1, true);
    }

    @Test
    void oneTrainingStepLowersTheAutoencoderLoss() {
        ModelSpec spec = ModelSpecs.mnistMembers().get(0);
        Dataset d = TestData.synthetic(spec.inputShape(), 32, 10, 5);
        int[] idx = TestData.range(0, 32);
        INDArray x = ImageBatches.images(d, idx, 0, 32);
        double before = Trainer.dataLoss(new NetworkAutoencoder(spec, GraphBuilder.initialParameters(spec, 9))
                .reconstruct(x), x, false);
        TrainingResult r = new Trainer(TrainingListener.NONE, Cancellation.NEVER)
                .train(spec, d, idx, new TrainingOptions(1, 0, 9, 32, 1e-2));
        double after = Trainer.dataLoss(((Autoencoder) r.model()).reconstruct(x), x, false);
        assertTrue(after < before, "MSE before " + before + ", after one step " + after);
        assertEquals(1, r.epochLosses().size());
        assertEquals(1, r.spec().epochs());
    }

    @Test
    void oneTrainingStepLowersTheClassifierLoss() {
        ModelSpec spec = tinyClassifier(SMALL, "relu");
        Dataset d = TestData.synthetic(SMALL, 32, 4, 6);
        int[] idx = TestData.range(0, 32);
        INDArray x = ImageBatches.images(d, idx, 0, 32);
        INDArray y = ImageBatches.oneHot(d, idx, 0, 32);
        double before = Trainer.dataLoss(new NetworkClassifier(spec, GraphBuilder.initialParameters(spec, 3)).logits(x), y, true);
        TrainingResult r = new Trainer(TrainingListener.NONE, Cancellation.NEVER)
                .train(spec, d, idx, new TrainingOptions(1, 0, 3, 32, 0));
        double after = Trainer.dataLoss(((Classifier) r.model()).logits(x), y, true);
        assertTrue(after < before, "cross-entropy before " + before + ", after one step " + after);
    }

    @Test
    void dataLossMatchesADirectComputation() {
        INDArray z = org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{1, 2, 0.5f}, {-1, 0, 3}});
        INDArray y = org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{0, 1, 0}, {1, 0, 0}});
        double ce0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5)) - 2;
        double ce1 = Math.log(Math.exp(-1) + Math.exp(0) + Math.exp(3)) + 1;
        assertEquals((ce0 + ce1) / 2, Trainer.dataLoss(z, y, true), 1e-5);
        assertEquals((1 + 1 + 0.25 + 4 + 0 + 9) / 6.0 - (2 * 1 * 0 + 0), Trainer.dataLoss(z,
                org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3), false), 1e-5);
    }

    @Test
    void sameSeedGivesTheSameModelAndProgressIsReported() {
        ModelSpec spec = tinyClassifier(SMALL, "relu");
        Dataset d = TestData.synthetic(SMALL, 40, 4, 7);
        int[] idx = TestData.range(0, 40);
        List<TrainingProgress> events = new ArrayList<>();
        TrainingResult a = new Trainer(events::add, Cancellation.NEVER).train(spec, d, idx, new TrainingOptions(2, 0, 11));
        TrainingResult b = new Trainer(TrainingListener.NONE, Cancellation.NEVER).train(spec, d, idx, new TrainingOptions(2, 0, 11));
        INDArray x = ImageBatches.images(d, idx, 0, 8);
        assertArrayEquals(((Classifier) a.model()).logits(x).reshape(-1).toFloatVector(), ((Classifier) b.model()).logits(x).reshape(-1).toFloatVector());
        assertEquals(2 * 3, events.size()); // 40 images, batch 16: 3 batches per epoch
        TrainingProgress last = events.get(events.size() - 1);
        assertEquals(2, last.epoch());
        assertEquals(3, last.batch());
        assertEquals(last.total(), last.done());
        assertTrue(last.imagesPerSecond() > 0 && Double.isFinite(last.loss()));
    }

    @Test
    void cancellingStopsBetweenBatches() {
        ModelSpec spec = tinyClassifier(SMALL, "relu");
        Dataset d = TestData.synthetic(SMALL, 64, 4, 8);
        Cancellation c = new Cancellation();
        List<TrainingProgress> events = new ArrayList<>();
        Trainer t = new Trainer(p -> {
            events.add(p);
            c.cancel();
        }, c);
        assertThrows(CancellationException.class, () -> t.train(spec, d, TestData.range(0, 64), new TrainingOptions(3, 0, 1)));
        assertEquals(1, events.size());
    }

    @Test
    void augmentationShiftsAndFlipsWithinTheImage() {
        ImageShape s = new ImageShape(1, 3, 3);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] flipped = x.clone();
        // shift 0 and always-flip is not directly selectable; check a shift by hand via many seeds
        boolean sawShift = false;
        for (int seed = 0; seed < 20; seed++) {
            float[] y = x.clone();
            ImageBatches.augment(y, s, 1, false, new java.util.SplittableRandom(seed));
            float sum = 0;
            for (float v : y) {
                sum += v;
            }
            assertTrue(sum <= 45);
            sawShift |= sum < 45;
        }
        assertTrue(sawShift);
        ImageBatches.augment(flipped, s, 0, false, new java.util.SplittableRandom(1));
        assertArrayEquals(x, flipped);
    }
}
