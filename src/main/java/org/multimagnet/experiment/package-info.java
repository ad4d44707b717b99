/**
 * The paper's experiments over a workspace: the 40-experiment protocol of paper §5.4
 * ({@link org.multimagnet.experiment.Protocol}; scoring and reading of the tables in docs/method.md), the whole
 * pipeline in one call ({@link org.multimagnet.experiment.Reproduction}, the {@code reproduce} command), the report
 * with our Tables 2 to 6 beside the paper's published ones ({@link org.multimagnet.experiment.ReportWriter},
 * {@link org.multimagnet.experiment.PaperTables}), and the engine benchmark
 * ({@link org.multimagnet.experiment.Benchmark}, docs/benchmarks.md).
 *
 * <p>In the pipeline data → nn → attack/defense → workspace → experiment → cli/ui it comes after the workspace,
 * whose models, attack sets and calibrations it reads, and before the command line and the workbench, which run it.
 */
package org.multimagnet.experiment;
