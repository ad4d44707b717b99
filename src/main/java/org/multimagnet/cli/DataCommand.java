package org.multimagnet.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.multimagnet.common.Json;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.DatasetSources;
import org.multimagnet.data.DatasetSummary;
import org.multimagnet.data.Splits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code data}: inspect datasets ({@code data info}, {@code data sources}). */
@Command(name = "data", description = "Inspect datasets.", mixinStandardHelpOptions = true,
        subcommands = {DataCommand.Info.class, DataCommand.Sources.class})
final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: info or sources");
    }

    /** {@code data info <source>}: size, shape, classes and the paper's split of a dataset. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Load a dataset and print its size, image shape, classes and the paper's split.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Option(names = "--json", description = "Print one JSON value instead of text.")
        boolean json;

        @Parameters(index = "0", paramLabel = "SOURCE",
                description = "A dataset folder or file, or a built-in name: sample:mnist, sample:cifar10, "
                        + "fashion-mnist.")
        String source;

        @Override
        public Integer call() {
            long t0 = System.nanoTime();
            Dataset d = DatasetSources.load(source);
            long loadMillis = (System.nanoTime() - t0) / 1_000_000;
            DatasetSummary s = DatasetSummary.of(d, Splits.paper(d));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(s));
            } else {
                printText(out, s, loadMillis);
            }
            out.flush();
            return 0;
        }

        private static void printText(PrintWriter out, DatasetSummary s, long loadMillis) {
            out.printf("%s (%s)%n", s.source(), s.format());
            out.printf("  %,d images of %d×%d pixels, %d channel%s, %d classes (loaded in %,d ms)%n", s.images(),
                    s.height(), s.width(), s.channels(), s.channels() == 1 ? "" : "s", s.classes(), loadMillis);
            if (s.trainCount() >= 0) {
                out.printf("  %,d from training files, %,d from test files%n", s.trainCount(),
                        s.images() - s.trainCount());
            }
            out.println("  images per class:");
            int c = 0;
            for (Map.Entry<String, Integer> e : s.perClass().entrySet()) {
                out.printf("    %2d %-14s %,7d%n", c++, e.getKey(), e.getValue());
            }
            out.printf("  split: Tr %,d, V_leg %,d, Te %,d%n", s.split().train(), s.split().validation(),
                    s.split().test());
            out.printf("  rule: %s%n", s.splitRule());
        }
    }

    /** {@code data sources}: the built-in dataset names and whether each is present. */
    @Command(name = "sources", mixinStandardHelpOptions = true,
            description = "List the built-in dataset names and where they were found.")
    static final class Sources implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Option(names = "--json", description = "Print one JSON value instead of text.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> list = new ArrayList<>();
                for (DatasetSources.BuiltIn b : DatasetSources.describe()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", b.name());
                    m.put("description", b.description());
                    m.put("available", b.available());
                    m.put("location", b.available() ? b.location().toString() : null);
                    m.put("hint", b.hint());
                    list.add(m);
                }
                out.println(Json.write(list));
            } else {
                for (DatasetSources.BuiltIn b : DatasetSources.describe()) {
                    out.printf("%-15s %s%n  %s%n", b.name(), b.description(),
                            b.available() ? "found: " + b.location() : "missing: " + b.hint());
                }
            }
            out.flush();
            return 0;
        }
    }
}
