package org.multimagnet.experiment;

import org.multimagnet.defense.DefenseKind;
import java.util.List;
import org.multimagnet.defense.ReformerSource;

/**
 * The settings of the 40-experiment protocol (paper §5.4; docs/method.md).
 *
 * @param chunks         how many chunks D is cut into (paper: 40)
 * @param chunkSize      images per chunk (paper: 100); chunks × chunkSize must not exceed |D|
 * @param seed           seeds the shuffle of D, every ensemble draw and every reformer draw
 * @param ensembleSizes  the odd sizes n is drawn from for each chunk (MagNet: [1]; MultiMagNet: [3, 5, 7, 9])
 * @param reformerSource where the reformer is drawn from (the paper: the ensemble; the authors' code: all of S)
 */
public record ProtocolSettings(int chunks, int chunkSize, long seed, List<Integer> ensembleSizes,
                               ReformerSource reformerSource) {

    public ProtocolSettings {
        if (chunks < 1 || chunkSize < 1) {
            throw new IllegalArgumentException("chunks and chunk size must be at least 1, got " + chunks + " and " + chunkSize);
        }
        ensembleSizes = List.copyOf(ensembleSizes);
        if (ensembleSizes.isEmpty()) {
            throw new IllegalArgumentException("at least one ensemble size is needed");
        }
        for (int n : ensembleSizes) {
            if (n < 1 || n % 2 == 0) {
                throw new IllegalArgumentException("ensemble size " + n + ": must be odd and at least 1 so that votes never tie");
            }
        }
    }

    /** The paper's protocol for a defense: 40 chunks of 100, its ensemble sizes, reformer drawn from the ensemble. */
    public static ProtocolSettings paper(DefenseKind defense, long seed) {
        return new ProtocolSettings(40, 100, seed, defense.paperEnsembleSizes(), ReformerSource.ENSEMBLE);
    }

    /** @return these settings with another chunk layout */
    public ProtocolSettings withChunks(int newChunks, int newChunkSize) {
        return new ProtocolSettings(newChunks, newChunkSize, seed, ensembleSizes, reformerSource);
    }
}
