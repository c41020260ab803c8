package org.diffusionexplorer.nn;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The residual block of the reference, conditioned on the time embedding:
 * <pre>
 *   h = conv3x3(SiLU(GroupNorm(x)))                                 in_layers
 *   e = Linear(SiLU(emb))                                           emb_layers ([N, out] or [N, 2 out])
 *   plain:        h = conv3x3(Dropout(SiLU(GroupNorm(h + e))))       out_layers, conv zero-initialised
 *   scale-shift:  (scale, shift) = split(e); h = GroupNorm(h) * (1 + scale) + shift, then SiLU, Dropout, conv
 *   result = skip(x) + h, skip = identity or conv1x1 when the channel count changes
 * </pre>
 * In the scale-shift case (1 + scale) and shift are folded into GroupNorm's per-sample weight and
 * bias ([N, C], small), so the big activation tensor is multiplied and shifted only once.
 *
 * @param dropout the dropout probability of out_layers (0: no mask placeholder)
 */
public record ResBlock(String prefix, int channels, int out, int embDim, double dropout, boolean scaleShift, int size) implements Layer {
    @Override
    public String kind() {
        return "ResBlock";
    }

    @Override
    public int outChannels() {
        return out;
    }

    @Override
    public int outSize() {
        return size;
    }

    /** Name of this block's dropout mask placeholder in the training graph. */
    public String dropoutMaskName() {
        return Dropout.maskName(prefix);
    }

    /** Shape of the dropout mask (= the activation it multiplies) for a batch of {@code batch}. */
    public long[] dropoutShape(long batch) {
        return new long[] {batch, out, size, size};
    }

    public boolean hasSkipConv() {
        return out != channels;
    }

    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> p = new ArrayList<>();
        p.addAll(GroupNorm.params(prefix + ".in_layers.0", channels));
        p.addAll(Conv2d.params(prefix + ".in_layers.2", channels, out, 3));
        p.addAll(Linear.params(prefix + ".emb_layers.1", embDim, scaleShift ? 2 * out : out));
        p.addAll(GroupNorm.params(prefix + ".out_layers.0", out));
        p.addAll(Conv2d.zeroParams(prefix + ".out_layers.3", out, out, 3));
        if (hasSkipConv()) p.addAll(Conv2d.params(prefix + ".skip_connection", channels, out, 1));
        return p;
    }

    @Override
    public SDVariable apply(BuildContext ctx, SDVariable x, SDVariable emb) {
        SameDiff sd = ctx.sd();
        SDVariable h = GroupNorm.applySiLU(ctx, prefix + ".in_layers.0", x, channels, size);
        h = Conv2d.apply(ctx, prefix + ".in_layers.2", h, 3, 1);
        SDVariable e = Linear.apply(ctx, prefix + ".emb_layers.1", SiLU.apply(ctx, emb));
        String norm = prefix + ".out_layers.0";
        if (scaleShift) {
            SDVariable scale = e.get(SDIndex.all(), SDIndex.interval(0, out));
            SDVariable shift = e.get(SDIndex.all(), SDIndex.interval(out, 2 * out));
            SDVariable onePlus = scale.add(1.0);
            SDVariable w = onePlus.mul(ctx.param(norm + ".weight"));                     // [N, out]
            SDVariable b = onePlus.mul(ctx.param(norm + ".bias")).add(shift);           // [N, out]
            h = GroupNorm.normalizeSiLU(ctx, h, out, size, w, b, true);
        } else {
            long pixels = (long) size * size;
            h = RowBroadcast.add(h.reshape(-1, pixels), e.reshape(-1, 1), pixels).reshape(-1, out, size, size);
            h = GroupNorm.applySiLU(ctx, norm, h, out, size);
        }
        h = Dropout.apply(ctx, prefix, h, dropout, dropoutShape(-1));
        h = Conv2d.apply(ctx, prefix + ".out_layers.3", h, 3, 1);
        SDVariable skip = hasSkipConv() ? Conv2d.apply(ctx, prefix + ".skip_connection", x, 1, 1) : x;
        return skip.add(h);
    }
}
