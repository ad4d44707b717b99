/**
 * A workspace: one folder holding every artifact of one study, each with a JSON manifest (DESIGN.md §2).
 *
 * <pre>
 * W/workspace.json                 dataset source, split rule, seed
 * W/models/classifier.zip|.json    F and its manifest
 * W/models/ae-NN.zip|.json         member NN of S and its manifest
 * W/attacks/&lt;attack&gt;/             D_atk: images (IDX float32), labels (IDX uint8), indices, manifest.json
 * W/calibration/&lt;attack&gt;/         grid.json (file C), cbest.json (C_best), grid-results.json
 * W/evaluations/&lt;attack&gt;-&lt;defense&gt;.json
 * W/report/                        report.md, report.json, PNG charts
 * </pre>
 */
package org.multimagnet.workspace;
