package org.multimagnet.ui.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.multimagnet.experiment.PaperTables;
import org.multimagnet.experiment.ReportMarkdown;
import org.multimagnet.ui.common.BackgroundTask;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.Errors;
import org.multimagnet.ui.common.ReplaceQuestion;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.workspace.Consent;

/**
 * The experiments pane's state: the paper's published tables (Tables 2, 3, 5, 6 from {@link PaperTables}) and the
 * reports found in the workspace's {@code reports/} folder, shown side by side.
 */
public final class ExperimentsViewModel {
    /** The command line that runs the 40-chunk protocol (paper §5.4) and writes a report. */
    public static final String COMMAND = "java -jar target/multimagnet.jar reproduce --workspace <folder> [--quick]";
    /** Where the protocol writes its report inside a workspace. */
    public static final String REPORT_FOLDER = "report";

    private final ComputeExecutor executor;
    private final DialogService dialogs;
    private final WorkspaceModel workspace;
    private final ObservableList<DetectionRow> detection = FXCollections.observableArrayList();
    private final ObservableList<ScenarioRow> scenarios = FXCollections.observableArrayList();
    private final ObservableList<Path> reports = FXCollections.observableArrayList();
    private final StringProperty reportText = new SimpleStringProperty("");
    private final ObservableList<ReportMarkdown.Block> reportBlocks = FXCollections.observableArrayList();
    private final javafx.beans.property.ObjectProperty<Path> reportFolder =
            new javafx.beans.property.SimpleObjectProperty<>();
    private final StringProperty source = new SimpleStringProperty("");

    private final ExperimentRunner runner;
    private final javafx.beans.property.BooleanProperty busy = new javafx.beans.property.SimpleBooleanProperty(false);
    private final javafx.beans.property.BooleanProperty quick = new javafx.beans.property.SimpleBooleanProperty(true);
    private final StringProperty runStatus = new SimpleStringProperty("");
    private org.multimagnet.ui.common.TaskHandle task;

    public ExperimentsViewModel(ExperimentRunner runner, ComputeExecutor executor, DialogService dialogs,
                                WorkspaceModel workspace) {
        this.runner = runner;
        this.executor = executor;
        this.dialogs = dialogs;
        this.workspace = workspace;
        workspace.folderProperty().addListener((o, a, b) -> refresh());
        workspace.revisionProperty().addListener((o, a, b) -> refresh());
    }

