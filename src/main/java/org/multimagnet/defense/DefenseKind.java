package org.multimagnet.defense;

import java.util.List;
import java.util.Locale;

/**
 * The two defenses the paper compares (§5.4): MagNet, simulated as an ensemble of one randomly drawn autoencoder,
 * and MultiMagNet, an ensemble of n ∈ {3, 5, 7, 9} drawn afresh for every chunk.
 */
public enum DefenseKind {
    MAGNET(List.of(1)),
    MULTIMAGNET(List.of(3, 5, 7, 9));

    private final List<Integer> paperSizes;

    DefenseKind(List<Integer> paperSizes) {
        this.paperSizes = paperSizes;
    }

    /** @return the ensemble sizes the paper draws from */
    public List<Integer> paperEnsembleSizes() {
        return paperSizes;
    }

    /** @return the lower-case name used on the command line and in files */
    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the paper's spelling */
    public String displayName() {
        return this == MAGNET ? "MagNet" : "MultiMagNet";
    }

    /** @return MagNet for the sizes [1], MultiMagNet for any other */
    public static DefenseKind of(List<Integer> ensembleSizes) {
        return ensembleSizes.size() == 1 && ensembleSizes.get(0) == 1 ? MAGNET : MULTIMAGNET;
    }

    /** Parses {@code magnet} or {@code multimagnet} (any case). */
    public static DefenseKind parse(String s) {
        for (DefenseKind d : values()) {
            if (d.name().equalsIgnoreCase(s.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("defense '" + s + "': expected magnet or multimagnet");
    }
}
