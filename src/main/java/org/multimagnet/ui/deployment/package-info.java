/**
 * The deployment pane (paper §4.2): drop an image, draw an ensemble, see each member's reconstruction, mark and
 * vote, the verdict, the reformed image and F's probabilities before and after; in stream mode a running
 * confusion matrix over D. The service runs {@code stage.DeployStage} with the workspace's models and its current
 * C_best; a calibration made with models that have changed since is refused, or, when the user allows a stale
 * calibration, decides with its warning on show.
 */
package org.multimagnet.ui.deployment;
