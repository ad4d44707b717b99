package org.multimagnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.UserException;

class CifarReaderTest {
    @TempDir
    Path dir;

    private void refused(Path file, Runnable r, String fragment) {
        UserException e = assertThrows(UserException.class, r::run);
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void readsPixelsAsRedGreenBluePlanesDividedBy255() {
        byte[] rec = DataFiles.cifar(new int[] {6}, 1);
        rec[1] = (byte) 255;          // red (0,0)
        rec[1 + 1024 + 33] = 51;      // green (1,1)
        rec[1 + 2048 + 1023] = 0;     // blue (31,31)
        Path f = DataFiles.write(dir.resolve("data_batch_1"), rec);
        Dataset d = CifarReader.readFile(f);
        assertEquals(ImageShape.CIFAR10, d.shape());
        assertArrayEquals(new int[] {6}, d.labels());
        assertEquals(1f, d.pixels()[0]);
        assertEquals(0.2f, d.pixels()[1024 + 33], 1e-7f);
        assertEquals(0f, d.pixels()[3071]);
        assertEquals((rec[1 + 500] & 0xff) / 255f, d.pixels()[500]);
        assertEquals(CifarReader.CIFAR10_NAMES, d.classNames());
    }

    @Test
    void readsAFolderTrainingBatchesFirstWithGzBinAndMetaNames() {
        DataFiles.write(dir.resolve("data_batch_1.bin.gz"), DataFiles.gzip(DataFiles.cifar(new int[] {0, 1, 2}, 2)));
        DataFiles.write(dir.resolve("data_batch_2.bin"), DataFiles.cifar(new int[] {3}, 3));
        DataFiles.write(dir.resolve("test_batch"), DataFiles.cifar(new int[] {4, 5}, 4));
        DataFiles.write(dir.resolve("batches.meta.txt"), "a\nb\nc\nd\ne\nf\n\n".getBytes());
        Dataset d = CifarReader.readDirectory(dir);
        assertEquals(6, d.size());
        assertEquals(4, d.trainCount());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, d.labels());
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), d.classNames());
    }

    @Test
    void aBatchPresentRawAndCompressedIsReadOnce() {
        byte[] b = DataFiles.cifar(new int[] {1, 2}, 8);
        DataFiles.write(dir.resolve("data_batch_1"), b);
        DataFiles.write(dir.resolve("data_batch_1.bin.gz"), DataFiles.gzip(b));
        DataFiles.write(dir.resolve("test_batch.bin"), DataFiles.cifar(new int[] {3}, 9));
        Dataset d = CifarReader.readDirectory(dir);
        assertEquals(3, d.size());
        assertEquals(2, d.trainCount());
    }

    @Test
    void onlyTrainingBatchesMakeAPool() {
        DataFiles.write(dir.resolve("data_batch_1"), DataFiles.cifar(new int[] {0, 1}, 2));
        assertEquals(-1, CifarReader.readDirectory(dir).trainCount());
    }

    @Test
    void refusesATruncatedBatchWithTheSizeInTheMessage() {
        byte[] two = DataFiles.cifar(new int[] {1, 2}, 5);
        Path f = DataFiles.write(dir.resolve("data_batch_1"), java.util.Arrays.copyOf(two, 5000));
        refused(f, () -> CifarReader.readDirectory(dir), "not a multiple of 3,073");
    }

    @Test
    void refusesLabel99NamingTheRecord() {
        Path f = DataFiles.write(dir.resolve("test_batch.bin"), DataFiles.cifar(new int[] {1, 99}, 6));
        refused(f, () -> CifarReader.readFile(f), "label 99 of record 1");
    }

    @Test
    void refusesEmptyFilesAndGzipBombs() {
        Path empty = DataFiles.write(dir.resolve("data_batch_3"), new byte[0]);
        refused(empty, () -> CifarReader.readFile(empty), "empty");
        // decompresses to more than the whole of CIFAR-10 (60,000 records): refused once the cap is passed
        Path bomb = DataFiles.write(dir.resolve("data_batch_4.gz"),
                DataFiles.gzipBomb(new byte[0], (long) CifarReader.MAX_RECORDS_PER_FILE * CifarReader.RECORD + 3073));
        refused(bomb, () -> CifarReader.readFile(bomb), "more than");
    }

    @Test
    void refusesACorruptGzipStream() {
        byte[] gz = DataFiles.gzip(DataFiles.cifar(new int[] {1, 2, 3}, 7));
        gz[gz.length / 2] ^= 0x55;
        gz[gz.length / 2 + 1] ^= 0x55;
        Path f = DataFiles.write(dir.resolve("data_batch_5.gz"), gz);
        assertThrows(UserException.class, () -> CifarReader.readFile(f));
    }
}
