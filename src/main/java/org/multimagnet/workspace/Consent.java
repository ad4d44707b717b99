package org.multimagnet.workspace;

/**
 * Whether a stage may replace an artifact the workspace already holds. Without consent the stage is refused
 * before its first computation ({@link ReplacementRefused}); with it, the replaced version is first kept in the
 * workspace's {@link ArtifactHistory}, so nothing is lost either way.
 */
public enum Consent {
    /** Refuse to replace what exists: the command line without {@code --replace}, a pane before it has asked. */
    ASK_FIRST,
    /** The user agreed to replace what exists ({@code --replace}, or a confirmation in the workbench). */
    REPLACE;

    /** @return {@link #REPLACE} when {@code replace} is true, else {@link #ASK_FIRST} */
    public static Consent of(boolean replace) {
        return replace ? REPLACE : ASK_FIRST;
    }
}
