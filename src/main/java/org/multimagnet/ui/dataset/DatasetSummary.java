package org.multimagnet.ui.dataset;

import java.util.List;

/**
 * What the dataset pane shows about a loaded dataset, as plain values.
 *
 * @param name        the source
 * @param format      the reader
 * @param shape       e.g. {@code 28×28×1}
 * @param size        number of images
 * @param classNames  class names in label order
 * @param classCounts images per class
 * @param splitRule   how the split was made
 * @param train       |Tr|
 * @param validation  |V_leg|
 * @param test        |Te|
 */
public record DatasetSummary(String name, String format, String shape, int size, List<String> classNames,
                             int[] classCounts, String splitRule, int train, int validation, int test) {
    public DatasetSummary {
        classNames = List.copyOf(classNames);
    }
}
