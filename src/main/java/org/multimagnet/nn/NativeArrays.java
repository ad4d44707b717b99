package org.multimagnet.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Releasing temporary ND4J arrays as soon as they are used up. ND4J frees an array's native memory only when the
 * garbage collector reaches its small Java wrapper, which can take thousands of batches; until then every new array
 * takes fresh pages from the kernel, and on these machines a fresh 0.8 MB batch cost more to fault in than an
 * autoencoder took to compute it (MNIST member 1's reconstructions of 10,000 digits: 31–36k images/s with the outputs
 * left to the collector, 55–66k released after each batch). PyTorch's reference counting frees at once.
 */
public final class NativeArrays {
    private NativeArrays() {
    }

    /**
     * Frees the native memory of each array that owns its buffer (views and arrays already released are skipped).
     * The caller must hold no other reference to them.
     */
    public static void release(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
    }
}
