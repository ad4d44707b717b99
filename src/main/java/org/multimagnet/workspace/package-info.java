/**
 * A workspace: one folder holding every artifact of one study, each with a JSON manifest.
 *
 * <pre>
 * W/workspace.json                 dataset source, split rule, seed
 * W/models/classifier.zip|.json    F and its manifest
 * W/models/ae-NN.zip|.json         member NN of S and its manifest
 * W/attacks/&lt;attack&gt;/             D_atk: images (IDX float32), labels (IDX uint8), indices, manifest.json
 * W/calibration/&lt;attack&gt;/         grid.json (file C), cbest.json (C_best), grid-results.json
 * W/evaluations/&lt;attack&gt;-&lt;defense&gt;.json
 * W/report/                        report.md, report.json, PNG charts
 * W/.lock                          the writer's lock ({@link org.multimagnet.workspace.WorkspaceLock})
 * </pre>
 *
 * <p>Crash safety: a model and its manifest are committed by the manifest's atomic write
 * ({@link org.multimagnet.workspace.ModelStore#save}); attack sets and calibrations are written into a hidden
 * folder that replaces the old one whole ({@code FolderSwap}). Hidden names ({@code .x.new}, {@code .x.old},
 * {@code .x.zip.pending}, {@code .x.tmp}) are ignored by readers except as documented there, and cleared by the
 * next writer. Only the holder of {@code W/.lock} writes a workspace.
 */
package org.multimagnet.workspace;
