package org.diffusionexplorer.unet;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.nn.AttentionBlock;
import org.diffusionexplorer.nn.BuildContext;
import org.diffusionexplorer.nn.Conv2d;
import org.diffusionexplorer.nn.Downsample;
import org.diffusionexplorer.nn.Layer;
import org.diffusionexplorer.nn.Linear;
import org.diffusionexplorer.nn.OpRegistration;
import org.diffusionexplorer.nn.OutputHead;
import org.diffusionexplorer.nn.ParamSpec;
import org.diffusionexplorer.nn.ResBlock;
import org.diffusionexplorer.nn.SiLU;
import org.diffusionexplorer.nn.TimestepEmbedding;
import org.diffusionexplorer.nn.Upsample;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Lays out the reference UNetModel for a configuration (blocks, layers, parameter names, shapes)
 * without touching ND4J, and adds the whole network to a SameDiff graph.
 */
public final class UNetBuilder {

    /** A TimestepEmbedSequential of the reference (or the final "out" head). */
    public record Block(String name, String module, List<Layer> layers, int skipFrom, int inputChannels,
            int skipChannels) {
        public String kind() {
            return String.join("+", layers.stream().map(Layer::kind).toList());
        }

        public int outChannels() {
            return layers.get(layers.size() - 1).outChannels();
        }

        public int outSize() {
            return layers.get(layers.size() - 1).outSize();
        }

        public long parameterCount() {
            return layers.stream().mapToLong(Layer::parameterCount).sum();
        }

        /** [batch, C, H, W] of the block's output. */
        public long[] outputShape(long batch) {
            return new long[] {batch, outChannels(), outSize(), outSize()};
        }

        /** "up_00 (output_blocks.0) ResBlock+Attention out 64x8x8, 144384 params, skip from down_03 (64+64)". */
        public String describe() {
            return name + " (" + module + ") " + kind() + " out " + outChannels() + "x" + outSize() + "x" + outSize() + ", "
                    + parameterCount() + " params" + (skipFrom >= 0 ? String.format(", skip from down_%02d (%d+%d)", skipFrom,
                    inputChannels, skipChannels) : "");
        }
    }

    /** The structure of one model: every block in forward order and every parameter in state_dict order. */
    public record Layout(UNetConfig config, List<Block> inputBlocks, Block middle, List<Block> outputBlocks, Block out,
            List<ParamSpec> params) {
        public List<Block> allBlocks() {
            List<Block> all = new ArrayList<>(inputBlocks);
            all.add(middle);
            all.addAll(outputBlocks);
            all.add(out);
            return all;
        }
    }

    /** Names and outputs of one built graph. */
    public record Graph(SDVariable output, SDVariable timestepEmbedding, SDVariable timeEmbed,
            Map<String, SDVariable> activations) {}

    private UNetBuilder() {}

    public static Layout layout(UNetConfig cfg) {
        int c = cfg.modelChannels();
        int embDim = cfg.timeEmbedDim();
        double dropout = cfg.dropout();
        boolean ss = cfg.useScaleShiftNorm();
        List<ParamSpec> params = new ArrayList<>();
        params.addAll(Linear.params("time_embed.0", c, embDim));
        params.addAll(Linear.params("time_embed.2", embDim, embDim));
        if (cfg.classConditional()) params.add(ParamSpec.normal("label_emb.weight", cfg.numClasses(), embDim));

        List<Block> input = new ArrayList<>();
        int size = cfg.imageSize();
        input.add(new Block(downName(0), "input_blocks.0", List.of(Conv2d.layer("input_blocks.0.0", cfg.inChannels(), c, size)),
                -1, cfg.inChannels(), 0));
        List<Integer> skipChannels = new ArrayList<>(List.of(c));
        int ch = c;
        int ds = 1;
        for (int level = 0; level < cfg.levels(); level++) {
            int mult = cfg.channelMult().get(level);
            for (int r = 0; r < cfg.numResBlocks(); r++) {
                int i = input.size();
                String mod = "input_blocks." + i;
                List<Layer> layers = new ArrayList<>();
                layers.add(new ResBlock(mod + ".0", ch, mult * c, embDim, dropout, ss, size));
                int inCh = ch;
                ch = mult * c;
                if (cfg.attentionResolutions().contains(ds)) layers.add(new AttentionBlock(mod + ".1", ch, cfg.numHeads(), size));
                input.add(new Block(downName(i), mod, layers, -1, inCh, 0));
                skipChannels.add(ch);
            }
            if (level != cfg.levels() - 1) {
                int i = input.size();
                String mod = "input_blocks." + i;
                input.add(new Block(downName(i), mod, List.of(new Downsample(mod + ".0", ch, cfg.convResample(), size)), -1, ch, 0));
                skipChannels.add(ch);
                ds *= 2;
                size /= 2;
            }
        }

        Block middle = new Block("middle", "middle_block", List.of(
                new ResBlock("middle_block.0", ch, ch, embDim, dropout, ss, size),
                new AttentionBlock("middle_block.1", ch, cfg.numHeads(), size),
                new ResBlock("middle_block.2", ch, ch, embDim, dropout, ss, size)), -1, ch, 0);

        List<Block> output = new ArrayList<>();
        for (int level = cfg.levels() - 1; level >= 0; level--) {
            int mult = cfg.channelMult().get(level);
            for (int r = 0; r <= cfg.numResBlocks(); r++) {
                int i = output.size();
                String mod = "output_blocks." + i;
                int skipIndex = skipChannels.size() - 1;
                int skipCh = skipChannels.remove(skipIndex);
                List<Layer> layers = new ArrayList<>();
                layers.add(new ResBlock(mod + ".0", ch + skipCh, mult * c, embDim, dropout, ss, size));
                int inCh = ch;
                ch = mult * c;
                if (cfg.attentionResolutions().contains(ds)) {
                    layers.add(new AttentionBlock(mod + "." + layers.size(), ch, cfg.headsUpsample(), size));
                }
                if (level > 0 && r == cfg.numResBlocks()) {
                    layers.add(new Upsample(mod + "." + layers.size(), ch, cfg.convResample(), size));
                    ds /= 2;
                    size *= 2;
                }
                output.add(new Block(upName(i), mod, layers, skipIndex, inCh, skipCh));
            }
        }
        Block out = new Block("out", "out", List.of(new OutputHead("out", ch, cfg.outChannels(), size)), -1, ch, 0);

        // state_dict order: time_embed, label_emb, then the modules in registration (= forward) order
        List<Block> all = new ArrayList<>(input);
        all.add(middle);
        all.addAll(output);
        all.add(out);
        for (Block b : all) for (Layer layer : b.layers()) params.addAll(layer.params());
        return new Layout(cfg, List.copyOf(input), middle, List.copyOf(output), out, List.copyOf(params));
    }

