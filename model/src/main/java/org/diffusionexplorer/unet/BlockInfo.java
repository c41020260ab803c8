package org.diffusionexplorer.unet;

import java.util.Arrays;

/**
 * One block of the UNet in forward order, for display.
 *
 * @param name activation name: "down_00".., "middle", "up_00".., "out"
 * @param module the reference module path, e.g. "input_blocks.3" or "output_blocks.0"
 * @param kind the layers of the block joined by '+', e.g. "ResBlock+Attention+Upsample"
 * @param outputShape [B, C, H, W]
 * @param parameterCount trainable parameters inside the block
 * @param skipFrom for output blocks: index of the input block (input_blocks.i / down_ii) whose
 *                 output is concatenated to the block's input; -1 otherwise
 * @param inputChannels channels arriving from the previous block (before the concatenation)
 * @param skipChannels channels of the concatenated skip (0 when there is none)
 */
public record BlockInfo(String name, String module, String kind, long[] outputShape, long parameterCount,
        int skipFrom, int inputChannels, int skipChannels) {

    public BlockInfo {
        outputShape = outputShape.clone();
    }

    @Override
    public long[] outputShape() {
        return outputShape.clone();
    }

    /** Channels the block's first layer sees (inputChannels + skipChannels). */
    public int concatenatedChannels() {
        return inputChannels + skipChannels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockInfo b && b.name.equals(name) && b.module.equals(module) && b.kind.equals(kind)
                && Arrays.equals(b.outputShape, outputShape) && b.parameterCount == parameterCount
                && b.skipFrom == skipFrom && b.inputChannels == inputChannels && b.skipChannels == skipChannels;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(outputShape);
    }

    @Override
    public String toString() {
        return name + " (" + module + ") " + kind + " " + Arrays.toString(outputShape) + " params=" + parameterCount
                + (skipFrom >= 0 ? " skip<-down_" + String.format("%02d", skipFrom) + " (" + inputChannels + "+" + skipChannels + ")" : "");
    }
}
