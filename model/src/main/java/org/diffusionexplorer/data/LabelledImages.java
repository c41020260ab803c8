package org.diffusionexplorer.data;

import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * What the datasets share: their options, and class labels made the reference's way from one
 * class name per image (classes sorted, label = index of the image's class).
 */
abstract class LabelledImages implements ImageDataset {
    protected final DatasetOptions options;
    private final List<String> classNames;
    private final int[] labels; // null when unlabelled

    /** @param classOfImage one class name per image, in dataset order; used only with classLabels() */
    protected LabelledImages(DatasetOptions options, List<String> classOfImage, Comparator<String> order) {
        this.options = options;
        if (options.classLabels()) {
            TreeSet<String> names = new TreeSet<>(order);
            names.addAll(classOfImage);
            this.classNames = List.copyOf(names);
            this.labels = new int[classOfImage.size()];
            for (int i = 0; i < labels.length; i++) labels[i] = classNames.indexOf(classOfImage.get(i));
        } else {
            this.classNames = List.of();
            this.labels = null;
        }
    }

    @Override
    public int imageSize() {
        return options.size();
    }

    @Override
    public int channels() {
        return options.channels();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int i) {
        return labels == null ? -1 : labels[i];
    }
}
