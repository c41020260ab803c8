package org.diffusionexplorer.app.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.diffusionexplorer.unet.UNetConfig;

/**
 * Works out the reference UNet's blocks, layer shapes and parameter names from a config alone,
 * following REFERENCE.md section 2. Shape arithmetic needs no SameDiff graph, so the diagram of
 * even the 52M-parameter CIFAR-10 model appears instantly. (Adapter inside the app: the unet
 * branch's UNetModel.blocks() was not available yet; tests check this against the golden files.)
 */
public final class ArchitectureBuilder {
    private final UNetConfig cfg;
    private final long batch;
    private final int emb;

    private ArchitectureBuilder(UNetConfig cfg, long batch) {
        this.cfg = cfg;
        this.batch = batch;
        this.emb = cfg.timeEmbedDim();
    }

    public static Architecture describe(UNetConfig cfg, long batch) {
        return new ArchitectureBuilder(cfg, batch).build();
    }

    private Architecture build() {
        int c = cfg.modelChannels();
        List<Layer> timeEmbed = new ArrayList<>();
        timeEmbed.add(new Layer("time_embed", "Linear(" + c + " -> " + emb + ") -> SiLU -> Linear(" + emb + " -> " + emb + ")",
                new long[] {batch, emb}, List.of(p("time_embed.0.weight", emb, c), p("time_embed.0.bias", emb),
                        p("time_embed.2.weight", emb, emb), p("time_embed.2.bias", emb))));
        if (cfg.classConditional()) {
            timeEmbed.add(new Layer("label_emb", "Embedding(" + cfg.numClasses() + ", " + emb + "), added to the time embedding",
                    new long[] {batch, emb}, List.of(p("label_emb.weight", cfg.numClasses(), emb))));
        }

        int h = cfg.imageSize();
        int ch = c;
        int ds = 1;
        Deque<Integer> skips = new ArrayDeque<>();
        List<BlockInfo> inputs = new ArrayList<>();
        String pre0 = "input_blocks.0";
        inputs.add(block("down_00", BlockInfo.Section.INPUT, 0, "conv 3x3", shape(cfg.inChannels(), h), shape(ch, h), -1, 0, pre0,
                List.of(new Layer("conv", "Conv3x3(" + cfg.inChannels() + " -> " + ch + ")", shape(ch, h),
                        List.of(p(pre0 + ".0.weight", ch, cfg.inChannels(), 3, 3), p(pre0 + ".0.bias", ch))))));
        skips.push(ch);
        for (int level = 0; level < cfg.levels(); level++) {
            int out = cfg.channelMult().get(level) * c;
            for (int r = 0; r < cfg.numResBlocks(); r++) {
                String prefix = "input_blocks." + inputs.size();
                List<Layer> layers = new ArrayList<>(resBlock(prefix + ".0", ch, out, h));
                boolean attn = cfg.attentionResolutions().contains(ds);
                if (attn) layers.addAll(attention(prefix + ".1", out, h, cfg.numHeads()));
                long[] in = shape(ch, h);
                ch = out;
                inputs.add(block(id("down", inputs.size()), BlockInfo.Section.INPUT, inputs.size(),
                        attn ? "ResBlock + attention" : "ResBlock", in, shape(ch, h), -1, 0, prefix, layers));
                skips.push(ch);
            }
            if (level != cfg.levels() - 1) {
                String prefix = "input_blocks." + inputs.size();
                long[] in = shape(ch, h);
                h /= 2;
                ds *= 2;
                inputs.add(block(id("down", inputs.size()), BlockInfo.Section.INPUT, inputs.size(), "Downsample", in, shape(ch, h),
                        -1, 0, prefix, List.of(downsample(prefix + ".0", ch, h))));
                skips.push(ch);
            }
        }

        List<Layer> mid = new ArrayList<>(resBlock("middle_block.0", ch, ch, h));
        mid.addAll(attention("middle_block.1", ch, h, cfg.numHeads()));
        mid.addAll(resBlock("middle_block.2", ch, ch, h));
        BlockInfo middle = block("middle", BlockInfo.Section.MIDDLE, 0, "ResBlock + attention + ResBlock", shape(ch, h),
                shape(ch, h), -1, 0, "middle_block", mid);

        List<BlockInfo> outputs = new ArrayList<>();
        int nInputs = inputs.size();
        for (int level = cfg.levels() - 1; level >= 0; level--) {
            int out = cfg.channelMult().get(level) * c;
            for (int i = 0; i <= cfg.numResBlocks(); i++) {
                int j = outputs.size();
                String prefix = "output_blocks." + j;
                int skip = skips.pop();
                long[] in = shape(ch + skip, h);
                List<Layer> layers = new ArrayList<>(resBlock(prefix + ".0", ch + skip, out, h));
                ch = out;
                StringBuilder kind = new StringBuilder("ResBlock");
                boolean attn = cfg.attentionResolutions().contains(ds);
                if (attn) {
                    layers.addAll(attention(prefix + ".1", ch, h, cfg.headsUpsample()));
                    kind.append(" + attention");
                }
                if (level > 0 && i == cfg.numResBlocks()) {
                    h *= 2;
                    ds /= 2;
                    layers.add(upsample(prefix + "." + (attn ? 2 : 1), ch, h));
                    kind.append(" + Upsample");
                }
                // The stack pops in reverse: output block j concatenates input block (nInputs - 1 - j).
                outputs.add(block(id("up", j), BlockInfo.Section.OUTPUT, j, kind.toString(), in, shape(ch, h),
                        nInputs - 1 - j, skip, prefix, layers));
            }
        }

        List<Layer> head = List.of(new Layer("out", "GroupNorm(32, " + ch + ") -> SiLU -> Conv3x3(" + ch + " -> "
                + cfg.outChannels() + ")", shape(cfg.outChannels(), h),
                List.of(p("out.0.weight", ch), p("out.0.bias", ch), p("out.2.weight", cfg.outChannels(), ch, 3, 3),
                        p("out.2.bias", cfg.outChannels()))));
        return new Architecture(cfg, List.copyOf(inputs), middle, List.copyOf(outputs), List.copyOf(timeEmbed), head);
    }

