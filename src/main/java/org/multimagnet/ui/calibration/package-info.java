/**
 * The calibration pane (paper §4.1): edit the grid C, run the calibration on V = V_leg ∪ V_atk, and read the
 * result: a heat map of ACC over t_fp × T, the chosen C_best, every member's threshold and one member's marks
 * against its threshold. The service runs {@code defense.Calibration} and stores through
 * {@code workspace.CalibrationStore}.
 */
package org.multimagnet.ui.calibration;
