package org.multimagnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.UserException;

class ImageFolderReaderTest {
    @TempDir
    Path dir;

    private static BufferedImage grey(int w, int h, int value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        int[] v = new int[w * h];
        java.util.Arrays.fill(v, value);
        img.getRaster().setPixels(0, 0, w, h, v);
        return img;
    }

    @Test
    void subFoldersAreClassesInNameOrderAndTheFirstImageFixesTheShape() {
        DataFiles.write(dir.resolve("cat/1.png"), DataFiles.encode(grey(2, 2, 51), "png"));
        DataFiles.write(dir.resolve("cat/2.bmp"), DataFiles.encode(grey(4, 4, 102), "bmp"));
        DataFiles.write(dir.resolve("ant/a.png"), DataFiles.encode(grey(2, 2, 255), "png"));
        DataFiles.write(dir.resolve("ant/notes.txt"), "ignored".getBytes());
        DataFiles.write(dir.resolve("empty/readme.txt"), "no images".getBytes());
        assertTrue(DatasetSources.readPath(dir, null).format().equals("image-folder"));
        Dataset d = ImageFolderReader.read(dir);
        assertEquals(List.of("ant", "cat"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, d.labels());
        assertEquals(new ImageShape(1, 2, 2), d.shape());
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f, 0.2f, 0.2f, 0.2f, 0.2f, 0.4f, 0.4f, 0.4f, 0.4f},
                d.pixels(), 1e-6f);
    }

    @Test
    void aBadImageInTheFolderIsNamed() {
        DataFiles.write(dir.resolve("a/1.png"), DataFiles.encode(grey(2, 2, 0), "png"));
        Path bad = DataFiles.write(dir.resolve("b/2.png"), DataFiles.randomBytes(300, 1));
        UserException e = assertThrows(UserException.class, () -> ImageFolderReader.read(dir));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }
}
