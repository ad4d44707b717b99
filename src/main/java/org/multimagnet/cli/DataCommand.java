package org.multimagnet.cli;

import picocli.CommandLine.Command;

/** {@code data}: inspect datasets. (Filled in by the data-layer work.) */
@Command(name = "data", description = "Inspect datasets.", mixinStandardHelpOptions = true)
final class DataCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("data commands are not built yet");
    }
}
