package org.multimagnet.nn;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.multimagnet.data.Dataset;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Engine measurement (docs/engine.md): SameDiff vs MultiLayerNetwork for MNIST member 1 and the MNIST classifier,
 * train and inference images/s. Not a test: run with {@code -Dbenchmark=true}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class EngineBenchmark {

    @Test
    void measure() throws Exception {
        Dataset d = TestData.mnistAvailable() ? TestData.mnist() : TestData.synthetic(org.multimagnet.data.ImageShape.MNIST, 4096, 10, 1);
        int[] idx = TestData.range(0, 4096);
        ModelSpec ae = ModelSpecs.mnistMembers().get(0);
        ModelSpec cl = ModelSpecs.mnistClassifier();
        for (int rep = 0; rep < 2; rep++) {
            sameDiff(ae, d, idx, 4096, 256);
            sameDiff(cl, d, idx, 1024, 128);
            mln(mlnAutoencoder(), d, idx, 4096, 256, true);
            mln(mlnClassifier(), d, idx, 1024, 128, false);
        }
    }

    private static void sameDiff(ModelSpec spec, Dataset d, int[] idx, int n, int batch) {
        TrainingResult r = new Trainer(TrainingListener.NONE, org.multimagnet.common.Cancellation.NEVER)
                .train(spec.withEpochs(1), d, idx, new TrainingOptions(1, n, 1));
        INDArray x = ImageBatches.images(d, idx, 0, 256);
        long t0 = System.nanoTime();
        int reps = spec.role() == ModelRole.AUTOENCODER ? 16 : 4;
        for (int i = 0; i < reps; i++) {
            if (r.model() instanceof Autoencoder a) {
                a.reconstruct(x);
            } else {
                ((Classifier) r.model()).logits(x);
            }
        }
        double inf = reps * 256 / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("BENCH SameDiff %s train %.0f img/s, inference %.0f img/s%n", spec.role(), r.imagesPerSecond(), inf);
    }

    private static void mln(MultiLayerNetwork net, Dataset d, int[] idx, int n, int batch, boolean ae) {
        net.init();
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += batch) {
            INDArray x = ImageBatches.images(d, idx, from, from + batch);
            net.fit(new DataSet(x, ae ? x : ImageBatches.oneHot(d, idx, from, from + batch)));
        }
        double train = n / ((System.nanoTime() - t0) / 1e9);
        INDArray x = ImageBatches.images(d, idx, 0, 256);
        int reps = ae ? 16 : 4;
        t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            net.output(x, false);
        }
        double inf = reps * 256 / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("BENCH MultiLayerNetwork %s train %.0f img/s, inference %.0f img/s%n", ae ? "AUTOENCODER" : "CLASSIFIER", train, inf);
    }

    private static MultiLayerNetwork mlnAutoencoder() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.SIGMOID).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.SIGMOID).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.SIGMOID).build())
                .layer(new Upsampling2D.Builder(2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.SIGMOID).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(1).activation(Activation.SIGMOID).build())
                .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build();
        return new MultiLayerNetwork(conf);
    }

    private static MultiLayerNetwork mlnClassifier() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(64).convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(128).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DropoutLayer.Builder(0.8).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(128).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
        return new MultiLayerNetwork(conf);
    }
}
