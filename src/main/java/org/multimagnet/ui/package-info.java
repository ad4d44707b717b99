/**
 * The JavaFX workbench: the application ({@link org.multimagnet.ui.WorkbenchApp}) wires the engine services, the
 * compute thread and the dialogs; {@link org.multimagnet.ui.Workbench} builds the window, one tab per pane (dataset,
 * training, attack, calibration, deployment, experiments), each pane a View over a ViewModel over a small service
 * interface ({@link org.multimagnet.ui.Services}) that tests replace with stand-ins.
 *
 * <p>Last in the pipeline data → nn → attack/defense → workspace → experiment → cli/ui, beside the command line:
 * it uses the engine and none of the engine uses it. Only this package uses JavaFX. Long work runs on the one
 * compute thread that owns ND4J, never on the FX thread.
 */
package org.multimagnet.ui;
