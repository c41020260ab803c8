package org.diffusionexplorer.app.architecture;

import java.util.ArrayList;
import java.util.List;
import org.diffusionexplorer.nn.ParamSpec;
import org.diffusionexplorer.unet.UNetBuilder;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.app.architecture.DiagramBlock.Part;

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
        List<Part> timeEmbed = new ArrayList<>();
        List<ParamSpec> te = params(layout.params(), "time_embed.");
        long[] w0 = weight(te, "time_embed.0"), w2 = weight(te, "time_embed.2");
        timeEmbed.add(new Part("time_embed", linear(w0) + " -> SiLU -> " + linear(w2), new long[] {batch, w2[0]}, te));
        List<ParamSpec> label = params(layout.params(), "label_emb.");
        if (!label.isEmpty()) {
            long[] w = weight(label, "label_emb");
            timeEmbed.add(new Part("label_emb", "Embedding(" + w[0] + ", " + w[1] + "), added to the time embedding",
                    new long[] {batch, w[1]}, label));
        }

        // Each block's input has the size of the previous block's output.
        int size = cfg.imageSize();
        List<DiagramBlock> inputs = new ArrayList<>();
        for (UNetBuilder.Block b : layout.inputBlocks()) {
            inputs.add(block(b, DiagramBlock.Section.INPUT, inputs.size(), size));
            size = b.outSize();
        }
        DiagramBlock middle = block(layout.middle(), DiagramBlock.Section.MIDDLE, 0, size);
        size = layout.middle().outSize();
        List<DiagramBlock> outputs = new ArrayList<>();
        for (UNetBuilder.Block b : layout.outputBlocks()) {
            outputs.add(block(b, DiagramBlock.Section.OUTPUT, outputs.size(), size));
            size = b.outSize();
        }
        List<Part> head = parts(layout.out());
        return new Architecture(cfg, List.copyOf(inputs), middle, List.copyOf(outputs), List.copyOf(timeEmbed), head);
    }

    private DiagramBlock block(UNetBuilder.Block b, DiagramBlock.Section section, int index, int inSize) {
        return new DiagramBlock(b, section, index, batch, inSize, parts(b));
    }

    private List<Part> parts(UNetBuilder.Block b) {
        List<Part> out = new ArrayList<>();
        for (org.diffusionexplorer.nn.Layer l : b.layers()) {
            List<ParamSpec> ps = params(l.params(), "");
            List<Part> parts = parts(l, ps, b.module().startsWith("output_blocks"));
            long shown = parts.stream().mapToLong(p -> p.params().size()).sum();
            if (shown != ps.size()) {
                throw new IllegalStateException(b.name() + ": " + l.kind() + " has " + ps.size() + " tensors, the explorer shows " + shown);
            }
            out.addAll(parts);
        }
        return List.copyOf(out);
    }

    /**
     * One model layer as the parts the reference names, in state_dict order. Dispatches on the kind the
     * model gives its layers (the same word the diagram shows); the attention's head count comes from
     * the config (num_heads going down and in the middle, num_heads_upsample coming up).
     */
    private List<Part> parts(org.diffusionexplorer.nn.Layer l, List<ParamSpec> ps, boolean up) {
        long[] out = shape(l.outChannels(), l.outSize());
        switch (l.kind()) {
            case "ResBlock":
                return resBlock(ps, out);
            case "Attention":
                return attention(ps, out, up ? cfg.headsUpsample() : cfg.numHeads(), l.outSize());
            case "Downsample":
                return List.of(ps.isEmpty() ? new Part("op", "AvgPool 2x2", out, List.of())
                        : new Part("op", conv(weight(ps, "op"), " stride 2 ", ""), out, ps));
            case "Upsample":
                return List.of(ps.isEmpty() ? new Part("upsample", "nearest x2", out, List.of())
                        : new Part("conv", "nearest x2 -> " + conv(weight(ps, "conv")), out, ps));
            case "GroupNorm+SiLU+conv":
                return List.of(new Part("out", norm(weight(ps, "0")) + " -> SiLU -> " + conv(weight(ps, "2")), out, ps));
            case "conv":
                return List.of(new Part("conv", conv(weight(ps, "")), out, ps));
            default:
                throw new IllegalStateException("the explorer cannot show a " + l.kind() + " layer");
        }
    }

    private List<Part> resBlock(List<ParamSpec> ps, long[] out) {
        List<ParamSpec> in = part(ps, "in_layers"), emb = part(ps, "emb_layers"), o = part(ps, "out_layers"), skip = part(ps, "skip_connection");
        List<Part> l = new ArrayList<>();
        l.add(new Part("in_layers", norm(weight(in, "in_layers.0")) + " -> SiLU -> " + conv(weight(in, "in_layers.2")), out, in));
        long[] e = weight(emb, "emb_layers.1");
        String what = cfg.useScaleShiftNorm() ? " (scale and shift for GroupNorm)" : " (added to every pixel)";
        l.add(new Part("emb_layers", "SiLU -> " + linear(e) + what, new long[] {batch, e[0]}, emb));
        l.add(new Part("out_layers", norm(weight(o, "out_layers.0")) + " -> SiLU -> Dropout(" + cfg.dropout() + ") -> "
                + conv(weight(o, "out_layers.3"), "", ", zero-init"), out, o));
        l.add(skip.isEmpty() ? new Part("skip_connection", "identity, added to out_layers", out, List.of())
                : new Part("skip_connection", conv(weight(skip, "skip_connection")) + ", added to out_layers", out, skip));
        return l;
    }

    private List<Part> attention(List<ParamSpec> ps, long[] out, int heads, int size) {
        List<ParamSpec> qkv = part(ps, "qkv");
        long[] w = weight(qkv, "qkv");
        long ch = w[1], t = (long) size * size;
        return List.of(
                new Part("norm", norm(weight(ps, "norm")), out, part(ps, "norm")),
                new Part("qkv", "Conv1d 1x1(" + ch + " -> " + w[0] + "), " + heads + " head(s) of " + ch / heads
                        + " channels over " + t + " positions", new long[] {batch, w[0], t}, qkv),
                new Part("proj_out", "Conv1d 1x1(" + ch + " -> " + weight(ps, "proj_out")[0] + ", zero-init), added to the input",
                        out, part(ps, "proj_out")));
    }

    /** The parameters whose names start with {@code prefix}, as the app shows them. */
    private static List<ParamSpec> params(List<ParamSpec> specs, String prefix) {
        return specs.stream().filter(p -> p.name().startsWith(prefix)).toList();
    }

    /** The tensors of sub-module {@code name} (e.g. "in_layers") of a layer. */
    private static List<ParamSpec> part(List<ParamSpec> ps, String name) {
        return ps.stream().filter(p -> p.name().contains("." + name + ".")).toList();
    }

    /** The shape of the weight of the sub-module whose name ends with {@code module} ("" = the layer's own). */
    private static long[] weight(List<ParamSpec> ps, String module) {
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
