/**
 * The launcher of {@code multimagnet.jar}: with no arguments it opens the workbench ({@code ui}), with a command it
 * runs the command line ({@code cli}). It sits above every other package and nothing depends on it.
 */
package org.multimagnet;
