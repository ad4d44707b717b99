package org.multimagnet.defense;

import java.util.SplittableRandom;

/**
 * Where the reformer of an image voted legitimate is drawn from (paper §4.2.5).
 */
public enum ReformerSource {
    /** One member drawn at random from the current ensemble R, as the paper describes (the default). */
    ENSEMBLE,
    /** One member drawn at random from the whole repository S, as the authors' published code did. */
    REPOSITORY;

    /**
     * Draws the reformer.
     *
     * @param ensemble the current ensemble
     * @param rng      the seeded generator (advanced by one draw)
     * @return the reformer's position in S
     */
    public int draw(Ensemble ensemble, SplittableRandom rng) {
        return this == ENSEMBLE ? ensemble.member(rng.nextInt(ensemble.size())) : rng.nextInt(ensemble.m());
    }
}
