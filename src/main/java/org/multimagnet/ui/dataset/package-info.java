/**
 * The dataset pane: choose a source (built-in, file or folder), see its sizes, the paper's split and per-class
 * counts, and browse a gallery of labelled images that can be dragged onto the deployment pane. The service reads
 * through the engine's {@code data} package on the compute thread.
 */
package org.multimagnet.ui.dataset;
