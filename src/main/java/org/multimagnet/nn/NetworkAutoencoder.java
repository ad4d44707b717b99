package org.multimagnet.nn;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A member of S built from its {@link ModelSpec}, run by {@link DirectNetwork}. */
public final class NetworkAutoencoder extends NetworkModel implements Autoencoder {

    /**
     * @param spec       an autoencoder spec
     * @param parameters every variable's array by name (copied)
     */
    public NetworkAutoencoder(ModelSpec spec, Map<ParameterKey, INDArray> parameters) {
        super(requireRole(spec), parameters);
    }

    private static ModelSpec requireRole(ModelSpec spec) {
        if (spec.role() != ModelRole.AUTOENCODER) {
            throw new IllegalArgumentException(spec.name() + " is a " + spec.role().label() + ", not an autoencoder");
        }
        return spec;
    }

    @Override
    public int id() {
        return spec().id();
    }

    @Override
    public INDArray reconstruct(INDArray x) {
        assert computeThread.check("reconstruct");
        checkInput(x, "reconstruct");
        INDArray in = x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
        return network.output(in);
    }

    @Override
    public ReconstructionPass reconstructionPass(INDArray x) {
        assert computeThread.check("forward");
        checkInput(x, "forward");
        if (x.size(0) > network.chunk()) {
            throw new IllegalArgumentException("a batch of " + x.size(0) + " images; input gradients take at most "
                    + network.chunk() + " at a time");
        }
        DirectNetwork.Tape tape = network.tape(x.castTo(DataType.FLOAT));
        INDArray r = tape.output().dup();
        return new ReconstructionPass() {
            @Override
            public INDArray reconstruction() {
                return r;
            }

            @Override
            public INDArray inputGradient(INDArray g) {
                assert computeThread.check("inputGradient");
                return tape.inputGradient(g.castTo(DataType.FLOAT));
            }
        };
    }

    /** @return the most images {@link #reconstructionPass} takes at once */
    public int gradientBatch() {
        return network.chunk();
    }
}
