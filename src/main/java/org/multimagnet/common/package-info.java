/**
 * What every stage shares and no stage owns: the user-facing error ({@link org.multimagnet.common.UserException}),
 * cancellation and progress callbacks for long work, the one-thread rule for ND4J
 * ({@link org.multimagnet.common.ComputeThread}), atomic file writes, SHA-256 checksums, the project's one Jackson
 * configuration and build facts with the ND4J start-up settings.
 *
 * <p>It sits below the pipeline data → nn → attack/defense → workspace → experiment → cli/ui: any package may use
 * it, and it uses none of them.
 */
package org.multimagnet.common;
