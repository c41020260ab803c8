package org.diffusionexplorer.train;

import java.util.ArrayList;
import java.util.Deque;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.unet.UNetConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stand-in with the improved-diffusion UNet's layout and cost (res blocks with GroupNorm, SiLU,
 * time-embedding scale-shift, attention, skips, down/up sampling), used by the train tests until
 * the real UNetModel lands. Not the reference's exact arithmetic (names, init, layouts differ).
 */
public final class StandInUNet {
    public final SameDiff sd = SameDiff.create();
    public final SDVariable output;
    public final List<String> params = new ArrayList<>();
    private final DataType dt;
    private final java.util.Random rnd;
    private int counter;

    public StandInUNet(UNetConfig cfg, long seed, DataType dt) {
        this.dt = dt;
        this.rnd = new java.util.Random(seed);
        SDVariable x = sd.placeHolder("x", dt, -1, cfg.inChannels(), cfg.imageSize(), cfg.imageSize());
        SDVariable t = sd.placeHolder("t", dt, -1);
        int c0 = cfg.modelChannels(), ted = cfg.timeEmbedDim();
        // sinusoidal timestep embedding, then two linear layers
        int half = c0 / 2;
        INDArray freqs = Nd4j.create(dt, 1, half);
        for (int i = 0; i < half; i++) freqs.putScalar(0, i, Math.exp(-Math.log(10000) * i / half));
        SDVariable args = sd.mmul(t.reshape(-1, 1), sd.constant("freqs", freqs));
        SDVariable temb = sd.concat(1, sd.math().cos(args), sd.math().sin(args));
        SDVariable emb = linear(sd.nn().swish(linear(temb, c0, ted)), ted, ted);

        Deque<SDVariable> skips = new ArrayDeque<>();
        Deque<Integer> skipCh = new ArrayDeque<>();
        SDVariable h = conv(x, cfg.inChannels(), c0, 3, 1);
        skips.push(h);
        skipCh.push(c0);
        int ch = c0, ds = 1;
        for (int level = 0; level < cfg.levels(); level++) {
            for (int r = 0; r < cfg.numResBlocks(); r++) {
                int out = cfg.channelMult().get(level) * c0;
                h = resBlock(h, emb, ch, out, ted, cfg.useScaleShiftNorm(), cfg.imageSize() / ds);
                ch = out;
                if (cfg.attentionResolutions().contains(ds)) h = attention(h, ch, cfg.numHeads(), cfg.imageSize() / ds);
                skips.push(h);
                skipCh.push(ch);
            }
            if (level != cfg.levels() - 1) {
                h = conv(h, ch, ch, 3, 2);
                skips.push(h);
                skipCh.push(ch);
                ds *= 2;
            }
        }
        h = resBlock(h, emb, ch, ch, ted, cfg.useScaleShiftNorm(), cfg.imageSize() / ds);
        h = attention(h, ch, cfg.numHeads(), cfg.imageSize() / ds);
        h = resBlock(h, emb, ch, ch, ted, cfg.useScaleShiftNorm(), cfg.imageSize() / ds);
        for (int level = cfg.levels() - 1; level >= 0; level--) {
            for (int r = 0; r <= cfg.numResBlocks(); r++) {
                int sc = skipCh.pop();
                h = sd.concat(1, h, skips.pop());
                int out = cfg.channelMult().get(level) * c0;
                h = resBlock(h, emb, ch + sc, out, ted, cfg.useScaleShiftNorm(), cfg.imageSize() / ds);
                ch = out;
                if (cfg.attentionResolutions().contains(ds)) h = attention(h, ch, cfg.headsUpsample(), cfg.imageSize() / ds);
                if (level > 0 && r == cfg.numResBlocks()) {
                    h = conv(sd.cnn().upsampling2d(h, 2, 2, true), ch, ch, 3, 1);
                    ds /= 2;
                }
            }
        }
        h = sd.nn().swish(groupNorm(h, ch, cfg.imageSize()));
        output = conv(h, ch, cfg.outChannels(), 3, 1).rename("output");
    }

