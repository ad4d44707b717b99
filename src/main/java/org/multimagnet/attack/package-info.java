/**
 * Adversarial attacks on the application classifier F (paper §2.2, Table 1): FGSM and BIM
 * (L∞, fixed ε) and DeepFool and Carlini-Wagner L2 (minimisation).
 *
 * <p>Every attack is an {@link org.multimagnet.attack.AttackTemplate}: the template checks shapes and bounds,
 * copies the input (it is never modified), attacks every image away from F's own prediction (or, on request, the
 * true label; {@link org.multimagnet.attack.AttackLabels}), clips to [0,1] (and projects onto the ε-ball for fixed-ε
 * attacks), decides success by a fresh forward pass of F and counts the images an attack left exactly as they
 * were. A subclass writes only the perturbation. Parameters are validated records with the paper's defaults
 * ({@code paperMnist()}, {@code paperCifar10()}); {@link org.multimagnet.attack.Attacks} builds an attack by name
 * from a {@code Map<String,String>}.
 *
 * <p>All attacks are untargeted and white-box; all ND4J work happens on the caller's thread.
 */
package org.multimagnet.attack;
