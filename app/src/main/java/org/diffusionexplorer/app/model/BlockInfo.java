package org.diffusionexplorer.app.model;

import java.util.List;

/**
 * One block of the UNet as the explorer draws it.
 *
 * @param id          "down_00".., "middle", "up_00".. (the names of the golden feature file)
 * @param section     where the block sits in the U
 * @param index       position within its section
 * @param kind        e.g. "ResBlock + attention", "Downsample"
 * @param inputShape  [B, C, H, W] going in (for output blocks: after concatenating the skip)
 * @param outputShape [B, C, H, W] coming out
 * @param skipFrom    for output blocks, the index of the input block whose output is concatenated; else -1
 * @param skipChannels channels that input block adds to the concatenation (0 when skipFrom is -1)
 * @param prefix      the reference's state_dict prefix, e.g. "output_blocks.3"
 */
public record BlockInfo(String id, Section section, int index, String kind, long[] inputShape, long[] outputShape,
        int skipFrom, long skipChannels, String prefix, List<Layer> layers) {

    public enum Section { INPUT, MIDDLE, OUTPUT }

    public long paramCount() {
        return layers.stream().mapToLong(Layer::paramCount).sum();
    }

    /** Channels of h arriving from below/left before the skip is concatenated (output blocks). */
    public long carriedChannels() {
        return inputShape[1] - skipChannels;
    }
}
