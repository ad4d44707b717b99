/**
 * Parameter sweeps run as job arrays: a declared grid of studies becomes an ordered task list, each task runs on
 * its own (one array index: a Slurm array task, a Kubernetes Indexed Job pod, an iteration of a shell loop) into
 * its own folder, and the finished tasks merge into one table. The scheduler is the cluster's; this package only
 * writes what it needs (an array script, an Indexed Job manifest).
 */
package org.multimagnet.sweep;