    /** Loads the paper's tables and lists the workspace's reports (off the FX thread). */
    public void refresh() {
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Reading reports", (p, c) -> new Loaded(PaperTables.load(),
                listReports(folder.resolve(REPORT_FOLDER)))).onSuccess(l -> {
                    source.set(l.tables().source() + " " + l.tables().note());
                    detection.setAll(l.tables().detection().stream().map(DetectionRow::of).toList());
                    scenarios.setAll(l.tables().scenarios().stream().map(s -> ScenarioRow.of(s,
                            l.tables().attackAccuracy(s.dataset(), s.attack()).orElse(Double.NaN))).toList());
                    reports.setAll(l.reports());
                    if (l.reports().isEmpty()) {
                        reportBlocks.clear();
                        reportText.set("No report in " + folder.resolve(REPORT_FOLDER) + " yet. Press Run, or:\n  "
                                + COMMAND);
                    } else {
                        l.reports().stream().filter(p -> p.getFileName().toString().equals("report.md")).findFirst()
                                .ifPresent(this::open);
                    }
                }).onFailure(e -> dialogs.showError("Could not read the tables", e)));
    }

    /**
     * Runs the whole protocol (train what is missing, attack, calibrate, 40-chunk evaluation, report) on the compute
     * thread; cancellable between batches.
     */
    public void run() {
        run(Consent.ASK_FIRST);
    }

    private void run(Consent consent) {
        if (task != null && !task.isDone()) {
            runStatus.set("The protocol is running; cancel it first (Esc).");
            return;
        }
        Path folder = workspace.folder();
        boolean q = quick.get();
        java.util.concurrent.atomic.AtomicReference<String> stage = new java.util.concurrent.atomic.AtomicReference<>("");
        busy.set(true);
        runStatus.set("Starting the protocol on " + folder + "…");
        task = executor.submit(BackgroundTask.of("Protocol (paper §5.4)", (p, c) ->
                        runner.run(folder, q, 1L, consent, stage::set, p, c))
                .onProgress(pr -> runStatus.set(stage.get() + ": " + pr.describe()))
                .onSuccess(files -> {
                    runStatus.set("Report written: " + files.size() + " files in " + folder.resolve(REPORT_FOLDER));
                    workspace.touch();
                })
                .onCancelled(() -> runStatus.set("Protocol cancelled at: " + stage.get()))
                .onFailure(e -> {
                    var refused = ReplaceQuestion.refusal(e);
                    if (refused.isPresent()) {
                        busy.set(false);
                        if (ReplaceQuestion.ask(dialogs, refused.get(), "the results of a new run of the protocol",
                                false) == ReplaceQuestion.Answer.REPLACE) {
                            run(Consent.REPLACE);
                        } else {
                            runStatus.set("Nothing replaced: " + refused.get().artifact().id() + " is unchanged.");
                        }
                        return;
                    }
                    runStatus.set(Errors.describe(e));
                    dialogs.showError("The protocol failed", e);
                })
                .onFinished(() -> {
                    if (task == null || task.isDone()) {
                        busy.set(false);
                    }
                }));
    }

    /** Cancels a running protocol. */
    public void cancel() {
        if (task != null) {
            task.cancel();
        }
    }

    public javafx.beans.property.BooleanProperty busyProperty() {
        return busy;
    }

    public javafx.beans.property.BooleanProperty quickProperty() {
        return quick;
    }

    public StringProperty runStatusProperty() {
        return runStatus;
    }

    /** Shows the text of {@code report}. */
    public void open(Path report) {
        executor.submit(BackgroundTask.of("Reading " + report.getFileName(), (p, c) -> {
            String text = Files.readString(report);
            // a Markdown report is also drawn: its tables as tables, its charts as pictures
            List<ReportMarkdown.Block> blocks = report.getFileName().toString().endsWith(".md")
                    ? ReportMarkdown.parse(text) : List.of();
            return new Opened(report, text, blocks);
        }).onSuccess(o -> {
            reportText.set(o.text());
            reportFolder.set(o.report().getParent());
            // the same report read again (after any change in the workspace) is not drawn again
            if (!reportBlocks.equals(o.blocks())) {
                reportBlocks.setAll(o.blocks());
            }
        }).onFailure(e -> dialogs.showError("Could not read the report", e)));
    }

    private record Opened(Path report, String text, List<ReportMarkdown.Block> blocks) {
    }

    /** @return the open report's blocks (empty for a report that is not Markdown) */
    public ObservableList<ReportMarkdown.Block> reportBlocks() {
        return reportBlocks;
    }

    /** @return the folder of the open report (its charts' file names are relative to it) */
    public javafx.beans.property.ObjectProperty<Path> reportFolderProperty() {
        return reportFolder;
    }

    private static List<Path> listReports(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".md") || n.endsWith(".txt") || n.endsWith(".json") || n.endsWith(".csv");
            }).sorted().toList();
        }
    }

    private record Loaded(PaperTables tables, List<Path> reports) {
    }

    /** One row of Tables 2/3 as text. */
    public record DetectionRow(String dataset, String defense, String attack, String acc, String detectionRate,
                               String acceptanceRate) {
        static DetectionRow of(PaperTables.Detection d) {
            return new DetectionRow(d.dataset(), d.defense(), d.attack(), ms(d.acc()), ms(d.detectionRate()),
                    ms(d.acceptanceRate()));
        }
    }

    /** One row of Tables 5 and 6 as text. */
    public record ScenarioRow(String dataset, String attack, String noDefense, String magnet, String multimagnet,
                              String magnetReformer, String multimagnetReformer, String attackOnly) {
        static ScenarioRow of(PaperTables.Scenarios s, double table6) {
            return new ScenarioRow(s.dataset(), s.attack(), ms(s.noDefense()), ms(s.magnet()), ms(s.multimagnet()),
                    ms(s.magnetReformer()), ms(s.multimagnetReformer()),
                    Double.isNaN(table6) ? "–" : String.format("%.2f", table6));
        }
    }

    static String ms(double[] v) {
        return String.format("%.2f ± %.2f", v[0], v[1]);
    }

    public ObservableList<DetectionRow> detection() {
        return detection;
    }

    public ObservableList<ScenarioRow> scenarios() {
        return scenarios;
    }

    public ObservableList<Path> reports() {
        return reports;
    }

    public StringProperty reportTextProperty() {
        return reportText;
    }

    public StringProperty sourceProperty() {
        return source;
    }
}
