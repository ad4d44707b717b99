package org.multimagnet.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a dataset holds, for reports and the command line's {@code data info}: size, image shape, classes with
 * their counts, and the paper's split.
 *
 * @param source     the source string it was loaded from
 * @param format     the reader ({@code idx}, {@code cifar10-binary}, {@code image-folder})
 * @param images     number of images
 * @param height     rows per image
 * @param width      columns per image
 * @param channels   1 (grey) or 3 (RGB)
 * @param classes    number of classes
 * @param classNames class names in label order
 * @param perClass   images per class, by class name, in label order
 * @param trainCount images from a training file, or -1 for a single pool
 * @param split      sizes of Tr, V_leg and Te
 * @param splitRule  which split rule was used and why
 */
public record DatasetSummary(String source, String format, int images, int height, int width, int channels,
                             int classes, List<String> classNames, Map<String, Integer> perClass, int trainCount,
                             SplitSizes split, String splitRule) {

    /**
     * Sizes of the paper's three parts.
     *
     * @param train      |Tr|
     * @param validation |V_leg|
     * @param test       |Te|
     */
    public record SplitSizes(int train, int validation, int test) {
    }

    /** Summarises a dataset and its paper split ({@link Splits#paper}). */
    public static DatasetSummary of(Dataset d, Split s) {
        Map<String, Integer> perClass = new LinkedHashMap<>();
        int[] counts = d.classCounts();
        for (int c = 0; c < counts.length; c++) {
            // class names could repeat in a hand-written name file; keep every count visible
            String key = perClass.containsKey(d.classNames().get(c)) ? d.classNames().get(c) + " (" + c + ")"
                    : d.classNames().get(c);
            perClass.put(key, counts[c]);
        }
        return new DatasetSummary(d.name(), d.format(), d.size(), d.shape().height(), d.shape().width(),
                d.shape().channels(), d.classCount(), d.classNames(), perClass, d.trainCount(),
                new SplitSizes(s.train().length, s.validation().length, s.test().length), s.rule());
    }
}
