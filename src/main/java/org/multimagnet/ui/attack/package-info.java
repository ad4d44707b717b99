/**
 * The attack pane: choose an attack and its parameters (the paper's Table 1 defaults), generate an adversarial set
 * against the workspace's classifier F with progress and cancel, and inspect it: original, amplified perturbation
 * and adversarial image with F's predictions, the success rate and an L2 distortion histogram.
 */
package org.multimagnet.ui.attack;