    private List<Layer> resBlock(String prefix, int ch, int out, int h) {
        List<Layer> l = new ArrayList<>();
        l.add(new Layer("in_layers", "GroupNorm(32, " + ch + ") -> SiLU -> Conv3x3(" + ch + " -> " + out + ")", shape(out, h),
                List.of(p(prefix + ".in_layers.0.weight", ch), p(prefix + ".in_layers.0.bias", ch),
                        p(prefix + ".in_layers.2.weight", out, ch, 3, 3), p(prefix + ".in_layers.2.bias", out))));
        int e = cfg.useScaleShiftNorm() ? 2 * out : out;
        String what = cfg.useScaleShiftNorm() ? " (scale and shift for GroupNorm)" : " (added to every pixel)";
        l.add(new Layer("emb_layers", "SiLU -> Linear(" + emb + " -> " + e + ")" + what, new long[] {batch, e},
                List.of(p(prefix + ".emb_layers.1.weight", e, emb), p(prefix + ".emb_layers.1.bias", e))));
        l.add(new Layer("out_layers", "GroupNorm(32, " + out + ") -> SiLU -> Dropout(" + cfg.dropout() + ") -> Conv3x3("
                + out + " -> " + out + ", zero-init)", shape(out, h),
                List.of(p(prefix + ".out_layers.0.weight", out), p(prefix + ".out_layers.0.bias", out),
                        p(prefix + ".out_layers.3.weight", out, out, 3, 3), p(prefix + ".out_layers.3.bias", out))));
        if (ch != out) {
            l.add(new Layer("skip_connection", "Conv1x1(" + ch + " -> " + out + "), added to out_layers", shape(out, h),
                    List.of(p(prefix + ".skip_connection.weight", out, ch, 1, 1), p(prefix + ".skip_connection.bias", out))));
        } else {
            l.add(new Layer("skip_connection", "identity, added to out_layers", shape(out, h), List.of()));
        }
        return l;
    }

    private List<Layer> attention(String prefix, int ch, int h, int heads) {
        long t = (long) h * h;
        return List.of(
                new Layer("norm", "GroupNorm(32, " + ch + ")", shape(ch, h),
                        List.of(p(prefix + ".norm.weight", ch), p(prefix + ".norm.bias", ch))),
                new Layer("qkv", "Conv1d 1x1(" + ch + " -> " + 3 * ch + "), " + heads + " head(s) of " + ch / heads
                        + " channels over " + t + " positions", new long[] {batch, 3L * ch, t},
                        List.of(p(prefix + ".qkv.weight", 3 * ch, ch, 1), p(prefix + ".qkv.bias", 3 * ch))),
                new Layer("proj_out", "Conv1d 1x1(" + ch + " -> " + ch + ", zero-init), added to the input", shape(ch, h),
                        List.of(p(prefix + ".proj_out.weight", ch, ch, 1), p(prefix + ".proj_out.bias", ch))));
    }

    private Layer downsample(String prefix, int ch, int hOut) {
        if (cfg.convResample()) {
            return new Layer("op", "Conv3x3 stride 2 (" + ch + " -> " + ch + ")", shape(ch, hOut),
                    List.of(p(prefix + ".op.weight", ch, ch, 3, 3), p(prefix + ".op.bias", ch)));
        }
        return new Layer("op", "AvgPool 2x2", shape(ch, hOut), List.of());
    }

    private Layer upsample(String prefix, int ch, int hOut) {
        if (cfg.convResample()) {
            return new Layer("conv", "nearest x2 -> Conv3x3(" + ch + " -> " + ch + ")", shape(ch, hOut),
                    List.of(p(prefix + ".conv.weight", ch, ch, 3, 3), p(prefix + ".conv.bias", ch)));
        }
        return new Layer("upsample", "nearest x2", shape(ch, hOut), List.of());
    }

    private BlockInfo block(String id, BlockInfo.Section s, int index, String kind, long[] in, long[] out, int skipFrom,
            long skipCh, String prefix, List<Layer> layers) {
        return new BlockInfo(id, s, index, kind, in, out, skipFrom, skipCh, prefix, List.copyOf(layers));
    }

    private long[] shape(long ch, long h) {
        return new long[] {batch, ch, h, h};
    }

    private static Param p(String name, long... shape) {
        return new Param(name, shape);
    }

    private static String id(String side, int i) {
        return String.format("%s_%02d", side, i);
    }
}