    public Map<String, INDArray> paramArrays() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String p : params) m.put(p, sd.getVariable(p).getArr());
        return m;
    }

    private SDVariable param(long... shape) {
        long fanIn = shape.length == 4 ? shape[1] * shape[2] * shape[3] : shape.length == 2 ? shape[0] : shape[0];
        double bound = 1 / Math.sqrt(fanIn);
        INDArray a = Nd4j.create(dt, shape);
        for (long i = 0; i < a.length(); i++) a.putScalar(i, (rnd.nextDouble() * 2 - 1) * bound);
        String name = "p" + (counter++);
        params.add(name);
        return sd.var(name, a);
    }

    private SDVariable ones(long... shape) {
        String name = "p" + (counter++);
        params.add(name);
        return sd.var(name, Nd4j.ones(dt, shape));
    }

    private SDVariable linear(SDVariable x, int in, int out) {
        return sd.mmul(x, param(in, out)).add(param(out));
    }

    private SDVariable conv(SDVariable x, int in, int out, int k, int stride) {
        Conv2DConfig c = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(k / 2).pW(k / 2)
                .dataFormat("NCHW").build();
        // M2.1's conv2d_bp ignores weightsFormat=OIYX; keep PyTorch layout and permute to YXIO in the graph
        return sd.cnn().conv2d(x, param(out, in, k, k).permute(2, 3, 1, 0), param(out), c);
    }

    private SDVariable groupNorm(SDVariable x, int ch, int res) {
        int g = 32;
        SDVariable r = x.reshape(-1, g, (long) (ch / g) * res * res);
        SDVariable mean = r.mean(true, 2);
        SDVariable c = r.sub(mean);
        SDVariable var = c.mul(c).mean(true, 2);
        SDVariable n = c.mul(sd.math().rsqrt(var.add(1e-5))).reshape(-1, ch, res, res);
        return n.mul(ones(1, ch, 1, 1)).add(param(1, ch, 1, 1));
    }

    private SDVariable resBlock(SDVariable x, SDVariable emb, int in, int out, int ted, boolean scaleShift, int res) {
        SDVariable h = conv(sd.nn().swish(groupNorm(x, in, res)), in, out, 3, 1);
        SDVariable se = sd.nn().swish(emb);
        if (scaleShift) {
            SDVariable scale = linear(se, ted, out).reshape(-1, out, 1, 1);
            SDVariable shift = linear(se, ted, out).reshape(-1, out, 1, 1);
            h = groupNorm(h, out, res).mul(scale.add(1.0)).add(shift);
        } else {
            h = groupNorm(h.add(linear(se, ted, out).reshape(-1, out, 1, 1)), out, res);
        }
        h = conv(sd.nn().swish(h), out, out, 3, 1);
        SDVariable skip = in == out ? x : conv(x, in, out, 1, 1);
        return skip.add(h);
    }

    private SDVariable attention(SDVariable x, int ch, int heads, int res) {
        SDVariable n = groupNorm(x, ch, res);
        int hc = ch / heads;
        long tt = (long) res * res;
        double scale = 1 / Math.sqrt(Math.sqrt(hc));
        SDVariable q = conv(n, ch, ch, 1, 1).reshape(-1, hc, tt).mul(scale);
        SDVariable k = conv(n, ch, ch, 1, 1).reshape(-1, hc, tt).mul(scale);
        SDVariable v = conv(n, ch, ch, 1, 1).reshape(-1, hc, tt);
        SDVariable w = sd.nn().softmax(sd.mmul(q, k, true, false, false), 2);   // [B*h, T, T]
        SDVariable a = sd.mmul(v, w, false, true, false).reshape(-1, ch, res, res); // [B*h, hc, T]
        return x.add(conv(a, ch, ch, 1, 1));
    }
}