    static String downName(int i) {
        return String.format("down_%02d", i);
    }

    static String upName(int i) {
        return String.format("up_%02d", i);
    }

    /**
     * Adds the network to {@code sd}: placeholders "x" [N, in, H, W] and "t" [N] of {@code dtype},
     * "y" [N] INT64 when class-conditional; one variable per parameter, named as in the reference and
     * backed by the given (live, shared) array. Block outputs are named like the activations.
     */
    public static Graph build(Layout layout, SameDiff sd, DataType dtype, Map<String, INDArray> arrays, boolean training) {
        UNetConfig cfg = layout.config();
        if (training) OpRegistration.forDifferentiation(); // a training graph is differentiated
        Map<String, SDVariable> vars = new LinkedHashMap<>();
        for (ParamSpec p : layout.params()) vars.put(p.name(), sd.var(p.name(), arrays.get(p.name())));
        BuildContext ctx = new BuildContext(sd, dtype, vars, training);

        int size = cfg.imageSize();
        SDVariable x = sd.placeHolder("x", dtype, -1, cfg.inChannels(), size, size);
        SDVariable t = sd.placeHolder("t", dtype, -1);
        SDVariable tEmb = TimestepEmbedding.apply(sd, t, cfg.modelChannels(), dtype).rename("timestep_embedding");
        SDVariable emb = Linear.apply(ctx, "time_embed.0", tEmb);
        emb = Linear.apply(ctx, "time_embed.2", SiLU.apply(ctx, emb)).rename("time_embed");
        SDVariable timeEmbed = emb;
        if (cfg.classConditional()) {
            SDVariable y = sd.placeHolder("y", DataType.INT64, -1);
            // nn.Embedding as one_hot(y) x W: the backward of gather fails in M2.1 ("assign ... did not
            // match expected shape") for some label batches; a [N, classes] matmul is cheap and exact.
            SDVariable oneHot = sd.oneHot(y, cfg.numClasses(), -1, 1.0, 0.0, dtype);
            emb = emb.add(sd.mmul(oneHot, ctx.param("label_emb.weight")));
        }

        Map<String, SDVariable> acts = new LinkedHashMap<>();
        Deque<SDVariable> skips = new ArrayDeque<>();
        SDVariable h = x;
        for (Block b : layout.inputBlocks()) {
            h = applyBlock(ctx, b, h, emb);
            acts.put(b.name(), h);
            skips.push(h);
        }
        h = applyBlock(ctx, layout.middle(), h, emb);
        acts.put("middle", h);
        for (Block b : layout.outputBlocks()) {
            h = applyBlock(ctx, b, sd.concat(1, h, skips.pop()), emb);
            acts.put(b.name(), h);
        }
        h = applyBlock(ctx, layout.out(), h, emb);
        acts.put("out", h);
        return new Graph(h, tEmb, timeEmbed, acts);
    }

    private static SDVariable applyBlock(BuildContext ctx, Block b, SDVariable h, SDVariable emb) {
        for (Layer layer : b.layers()) h = layer.apply(ctx, h, emb);
        return h.rename(b.name());
    }
}
