package org.multimagnet.nn;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a model is for: the application classifier F or a member of the repository S (paper §2, §4). */
public enum ModelRole {
    /** The application classifier F. */
    @JsonProperty("classifier")
    CLASSIFIER,
    /** A member of S, a (denoising) autoencoder. */
    @JsonProperty("autoencoder")
    AUTOENCODER;

    /** @return the name used in files and on the command line */
    public String label() {
        return this == CLASSIFIER ? "classifier" : "autoencoder";
    }
}
