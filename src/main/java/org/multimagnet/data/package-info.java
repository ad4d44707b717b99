/**
 * Datasets: readers for IDX, CIFAR-10 binary, image folders and single images (all giving float32 NCHW pixels in
 * [0,1]), built-in sources, the paper's Tr / V_leg / Te split and the D_leg draw (paper §5.1), and
 * the IDX writer for adversarial sets. Every reader checks sizes before allocating and refuses bad files with a
 * {@link org.multimagnet.common.UserException} naming the file.
 */
package org.multimagnet.data;
