package org.diffusionexplorer.diffusion;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * Adds the training loss of a {@link GaussianDiffusion} onto a model's SameDiff graph.
 *
 * <p>Everything that does not depend on the network (x_t, the MSE target, the true posterior, the
 * per-timestep coefficients) is computed in float64 by {@link #feed} and enters as full-shape
 * [N,C,H,W] placeholders, so the graph holds only element-wise ops of equal shapes (M2.1's backward of
 * broadcasting ops is slow). Per item the graph computes
 * <ul>
 * <li>{@code diffusion/mse}: mean over C,H,W of (target - mean channels)^2 (target = eps, x_0 or the
 *     posterior mean by mean type);</li>
 * <li>{@code diffusion/vb}: the variational-bound term in bits per dim (KL for t>0, decoder NLL at t=0),
 *     scaled as the loss type says; with MSE losses it sees the mean channels through a StopGradient
 *     so it trains only the variance channels; zero for MSE with fixed variances;</li>
 * <li>{@code diffusion/loss}: mse + vb (MSE, RESCALED_MSE) or vb (KL, RESCALED_KL);</li>
 * <li>{@code diffusion/weighted_loss}: the scalar mean of loss * importance weight, to back-propagate.</li>
 * </ul>
 * A trainer: {@code g = DiffusionLossGraph.attach(d, sd, model.output(), "x", "t")},
 * {@code sd.setLossVariables(g.weightedLoss())}; per batch draw t and weights from a
 * {@link TimestepSampler} and noise, then {@code sd.calculateGradients(g.feed(x0, t, noise, w).placeholders(), params)}
 * (add "y" for class labels). For a {@link LossSecondMomentResampler} read back {@code diffusion/loss}.
 */
public final class DiffusionLossGraph {
    public static final String PREFIX = "diffusion/";
    private static final double LOG_FLOOR = 1e-12;

    private final GaussianDiffusion diffusion;
    private final SameDiff sd;
    private final DataType dtype;
    private final String modelX;
    private final String modelT;
    private final SDVariable loss, mse, vb, weightedLoss;

    private DiffusionLossGraph(GaussianDiffusion diffusion, SameDiff sd, SDVariable out, String modelX, String modelT) {
        this.diffusion = diffusion;
        this.sd = sd;
        this.dtype = out.dataType();
        this.modelX = modelX;
        this.modelT = modelT;
        boolean learned = diffusion.varType.isLearned();
        boolean vbOnly = diffusion.lossType.isVb();

        SDVariable meanOut = out, varOut = null;
        if (learned) {
            SDVariable[] parts = sd.split(out, 2, 1);
            meanOut = parts[0];
            varOut = parts[1];
        }
        SDVariable target = ph("target");
        SDVariable diff = target.sub(meanOut);
        mse = sd.identity(PREFIX + "mse", sd.mean(diff.mul(diff), 1, 2, 3));

        if (learned || vbOnly) {
            // with the hybrid loss the bound must not move the mean prediction
            SDVariable m = vbOnly ? meanOut : new StopGradient(sd, meanOut).outputVariable();
            SDVariable modelMean = ph("mean_offset").add(ph("mean_scale").mul(m));
            SDVariable logVar = learned ? ph("logvar_offset").add(ph("logvar_scale").mul(varOut)) : ph("logvar_offset");
            SDVariable perItemVb = boundTerm(modelMean, logVar);
            double scale = diffusion.lossType == LossType.RESCALED_KL ? diffusion.numTimesteps
                    : diffusion.lossType == LossType.RESCALED_MSE ? diffusion.numTimesteps / 1000.0 : 1.0;
            vb = sd.identity(PREFIX + "vb", scale == 1.0 ? perItemVb : perItemVb.mul(scale));
        } else {
            vb = sd.identity(PREFIX + "vb", mse.mul(0.0));
        }
        loss = sd.identity(PREFIX + "loss", vbOnly ? vb : mse.add(vb));
        SDVariable weights = sd.placeHolder(PREFIX + "weights", dtype, -1);
        weightedLoss = sd.identity(PREFIX + "weighted_loss", sd.mean(loss.mul(weights)));
    }

    /**
     * Attaches the loss to {@code sd}. {@code modelOutput} is the network output [N,C or 2C,H,W];
     * {@code modelXName} / {@code modelTName} name the network's input placeholders so that
     * {@link #feed} fills them with x_t and the timesteps as fed to the model (either may be null).
     */
    public static DiffusionLossGraph attach(GaussianDiffusion diffusion, SameDiff sd, SDVariable modelOutput,
                                            String modelXName, String modelTName) {
        if (sd.hasVariable(PREFIX + "loss")) throw new IllegalStateException("this graph already has a diffusion loss");
        return new DiffusionLossGraph(diffusion, sd, modelOutput, modelXName, modelTName);
    }

    private SDVariable ph(String name) {
        String full = PREFIX + name;
        return sd.hasVariable(full) ? sd.getVariable(full) : sd.placeHolder(full, dtype, -1, -1, -1, -1);
    }

    /** KL(q(x_{t-1}|x_t,x_0) || p) / ln 2 per item, or the decoder NLL / ln 2 where t = 0. */
    private SDVariable boundTerm(SDVariable mean, SDVariable logVar) {
        SDVariable trueMean = ph("true_mean"), trueLogVar = ph("true_logvar");
        SDVariable d = trueMean.sub(mean);
        SDVariable kl = sd.math().exp(trueLogVar.sub(logVar)).add(d.mul(d).mul(sd.math().exp(logVar.neg())))
                .add(logVar).sub(trueLogVar).sub(1.0).mul(0.5);

        SDVariable centered = ph("x_start").sub(mean);
        SDVariable invStdv = sd.math().exp(logVar.mul(-0.5));
        SDVariable cdfPlus = approxCdf(invStdv.mul(centered.add(DiagonalGaussian.BIN)));
        SDVariable cdfMin = approxCdf(invStdv.mul(centered.sub(DiagonalGaussian.BIN)));
        SDVariable logProb = ph("dec_low").mul(safeLog(cdfPlus))
                .add(ph("dec_high").mul(safeLog(cdfMin.rsub(1.0))))
                .add(ph("dec_mid").mul(safeLog(cdfPlus.sub(cdfMin))));

        double invLn2 = 1.0 / Math.log(2.0);
        SDVariable klBits = sd.mean(kl, 1, 2, 3).mul(invLn2);
        SDVariable nllBits = sd.mean(logProb, 1, 2, 3).mul(-invLn2);
        SDVariable first = sd.placeHolder(PREFIX + "is_first", dtype, -1);
        return first.mul(nllBits).add(first.rsub(1.0).mul(klBits));
    }

    private SDVariable approxCdf(SDVariable x) {
        SDVariable inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
        return sd.math().tanh(inner).add(1.0).mul(0.5);
    }

    /** log(max(v, 1e-12)), the max written with relu so that its gradient is plain. */
    private SDVariable safeLog(SDVariable v) {
        return sd.math().log(sd.nn().relu(v.sub(LOG_FLOOR), 0).add(LOG_FLOOR));
    }

    public SDVariable loss() { return loss; }
    public SDVariable mse() { return mse; }
    public SDVariable vb() { return vb; }
    public SDVariable weightedLoss() { return weightedLoss; }
    public GaussianDiffusion diffusion() { return diffusion; }

    /** Placeholders for one batch, and the model inputs they imply. */
    public record Feed(Map<String, INDArray> placeholders, INDArray xT, INDArray modelT, int[] t) {}

    /**
     * Fills every placeholder for x_0 [N,C,H,W], timesteps t of this process, noise of x_0's shape and
     * importance weights (null = all 1). x_t = q_sample(x_0, t, noise).
     */
    public Feed feed(INDArray xStart, int[] t, INDArray noise, double[] weights) {
        long[] shape = xStart.shape();
        if (shape.length != 4) throw new IllegalArgumentException("x_start must be [N,C,H,W], got " + Arrays.toString(shape));
        Tensors.checkBatch(shape, t, "diffusion loss");
        if (!Arrays.equals(shape, noise.shape())) throw new IllegalArgumentException("noise shape differs from x_start");
        int n = t.length;
        if (weights != null && weights.length != n) throw new IllegalArgumentException(n + " items but " + weights.length + " weights");
        GaussianDiffusion d = diffusion;
        double[] x0 = Tensors.doubles(xStart), eps = Tensors.doubles(noise);
        double[] xt = d.qSample(x0, t, eps);
        double[] post = d.posteriorMean(x0, xt, t);
        int len = x0.length, per = len / n;

        Map<String, INDArray> m = new LinkedHashMap<>();
        double[] target = d.meanType == ModelMeanType.EPSILON ? eps : d.meanType == ModelMeanType.START_X ? x0 : post;
        put(m, "target", target, shape);
        if (sd.hasVariable(PREFIX + "true_mean")) {
            double[] meanOffset = new double[len], meanScale = new double[len], lvOffset = new double[len],
                    lvScale = new double[len], trueLogVar = new double[len], low = new double[len], high = new double[len],
                    mid = new double[len];
            double[] first = new double[n];
            for (int i = 0; i < n; i++) {
                int ti = d.checkT(t[i]);
                first[i] = ti == 0 ? 1 : 0;
                double c1 = d.posteriorMeanCoef1[ti], c2 = d.posteriorMeanCoef2[ti];
                // model mean = offset + scale * (mean channels), for each mean type
                double ax, scale;
                switch (d.meanType) {
                    case EPSILON: ax = c1 * d.sqrtRecipAlphasCumprod[ti] + c2; scale = -c1 * d.sqrtRecipm1AlphasCumprod[ti]; break;
                    case START_X: ax = c2; scale = c1; break;
                    default: ax = 0; scale = 1;
                }
                // log variance = offset + scale * (variance channels)
                double lo, ls;
                switch (d.varType) {
                    case LEARNED: lo = 0; ls = 1; break;
                    case LEARNED_RANGE:
                        double min = d.posteriorLogVarianceClipped[ti], max = d.logBetas[ti];
                        lo = (max + min) / 2;
                        ls = (max - min) / 2;
                        break;
                    default: lo = d.fixedLogVariance(ti); ls = 0;
                }
                for (int k = i * per; k < (i + 1) * per; k++) {
                    meanOffset[k] = ax * xt[k];
                    meanScale[k] = scale;
                    lvOffset[k] = lo;
                    lvScale[k] = ls;
                    trueLogVar[k] = d.posteriorLogVarianceClipped[ti];
                    low[k] = x0[k] < -0.999 ? 1 : 0;
                    high[k] = x0[k] > 0.999 ? 1 : 0;
                    mid[k] = 1 - low[k] - high[k];
                }
            }
            put(m, "mean_offset", meanOffset, shape);
            put(m, "mean_scale", meanScale, shape);
            put(m, "logvar_offset", lvOffset, shape);
            if (sd.hasVariable(PREFIX + "logvar_scale")) put(m, "logvar_scale", lvScale, shape);
            put(m, "true_mean", post, shape);
            put(m, "true_logvar", trueLogVar, shape);
            put(m, "x_start", x0, shape);
            put(m, "dec_low", low, shape);
            put(m, "dec_high", high, shape);
            put(m, "dec_mid", mid, shape);
            put(m, "is_first", first, new long[] {n});
        }
        double[] w = weights == null ? filled(n, 1.0) : weights;
        put(m, "weights", w, new long[] {n});
        INDArray xtArr = Tensors.create(xt, shape, dtype);
        INDArray tArr = d.modelTimesteps(t, dtype);
        if (modelX != null) m.put(modelX, xtArr);
        if (modelT != null) m.put(modelT, tArr);
        return new Feed(m, xtArr, tArr, t.clone());
    }

    private void put(Map<String, INDArray> m, String name, double[] v, long[] shape) {
        m.put(PREFIX + name, Tensors.create(v, shape, dtype));
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }
}
