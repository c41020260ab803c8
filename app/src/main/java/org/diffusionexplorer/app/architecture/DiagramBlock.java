package org.diffusionexplorer.app.architecture;

import java.util.List;
import org.diffusionexplorer.nn.ParamSpec;
import org.diffusionexplorer.unet.UNetBuilder;

/**
 * One block of the UNet as the diagram draws it: the model's own description of the block
 * ({@link UNetBuilder.Block}: name, module, layers, skip, channels, parameters) plus where it sits
 * in the U, its shapes for a batch, and its layers split into the parts the reference names.
 *
 * @param source  the block as the model lays it out
 * @param section where the block sits in the U
 * @param index   position within its section
 * @param batch   the batch size the shapes are given for
 * @param inSize  side length of the block's input (that of the block before it)
 * @param layers  the parts the reference names (in_layers, emb_layers, qkv, ...), in state_dict order
 */
public record DiagramBlock(UNetBuilder.Block source, Section section, int index, long batch, int inSize, List<Part> layers) {

    public enum Section { INPUT, MIDDLE, OUTPUT }

    /**
     * A named part of a block as the reference names it (in_layers, emb_layers, out_layers,
     * skip_connection, qkv, proj_out, op, conv, ...), what it does, and the shape it produces.
     */
    public record Part(String name, String description, long[] outputShape, List<ParamSpec> params) {
        public long paramCount() {
            return params.stream().mapToLong(ParamSpec::numel).sum();
        }
    }

    /** "down_00".., "middle", "up_00".. (the names of the golden feature file and of the model's activations). */
    public String id() {
        return source.name();
    }

    /** The reference's state_dict prefix, e.g. "output_blocks.3". */
    public String prefix() {
        return source.module();
    }

    /** "ResBlock + attention + Upsample" from the model's layer kinds. */
    public String kind() {
        return String.join(" + ", source.layers().stream().map(l -> switch (l.kind()) {
            case "Attention" -> "attention";
            case "conv" -> "conv 3x3";
            default -> l.kind();
        }).toList());
    }

    /** [B, C, H, W] going in; for output blocks after concatenating the skip. */
    public long[] inputShape() {
        return new long[] {batch, source.inputChannels() + source.skipChannels(), inSize, inSize};
    }

    public long[] outputShape() {
        return source.outputShape(batch);
    }

    /** For output blocks, the index of the input block whose output is concatenated; else -1. */
    public int skipFrom() {
        return source.skipFrom();
    }

    /** Channels that input block adds to the concatenation (0 when skipFrom is -1). */
    public long skipChannels() {
        return source.skipChannels();
    }

    /** Channels of h arriving from below/left before the skip is concatenated (output blocks). */
    public long carriedChannels() {
        return source.inputChannels();
    }

    public long paramCount() {
        return source.parameterCount();
    }
}
