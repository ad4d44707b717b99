package org.multimagnet.data;

/**
 * The paper's partition of a dataset into Tr (training), V_leg (legitimate validation) and Te (test), as indices
 * into the dataset (paper §5.1; rule in {@link Splits}).
 *
 * @param rule       how it was made, for reports (e.g. {@code "train file: first 5000 = V_leg, rest = Tr; test file = Te"})
 * @param train      indices of Tr
 * @param validation indices of V_leg
 * @param test       indices of Te
 */
public record Split(String rule, int[] train, int[] validation, int[] test) {
}
