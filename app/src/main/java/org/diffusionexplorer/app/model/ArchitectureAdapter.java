package org.diffusionexplorer.app.model;

import java.util.ArrayList;
import java.util.List;
import org.diffusionexplorer.nn.AttentionBlock;
import org.diffusionexplorer.nn.Downsample;
import org.diffusionexplorer.nn.OutputHead;
import org.diffusionexplorer.nn.ParamSpec;
import org.diffusionexplorer.nn.ResBlock;
import org.diffusionexplorer.nn.Upsample;
import org.diffusionexplorer.unet.UNetBuilder;
import org.diffusionexplorer.unet.UNetConfig;

/**
 * The explorer's picture of a UNet, read off the model module's own layout ({@link UNetBuilder#layout}):
 * blocks, channels, sizes, skips and every parameter name and shape come from there, so the diagram
 * is always the network that trains. This class only splits each module into the parts the reference
 * names (in_layers, emb_layers, qkv, ...) and describes them in words, taking the channel counts from
 * the parameter shapes. No SameDiff graph is built, so even the CIFAR-10 model appears instantly.
 */
public final class ArchitectureAdapter {
    private final UNetConfig cfg;
    private final long batch;

    private ArchitectureAdapter(UNetConfig cfg, long batch) {
        this.cfg = cfg;
        this.batch = batch;
    }

    public static Architecture describe(UNetConfig cfg, long batch) {
        return from(UNetBuilder.layout(cfg), batch);
    }

    public static Architecture from(UNetBuilder.Layout layout, long batch) {
        return new ArchitectureAdapter(layout.config(), batch).build(layout);
    }

    private Architecture build(UNetBuilder.Layout layout) {
        List<Layer> timeEmbed = new ArrayList<>();
        List<Param> te = params(layout.params(), "time_embed.");
        long[] w0 = weight(te, "time_embed.0"), w2 = weight(te, "time_embed.2");
        timeEmbed.add(new Layer("time_embed", linear(w0) + " -> SiLU -> " + linear(w2), new long[] {batch, w2[0]}, te));
        List<Param> label = params(layout.params(), "label_emb.");
        if (!label.isEmpty()) {
            long[] w = weight(label, "label_emb");
            timeEmbed.add(new Layer("label_emb", "Embedding(" + w[0] + ", " + w[1] + "), added to the time embedding",
                    new long[] {batch, w[1]}, label));
        }

        // Each block's input has the size of the previous block's output.
        int size = cfg.imageSize();
        List<BlockInfo> inputs = new ArrayList<>();
        for (UNetBuilder.Block b : layout.inputBlocks()) {
            inputs.add(block(b, BlockInfo.Section.INPUT, inputs.size(), size));
            size = b.outSize();
        }
        BlockInfo middle = block(layout.middle(), BlockInfo.Section.MIDDLE, 0, size);
        size = layout.middle().outSize();
        List<BlockInfo> outputs = new ArrayList<>();
        for (UNetBuilder.Block b : layout.outputBlocks()) {
            outputs.add(block(b, BlockInfo.Section.OUTPUT, outputs.size(), size));
            size = b.outSize();
        }
        List<Layer> head = parts(layout.out());
        return new Architecture(cfg, List.copyOf(inputs), middle, List.copyOf(outputs), List.copyOf(timeEmbed), head);
    }

    private BlockInfo block(UNetBuilder.Block b, BlockInfo.Section section, int index, int inSize) {
        // For output blocks the input is the carried h concatenated with the skip.
        long[] in = shape(b.inputChannels() + b.skipChannels(), inSize);
        return new BlockInfo(b.name(), section, index, kind(b), in, shape(b.outChannels(), b.outSize()), b.skipFrom(),
                b.skipChannels(), b.module(), parts(b));
    }

    /** "ResBlock + attention + Upsample" from the model's layer kinds. */
    private static String kind(UNetBuilder.Block b) {
        return String.join(" + ", b.layers().stream().map(l -> switch (l.kind()) {
            case "Attention" -> "attention";
            case "conv" -> "conv 3x3";
            default -> l.kind();
        }).toList());
    }

    private List<Layer> parts(UNetBuilder.Block b) {
        List<Layer> out = new ArrayList<>();
        for (org.diffusionexplorer.nn.Layer l : b.layers()) {
            List<Param> ps = params(l.params(), "");
            List<Layer> parts = parts(l, ps);
            long shown = parts.stream().mapToLong(p -> p.params().size()).sum();
            if (shown != ps.size()) {
                throw new IllegalStateException(b.name() + ": " + l.kind() + " has " + ps.size() + " tensors, the explorer shows " + shown);
            }
            out.addAll(parts);
        }
        return List.copyOf(out);
    }

