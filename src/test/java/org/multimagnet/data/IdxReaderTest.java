package org.multimagnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.UserException;

class IdxReaderTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private UserException refused(Path file, Runnable r) {
        UserException e = assertThrows(UserException.class, r::run);
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        return e;
    }

    @Test
    void readsUnsignedBytesDividedBy255() {
        Path f = DataFiles.write(dir.resolve("a-images-idx3-ubyte"),
                DataFiles.idx(0x08, new int[] {2, 1, 3}, bytes(0, 255, 51, 102, 1, 254)));
        IdxReader.Images im = IdxReader.readImages(f);
        assertEquals(2, im.count());
        assertEquals(new ImageShape(1, 1, 3), im.shape());
        assertArrayEquals(new float[] {0f, 1f, 0.2f, 0.4f, 1 / 255f, 254 / 255f}, im.pixels(), 1e-7f);
    }

    @Test
    void readsGzipByContentNotName() {
        byte[] raw = DataFiles.idx(0x08, new int[] {1, 2, 2}, bytes(0, 51, 204, 255));
        Path gz = DataFiles.write(dir.resolve("x-images-idx3-ubyte.gz"), DataFiles.gzip(raw));
        Path gzNoSuffix = DataFiles.write(dir.resolve("y-images-idx3-ubyte"), DataFiles.gzip(raw));
        float[] want = {0f, 0.2f, 0.8f, 1f};
        assertArrayEquals(want, IdxReader.readImages(gz).pixels(), 1e-7f);
        assertArrayEquals(want, IdxReader.readImages(gzNoSuffix).pixels(), 1e-7f);
    }

    @Test
    void readsFourDimensionalNchw() {
        byte[] p = new byte[2 * 3 * 2 * 2];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 10);
        }
        Path f = DataFiles.write(dir.resolve("c.idx"), DataFiles.idx(0x08, new int[] {2, 3, 2, 2}, p));
        IdxReader.Images im = IdxReader.readImages(f);
        assertEquals(new ImageShape(3, 2, 2), im.shape());
        assertEquals(230 / 255f, im.pixels()[23], 1e-7f);
    }

    @Test
    void scalesEachElementTypeAsDocumented() {
        ByteBuffer i8 = ByteBuffer.allocate(2).put((byte) 127).put((byte) 0);
        ByteBuffer i16 = ByteBuffer.allocate(4).putShort((short) 32767).putShort((short) 16384);
        ByteBuffer i32 = ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0);
        ByteBuffer f32 = ByteBuffer.allocate(8).putFloat(0.25f).putFloat(0.123456f);
        ByteBuffer f64 = ByteBuffer.allocate(16).putDouble(1.0).putDouble(0.75);
        assertArrayEquals(new float[] {1f, 0f}, read(0x09, i8), 1e-7f);
        assertArrayEquals(new float[] {1f, 16384 / 32767f}, read(0x0B, i16), 1e-7f);
        assertArrayEquals(new float[] {1f, 0f}, read(0x0C, i32), 1e-7f);
        assertArrayEquals(new float[] {0.25f, 0.123456f}, read(0x0D, f32), 0f);
        assertArrayEquals(new float[] {1f, 0.75f}, read(0x0E, f64), 0f);
    }

    private float[] read(int type, ByteBuffer payload) {
        Path f = DataFiles.write(dir.resolve("t" + type + ".idx"), DataFiles.idx(type, new int[] {1, 1, 2},
                payload.array()));
        return IdxReader.readImages(f).pixels();
    }

    @Test
    void refusesValuesOutsideTheUnitInterval() {
        Path nan = DataFiles.write(dir.resolve("nan.idx"), DataFiles.idx(0x0D, new int[] {1, 1, 2},
                ByteBuffer.allocate(8).putFloat(0.5f).putFloat(Float.NaN).array()));
        assertTrue(refused(nan, () -> IdxReader.readImages(nan)).getMessage().contains("value 1 is NaN"));
        Path big = DataFiles.write(dir.resolve("big.idx"), DataFiles.idx(0x0D, new int[] {1, 1, 1},
                ByteBuffer.allocate(4).putFloat(1.5f).array()));
        refused(big, () -> IdxReader.readImages(big));
        Path neg = DataFiles.write(dir.resolve("neg.idx"), DataFiles.idx(0x09, new int[] {1, 1, 1}, bytes(-3)));
        refused(neg, () -> IdxReader.readImages(neg));
    }

    @Test
    void refusesTruncatedFilesRawAndGzip() {
        byte[] full = DataFiles.idx(0x08, new int[] {10, 28, 28}, new byte[7840]);
        byte[] cut = java.util.Arrays.copyOf(full, 5000);
        Path raw = DataFiles.write(dir.resolve("train-images-idx3-ubyte"), cut);
        assertTrue(refused(raw, () -> IdxReader.readImages(raw)).getMessage().contains("truncated"));
        Path gz = DataFiles.write(dir.resolve("g-images-idx3-ubyte.gz"), DataFiles.gzip(cut));
        assertTrue(refused(gz, () -> IdxReader.readImages(gz)).getMessage().contains("truncated"));
        byte[] gzFull = DataFiles.gzip(full);
        Path gzCut = DataFiles.write(dir.resolve("h-images-idx3-ubyte.gz"),
                java.util.Arrays.copyOf(gzFull, gzFull.length / 2));
        refused(gzCut, () -> IdxReader.readImages(gzCut));
    }

    @Test
    void refusesWrongMagicAndWrongRank() {
        Path magic = DataFiles.write(dir.resolve("m.idx"), bytes(0x12, 0x34, 8, 3, 0, 0, 0, 1));
        assertTrue(refused(magic, () -> IdxReader.readImages(magic)).getMessage().contains("magic"));
        Path rank = DataFiles.write(dir.resolve("r.idx"), DataFiles.idx(0x08, new int[] {4}, new byte[4]));
        refused(rank, () -> IdxReader.readImages(rank));
        Path labelsAsImages = DataFiles.write(dir.resolve("l.idx"), DataFiles.idx(0x08, new int[] {1, 1, 1},
                new byte[1]));
        refused(labelsAsImages, () -> IdxReader.readLabels(labelsAsImages));
    }

    @Test
    void refusesAbsurdDimensionsBeforeAllocating() {
        // 2^31 - 1 images of 28×28: checked against the file size (raw) or the heap (gzip), never allocated
        byte[] h = DataFiles.idx(0x08, new int[] {Integer.MAX_VALUE, 28, 28}, new byte[100]);
        Path raw = DataFiles.write(dir.resolve("huge-images-idx3-ubyte"), h);
        refused(raw, () -> IdxReader.readImages(raw));
        Path gz = DataFiles.write(dir.resolve("huge2-images-idx3-ubyte.gz"), DataFiles.gzip(h));
        refused(gz, () -> IdxReader.readImages(gz));
        // a plausible count that fits in memory but whose gzip stream ends early: buffers grow only with the data
        byte[] h2 = DataFiles.idx(0x08, new int[] {100_000, 28, 28}, new byte[1000]);
        Path gz2 = DataFiles.write(dir.resolve("lying-images-idx3-ubyte.gz"), DataFiles.gzip(h2));
        assertTrue(refused(gz2, () -> IdxReader.readImages(gz2)).getMessage().contains("truncated"));
        Path side = DataFiles.write(dir.resolve("side.idx"), DataFiles.idx(0x08, new int[] {1, 100_000, 1},
                new byte[100_000]));
        refused(side, () -> IdxReader.readImages(side));
        Path negative = DataFiles.write(dir.resolve("negative.idx"), DataFiles.idx(0x08, new int[] {-5, 2, 2},
                new byte[0]));
        refused(negative, () -> IdxReader.readImages(negative));
    }

    @Test
    void refusesTrailingDataAndGzipBombs() {
        byte[] ok = DataFiles.idx(0x08, new int[] {1, 2, 2}, new byte[4]);
        Path trailing = DataFiles.write(dir.resolve("trailing.idx"), java.util.Arrays.copyOf(ok, ok.length + 3));
        refused(trailing, () -> IdxReader.readImages(trailing));
        // a 10-image header followed by 200 MB of zeros: reading stops right after what the header says
        Path bomb = DataFiles.write(dir.resolve("bomb-images-idx3-ubyte.gz"),
                DataFiles.gzipBomb(DataFiles.idx(0x08, new int[] {10, 28, 28}, new byte[0]), 200L << 20));
        assertTrue(refused(bomb, () -> IdxReader.readImages(bomb)).getMessage().contains("more data"));
    }

    @Test
    void refusesLabelCountDifferingFromImageCount() {
        Path im = DataFiles.write(dir.resolve("p-images-idx3-ubyte"), DataFiles.idx(0x08, new int[] {3, 2, 2},
                new byte[12]));
        Path lab = DataFiles.write(dir.resolve("p-labels-idx1-ubyte"), DataFiles.idx(0x08, new int[] {2},
                new byte[2]));
        UserException e = refused(lab, () -> IdxReader.read(im, lab, null));
        assertTrue(e.getMessage().contains("2 labels") && e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void refusesLabelsOutsideTheGivenClasses() {
        Path im = DataFiles.write(dir.resolve("q-images-idx3-ubyte"), DataFiles.idx(0x08, new int[] {2, 1, 1},
                new byte[2]));
        Path lab = DataFiles.write(dir.resolve("q-labels-idx1-ubyte"), DataFiles.idx(0x08, new int[] {2},
                bytes(1, 7)));
        UserException e = refused(lab, () -> IdxReader.read(im, lab, List.of("a", "b", "c")));
        assertTrue(e.getMessage().contains("label 7"), e.getMessage());
    }

    @Test
    void readsAStandardTrainTestFolderTrainingFirst() {
        DataFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), DataFiles.gzip(
                DataFiles.idx(0x08, new int[] {3, 2, 2}, DataFiles.randomBytes(12, 1))));
        DataFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), DataFiles.gzip(
                DataFiles.idx(0x08, new int[] {3}, bytes(0, 1, 2))));
        DataFiles.write(dir.resolve("t10k-images-idx3-ubyte"), DataFiles.idx(0x08, new int[] {2, 2, 2},
                bytes(255, 255, 255, 255, 0, 0, 0, 0)));
        DataFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), DataFiles.idx(0x08, new int[] {2}, bytes(9, 4)));
        Dataset d = IdxReader.readDirectory(dir, null);
        assertEquals(5, d.size());
        assertEquals(3, d.trainCount());
        assertArrayEquals(new int[] {0, 1, 2, 9, 4}, d.labels());
        assertEquals(1f, d.image(3)[0]);
        assertEquals(0f, d.image(4)[3]);
        assertEquals(10, d.classCount());
    }

    @Test
    void readsASinglePairOfAnyNameAsOnePool() {
        DataFiles.write(dir.resolve("mnist-10k-images-idx3-ubyte.gz"), DataFiles.gzip(
                DataFiles.idx(0x08, new int[] {4, 1, 1}, bytes(0, 1, 2, 3))));
        DataFiles.write(dir.resolve("mnist-10k-labels-idx1-ubyte.gz"), DataFiles.gzip(
                DataFiles.idx(0x08, new int[] {4}, bytes(3, 2, 1, 0))));
        Dataset d = IdxReader.readDirectory(dir, null);
        assertEquals(4, d.size());
        assertEquals(-1, d.trainCount());
        assertArrayEquals(new int[] {3, 2, 1, 0}, d.labels());
    }

    @Test
    void readsAnAttackSetFolderWrittenByIdxWriter() {
        float[] p = {0f, 0.25f, 0.5f, 1f};
        IdxWriter.writeFloatImages(dir.resolve("images.idx"), p, 1, new ImageShape(1, 2, 2));
        IdxWriter.writeLabels(dir.resolve("labels.idx"), new int[] {7});
        Dataset d = IdxReader.readDirectory(dir, null);
        assertArrayEquals(p, d.pixels(), 0f);
        assertArrayEquals(new int[] {7}, d.labels());
    }

    @Test
    void aFolderWithAnImageFileButNoLabelsNamesTheImageFile() {
        Path im = DataFiles.write(dir.resolve("train-images-idx3-ubyte"), DataFiles.idx(0x08, new int[] {1, 1, 1},
                new byte[1]));
        refused(im, () -> IdxReader.readDirectory(dir, null));
    }
}
