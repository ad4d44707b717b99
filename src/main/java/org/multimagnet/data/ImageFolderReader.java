package org.multimagnet.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.multimagnet.common.UserException;

/**
 * Reads a folder with one sub-folder per class (sub-folder names, sorted, are the class names and give the labels
 * in that order), each holding PNG, JPEG, BMP or GIF files (read in name order). The first image fixes the
 * dataset's shape (grey or RGB, its height and width); every other image is converted to it by the rules of
 * {@link ImageFiles}.
 */
public final class ImageFolderReader {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private ImageFolderReader() {
    }

    /**
     * Reads an image folder.
     *
     * @throws UserException naming the folder or the image when it is not a folder of class folders or an image is
     *                       bad
     */
    public static Dataset read(Path dir) {
        List<Path> classDirs = list(dir).stream().filter(Files::isDirectory)
                .filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path c : classDirs) {
            List<Path> images = list(c).stream().filter(ImageFolderReader::isImageName)
                    .filter(Files::isRegularFile).toList();
            if (images.isEmpty()) {
                continue;
            }
            for (Path f : images) {
                files.add(f);
                labels.add(names.size());
            }
            names.add(c.getFileName().toString());
        }
        if (files.isEmpty()) {
            throw UserException.badFile(dir, "holds no class folder with images (expected one sub-folder per "
                    + "class holding PNG, JPEG, BMP or GIF files)");
        }
        ImageFiles.Decoded first = ImageFiles.decode(files.get(0));
        ImageShape shape = first.shape();
        FileBytes.checkMemory(dir, (long) files.size() * shape.size() * 4, "reading " + files.size() + " images of "
                + shape);
        if ((long) files.size() * shape.size() > FileBytes.MAX_ARRAY) {
            throw UserException.badFile(dir, files.size() + " images of " + shape + " are more than one array holds");
        }
        float[] pixels = new float[files.size() * shape.size()];
        int[] l = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            ImageFiles.Decoded d = i == 0 ? first : ImageFiles.decode(files.get(i));
            ImageFiles.LoadedImage im = ImageFiles.convert(files.get(i), d, shape);
            System.arraycopy(im.pixels(), 0, pixels, i * shape.size(), shape.size());
            l[i] = labels.get(i);
        }
        return new Dataset(dir.toString(), "image-folder", shape, pixels, l, names, -1);
    }

    /** @return whether the folder looks like an image folder (some sub-folder holds an image file) */
    static boolean isImageFolder(Path dir) {
        for (Path c : list(dir)) {
            if (Files.isDirectory(c)) {
                try (Stream<Path> s = Files.list(c)) {
                    if (s.anyMatch(ImageFolderReader::isImageName)) {
                        return true;
                    }
                } catch (IOException e) {
                    throw FileBytes.cannotRead(c, e);
                }
            }
        }
        return false;
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw FileBytes.cannotRead(dir, e);
        }
    }
}
