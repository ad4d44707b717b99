/**
 * The command line (picocli): one subcommand per pipeline stage ({@code data}, {@code train}, {@code models},
 * {@code attack}, {@code calibrate}, {@code evaluate}, {@code deploy}, {@code reproduce}, {@code bench}), each a thin
 * layer that parses options, calls the engine and prints a summary (or JSON) on standard output and progress on
 * standard error. Bad input ends with one line naming what was wrong and exit code 2, never a stack trace.
 *
 * <p>Last in the pipeline data → nn → attack/defense → workspace → experiment → cli/ui, beside the workbench: it
 * uses every engine package and none uses it. Only this package uses picocli or writes to standard output.
 */
package org.multimagnet.cli;
