package org.diffusionexplorer.nn;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Multi-head self-attention over all pixels, as in the reference:
 * qkv = conv1x1(GroupNorm(x)) with the 3C output channels laid out per head as [q | k | v] of that
 * head (d = C/heads channels each); q and k are both scaled by d^(-1/4); weights = softmax over keys
 * of q^T k; a = v weights^T; out = x + proj_out(a) with proj_out zero-initialised.
 *
 * <p>The reference's 1-D convolution weights [out, in, 1] are stored with that shape and reshaped
 * inside the graph. Instead of one qkv convolution followed by slicing the large activation, the
 * (small) weight is sliced into its q, k and v rows per head and three 1x1 convolutions are run;
 * the d^(-1/4) factors are folded into the q and k weights. Same arithmetic, no activation copies.
 *
 * @param prefix the reference module path, e.g. "input_blocks.3.1"
 */
public record AttentionBlock(String prefix, int channels, int heads, int size) implements Layer {
    public AttentionBlock {
        if (channels % heads != 0) throw new IllegalArgumentException(heads + " heads do not divide " + channels + " channels");
    }

    @Override
    public String kind() {
        return "Attention";
    }

    @Override
    public int outChannels() {
        return channels;
    }

    @Override
    public int outSize() {
        return size;
    }

    /** Graph name of this block's softmax weights, [N*heads, T queries, T keys] (the explorer's attention view reads it). */
    public String weightsName() {
        return prefix + ".attention_weights";
    }

    /** Graph name of GroupNorm(x), the input of qkv (a test recomputes the weights from it). */
    public String normedName() {
        return prefix + ".normed";
    }

    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> p = new ArrayList<>(GroupNorm.params(prefix + ".norm", channels));
        p.add(ParamSpec.uniform(prefix + ".qkv.weight", channels, 3L * channels, channels, 1));
        p.add(ParamSpec.uniform(prefix + ".qkv.bias", channels, 3L * channels));
        p.add(ParamSpec.zero(prefix + ".proj_out.weight", channels, channels, 1));
        p.add(ParamSpec.zero(prefix + ".proj_out.bias", channels));
        return p;
    }

    @Override
    public SDVariable apply(BuildContext ctx, SDVariable x, SDVariable emb) {
        SameDiff sd = ctx.sd();
        int d = channels / heads;
        long t = (long) size * size;
        double scale = 1.0 / Math.sqrt(Math.sqrt(d));
        SDVariable hn = GroupNorm.apply(ctx, prefix + ".norm", x, channels, size).rename(normedName());

        SDVariable w = ctx.param(prefix + ".qkv.weight").reshape(heads, 3, d, channels);
        SDVariable b = ctx.param(prefix + ".qkv.bias").reshape(heads, 3, d);
        SDVariable q = project(ctx, hn, w, b, 0, d, scale).reshape(-1, d, t);   // [N*heads, d, T]
        SDVariable k = project(ctx, hn, w, b, 1, d, scale).reshape(-1, d, t);
        SDVariable v = project(ctx, hn, w, b, 2, d, 1.0).reshape(-1, d, t);

        SDVariable logits = sd.mmul(q, k, true, false, false);                    // [N*heads, T(t), T(s)]
        SDVariable weights = sd.nn().softmax(weightsName(), logits, 2);
        SDVariable a = sd.mmul(v, weights, false, true, false);                   // [N*heads, d, T]
        a = a.reshape(-1, channels, size, size);

        SDVariable pw = ctx.param(prefix + ".proj_out.weight").reshape(channels, channels, 1, 1);
        SDVariable proj = Conv2d.apply(ctx, a, pw, ctx.param(prefix + ".proj_out.bias"), 1, 1);
        return x.add(proj);
    }

    /** The 1x1 convolution producing part {@code which} (0 = q, 1 = k, 2 = v) of every head. */
    private SDVariable project(BuildContext ctx, SDVariable hn, SDVariable w, SDVariable b, int which, int d, double scale) {
        SDVariable wi = w.get(SDIndex.all(), SDIndex.point(which), SDIndex.all(), SDIndex.all()).reshape(channels, channels, 1, 1);
        SDVariable bi = b.get(SDIndex.all(), SDIndex.point(which), SDIndex.all()).reshape(channels);
        if (scale != 1.0) {
            wi = wi.mul(scale);
            bi = bi.mul(scale);
        }
        return Conv2d.apply(ctx, hn, wi, bi, 1, 1);
    }
}
