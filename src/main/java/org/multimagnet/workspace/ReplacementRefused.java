package org.multimagnet.workspace;

import org.multimagnet.common.UserException;

/**
 * A stage would replace an artifact the workspace holds, without the user's consent ({@link Consent#ASK_FIRST}).
 * Thrown before any computation; the workbench catches it to ask ("replace D_atk of fgsm (2,000 images) with
 * 20?"), the command line prints its message and exits 2.
 */
public final class ReplacementRefused extends UserException {
    private final transient Artifact artifact;
    private final String description;

    /**
     * @param artifact    the artifact that would be replaced
     * @param description what it holds now, e.g. "D_atk of fgsm (2,000 images, made 2026-12-01 10:02)"
     */
    public ReplacementRefused(Artifact artifact, String description) {
        super(artifact.id() + " holds " + description + "; give --replace to replace it (the current version is "
                + "kept: 'workspace history' lists it, 'workspace restore' brings it back)");
        this.artifact = artifact;
        this.description = description;
    }

    /** @return the artifact that would be replaced */
    public Artifact artifact() {
        return artifact;
    }

    /** @return what the artifact holds now */
    public String description() {
        return description;
    }
}
