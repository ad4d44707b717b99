package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ComputeThread;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J work on another thread than a model's first user trips an assertion (tests run with -ea). */
class ComputeThreadAssertionTest {
    private final ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "not-the-compute-thread"));

    @AfterEach
    void stop() {
        other.shutdownNow();
    }

    private static NetworkAutoencoder member1() {
        ModelSpec spec = ModelSpecs.mnistMembers().get(0);
        return new NetworkAutoencoder(spec, GraphBuilder.initialParameters(spec, 1));
    }

    private static AssertionError failure(Future<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertTrue(e.getCause() instanceof AssertionError, "expected an AssertionError, got " + e.getCause());
        return (AssertionError) e.getCause();
    }

    @Test
    void assertionsAreOnInTests() {
        assertTrue(ComputeThread.class.desiredAssertionStatus() && NetworkModel.class.desiredAssertionStatus());
    }

    @Test
    void aModelUsedFromASecondThreadTripsTheAssertionNamingBothThreads() {
        NetworkAutoencoder a = member1();
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 28, 28);
        a.reconstruct(x); // this thread becomes the owner
        a.reconstruct(x); // and may go on
        AssertionError e = failure(other.submit(() -> a.reconstruct(x)));
        assertTrue(e.getMessage().contains("reconstruct") && e.getMessage().contains("not-the-compute-thread")
                && e.getMessage().contains(Thread.currentThread().getName()), e.getMessage());
    }

    @Test
    void theOwnerIsTheFirstUserNotTheBuilder() throws Exception {
        NetworkAutoencoder a = member1(); // built here, first used on the other thread (the workbench's pattern)
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, 28, 28);
        INDArray y = other.submit(() -> a.reconstruct(x)).get();
        assertEquals(x.length(), y.length());
        AssertionError e = assertThrows(AssertionError.class, () -> a.reconstruct(x));
        assertTrue(e.getMessage().contains("belongs to thread 'not-the-compute-thread'"), e.getMessage());
    }

    @Test
    void aClassifierAndATrainerAreGuardedToo() {
        ModelSpec spec = ModelSpecs.mnistClassifier();
        NetworkClassifier f = new NetworkClassifier(spec, GraphBuilder.initialParameters(spec, 1));
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, 28, 28);
        f.logits(x);
        assertTrue(failure(other.submit(() -> f.logits(x))).getMessage().contains("logits"));
        assertTrue(failure(other.submit(() -> f.gradient(x, null, null))).getMessage().contains("gradient"));

        Trainer t = new Trainer(TrainingListener.NONE, Cancellation.NEVER);
        // the check comes first: a call with a bad dataset still makes this thread the owner, cheaply
        assertThrows(IllegalArgumentException.class, () -> t.train(spec, TestData.synthetic(
                org.multimagnet.data.ImageShape.CIFAR10, 2, 10, 1), new int[] {0, 1}, new TrainingOptions(1, 2, 1, 2, 0)));
        assertTrue(failure(other.submit(() -> t.train(spec, null, null, null))).getMessage().contains("train"));
    }

    @Test
    void theGuardItself() throws Exception {
        ComputeThread g = new ComputeThread("thing");
        assertEquals(null, g.owner());
        assertTrue(g.check("a"));
        assertEquals(Thread.currentThread(), g.owner());
        AssertionError e = failure(other.submit(() -> g.check("b")));
        assertEquals("thing.b called on thread 'not-the-compute-thread', but its ND4J work belongs to thread '"
                + Thread.currentThread().getName() + "': all ND4J work must run on the one compute thread",
                e.getMessage());
    }
}
