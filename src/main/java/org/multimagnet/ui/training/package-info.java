/**
 * The training pane: the classifier F and the members of S with their architectures and status, a member editor,
 * training of one or all models with a live loss chart, progress and cancel, and reconstructions of sample images
 * after a member is trained. The service trains through the workspace ({@code workspace.ModelTraining}) on the
 * compute thread.
 */
package org.multimagnet.ui.training;
