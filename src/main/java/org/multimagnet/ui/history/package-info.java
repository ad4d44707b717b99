/**
 * The workspace history window: every artifact's kept (replaced) versions, and restoring one, over the engine's
 * {@link org.multimagnet.workspace.ArtifactHistory} — what {@code workspace history} and {@code workspace restore}
 * do on the command line.
 */
package org.multimagnet.ui.history;