    /** One model layer as the parts the reference names, in state_dict order. */
    private List<Layer> parts(org.diffusionexplorer.nn.Layer l, List<Param> ps) {
        long[] out = shape(l.outChannels(), l.outSize());
        if (l instanceof ResBlock) return resBlock(ps, out);
        if (l instanceof AttentionBlock a) return attention(ps, out, a.heads(), l.outSize());
        if (l instanceof Downsample) {
            return List.of(ps.isEmpty() ? new Layer("op", "AvgPool 2x2", out, List.of())
                    : new Layer("op", conv(weight(ps, "op"), " stride 2 ", ""), out, ps));
        }
        if (l instanceof Upsample) {
            return List.of(ps.isEmpty() ? new Layer("upsample", "nearest x2", out, List.of())
                    : new Layer("conv", "nearest x2 -> " + conv(weight(ps, "conv")), out, ps));
        }
        if (l instanceof OutputHead) {
            return List.of(new Layer("out", norm(weight(ps, "0")) + " -> SiLU -> " + conv(weight(ps, "2")), out, ps));
        }
        if (l.kind().equals("conv")) return List.of(new Layer("conv", conv(weight(ps, "")), out, ps));
        throw new IllegalStateException("the explorer cannot show a " + l.kind() + " layer");
    }

    private List<Layer> resBlock(List<Param> ps, long[] out) {
        List<Param> in = part(ps, "in_layers"), emb = part(ps, "emb_layers"), o = part(ps, "out_layers"), skip = part(ps, "skip_connection");
        List<Layer> l = new ArrayList<>();
        l.add(new Layer("in_layers", norm(weight(in, "in_layers.0")) + " -> SiLU -> " + conv(weight(in, "in_layers.2")), out, in));
        long[] e = weight(emb, "emb_layers.1");
        String what = cfg.useScaleShiftNorm() ? " (scale and shift for GroupNorm)" : " (added to every pixel)";
        l.add(new Layer("emb_layers", "SiLU -> " + linear(e) + what, new long[] {batch, e[0]}, emb));
        l.add(new Layer("out_layers", norm(weight(o, "out_layers.0")) + " -> SiLU -> Dropout(" + cfg.dropout() + ") -> "
                + conv(weight(o, "out_layers.3"), "", ", zero-init"), out, o));
        l.add(skip.isEmpty() ? new Layer("skip_connection", "identity, added to out_layers", out, List.of())
                : new Layer("skip_connection", conv(weight(skip, "skip_connection")) + ", added to out_layers", out, skip));
        return l;
    }

    private List<Layer> attention(List<Param> ps, long[] out, int heads, int size) {
        List<Param> qkv = part(ps, "qkv");
        long[] w = weight(qkv, "qkv");
        long ch = w[1], t = (long) size * size;
        return List.of(
                new Layer("norm", norm(weight(ps, "norm")), out, part(ps, "norm")),
                new Layer("qkv", "Conv1d 1x1(" + ch + " -> " + w[0] + "), " + heads + " head(s) of " + ch / heads
                        + " channels over " + t + " positions", new long[] {batch, w[0], t}, qkv),
                new Layer("proj_out", "Conv1d 1x1(" + ch + " -> " + weight(ps, "proj_out")[0] + ", zero-init), added to the input",
                        out, part(ps, "proj_out")));
    }

    /** The parameters whose names start with {@code prefix}, as the app shows them. */
    private static List<Param> params(List<ParamSpec> specs, String prefix) {
        return specs.stream().filter(p -> p.name().startsWith(prefix)).map(p -> new Param(p.name(), p.shape())).toList();
    }

    /** The tensors of sub-module {@code name} (e.g. "in_layers") of a layer. */
    private static List<Param> part(List<Param> ps, String name) {
        return ps.stream().filter(p -> p.name().contains("." + name + ".")).toList();
    }

    /** The shape of the weight of the sub-module whose name ends with {@code module} ("" = the layer's own). */
    private static long[] weight(List<Param> ps, String module) {
        String suffix = module.isEmpty() ? ".weight" : "." + module + ".weight";
        return ps.stream().filter(p -> p.name().endsWith(suffix) || p.name().equals(module + ".weight")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + module + ".weight among " + ps)).shape();
    }

    /** nn.Linear from its [out, in] weight. */
    private static String linear(long[] w) {
        return "Linear(" + w[1] + " -> " + w[0] + ")";
    }

    /** nn.Conv2d from its [out, in, k, k] weight. */
    private static String conv(long[] w) {
        return conv(w, "", "");
    }

    /** nn.Conv2d from its weight, with words after the kernel size and after the channels. */
    private static String conv(long[] w, String afterKernel, String afterChannels) {
        return "Conv" + w[2] + "x" + w[3] + afterKernel + "(" + w[1] + " -> " + w[0] + afterChannels + ")";
    }

    /** GroupNorm from its [C] weight. */
    private static String norm(long[] w) {
        return "GroupNorm(" + UNetConfig.NORM_GROUPS + ", " + w[0] + ")";
    }

    private long[] shape(long ch, long h) {
        return new long[] {batch, ch, h, h};
    }
}
