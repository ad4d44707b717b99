/**
 * What every pane of the workbench shares: the open workspace and its writer lock
 * ({@link org.multimagnet.ui.common.WorkspaceModel}), background tasks on the one compute thread that owns ND4J with
 * their callbacks on the FX thread ({@link org.multimagnet.ui.common.BackgroundTask},
 * {@link org.multimagnet.ui.common.ComputeExecutor}), the dialogs a ViewModel may ask for
 * ({@link org.multimagnet.ui.common.DialogService}), error messages, image conversion and drag-and-drop, and the
 * shared look of panes and charts.
 */
package org.multimagnet.ui.common;
