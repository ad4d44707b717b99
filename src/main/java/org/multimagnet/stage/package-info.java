/**
 * The stages as both faces run them: each takes a request record and returns a result record, with progress,
 * cancellation and consent through the engine's own listener, {@code Cancellation} and {@code Consent} types. What
 * runs, which checks come first and how an error is worded are decided here once, so that the command line
 * ({@code cli}) and the workbench ({@code ui}) are adapters that parse and print, or thread and bind.
 */
package org.multimagnet.stage;
