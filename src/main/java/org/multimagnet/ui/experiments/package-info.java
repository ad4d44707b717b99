/**
 * The experiments pane: the paper's published Tables 2, 3, 5 and 6 beside the workspace's own reports, and a run
 * of the whole pipeline ({@code experiment.Reproduction}, the same as the {@code reproduce} command) that writes a
 * new report.
 */
package org.multimagnet.ui.experiments;
