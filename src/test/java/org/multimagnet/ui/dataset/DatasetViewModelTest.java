package org.multimagnet.ui.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.ui.RecordingDialogs;
import org.multimagnet.ui.common.DefaultComputeExecutor;

/** The dataset ViewModel over the real readers (sample:mnist ships with the project), no screen. */
class DatasetViewModelTest {
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final DatasetViewModel vm = new DatasetViewModel(new EngineDatasetService(),
            DefaultComputeExecutor.synchronous(), dialogs);

    @Test
    void loadsSampleMnistWithSplitAndCounts() {
        assertTrue(vm.sources().contains("sample:mnist"));
        vm.sourceProperty().set("sample:mnist");
        vm.load();
        DatasetSummary s = vm.summaryProperty().get();
        assertEquals(10_000, s.size());
        assertEquals(10, s.classNames().size());
        assertEquals(10_000, Arrays.stream(s.classCounts()).sum());
        // a single pool of 10,000 splits 70/10/20 in file order (docs/method.md)
        assertEquals(7_000, s.train());
        assertEquals(1_000, s.validation());
        assertEquals(2_000, s.test());
        assertEquals(10_000, vm.galleryIndices().size());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());

        vm.classFilterProperty().set(3);
        int[] labels = vm.datasetProperty().get().labels();
        assertEquals(s.classCounts()[3], vm.galleryIndices().size());
        assertTrue(vm.galleryIndices().stream().allMatch(i -> labels[i] == 3));
        var p = vm.payload(vm.galleryIndices().get(0));
        assertEquals(3, p.label());
        assertEquals(784, p.pixels().length);
    }

    @Test
    void badFileGivesOneClearMessageNamingIt(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("train-images-idx3-ubyte");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        vm.loadPath(bad);
        assertEquals(1, dialogs.errors.size());
        String msg = dialogs.errors.get(0);
        assertTrue(msg.contains("train-images-idx3-ubyte"), msg);
        assertFalse(msg.contains("Exception"), msg);
        assertFalse(vm.busyProperty().get());
        assertEquals(null, vm.summaryProperty().get());
    }
}
