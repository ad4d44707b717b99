/**
 * The models: the application classifier F and the autoencoders of the repository S (paper §2), described by
 * declarative JSON specs ({@link org.multimagnet.nn.ModelSpec}; the authors' models are built in,
 * {@link org.multimagnet.nn.ModelSpecs}), trained by {@link org.multimagnet.nn.Trainer}, run by
 * {@link org.multimagnet.nn.DirectNetwork} on ND4J's native ops (the small MNIST members, in batches, by
 * {@link org.multimagnet.nn.LaneNetwork} in plain Java, as the {@link org.multimagnet.nn.BackendPolicy} says), and
 * saved one model per file by {@link org.multimagnet.nn.ModelIO}. Layers ({@link org.multimagnet.nn.Layer}) state
 * their shapes and arrays ({@link org.multimagnet.nn.ParameterKey}); the tests compare every backend with a SameDiff
 * reference graph built from the same layers. docs/engine.md says why the engine takes this path.
 *
 * <p>Second in the pipeline data → nn → attack/defense → workspace → experiment → cli/ui: it reads images from
 * {@code data}, and the attacks and the defense use its {@link org.multimagnet.nn.Classifier} and
 * {@link org.multimagnet.nn.Autoencoder}. Models are not thread-safe: all ND4J work runs on the one thread that owns
 * it.
 */
package org.multimagnet.nn;
