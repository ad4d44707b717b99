/**
 * MultiMagNet itself (paper §4): the metrics that mark an image against an autoencoder (Eq. 1, 6, 7), the
 * per-member thresholds and the two threshold approaches, the random ensemble and its majority vote, the reformer,
 * the calibration stage (§4.1, Fig. 3) and the deployment stage (§4.2, Fig. 4). MagNet is the one-member case.
 *
 * <p>All ND4J work runs on the caller's thread, which must be the one thread that owns ND4J. Every random choice
 * takes a seeded {@link java.util.SplittableRandom} passed in, so that a run repeats exactly from its seed.
 */
package org.multimagnet.defense;
