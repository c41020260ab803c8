package org.diffusionexplorer.diffusion;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward (noising) process q and the model's reverse process p of Ho et al. / Nichol and Dhariwal.
 * Every per-timestep quantity is a public float64 array indexed by this process's timestep
 * (0 .. numTimesteps-1). A respaced process (see {@link Respacing}) is the same object with fewer
 * steps: {@link #timestepMap} holds the original step of each kept step, and the model is always fed
 * original step numbers ({@link #modelTimesteps}). The arrays are shared: do not modify them.
 *
 * <p>Tensor methods take float32 (or float64) [N,C,H,W] INDArrays and return the same dtype; the
 * coefficient arithmetic is done in float64 per batch item and cast back at the end.
 */
public final class GaussianDiffusion {
    public final ModelMeanType meanType;
    public final ModelVarType varType;
    public final LossType lossType;
    /** Feed the model t * 1000 / originalNumSteps instead of t. */
    public final boolean rescaleTimesteps;
    public final int numTimesteps;
    public final int originalNumSteps;
    /** Original timestep of each step of this process (identity when not respaced). */
    public final int[] timestepMap;

    public final double[] betas;
    public final double[] alphasCumprod;
    public final double[] alphasCumprodPrev;
    public final double[] alphasCumprodNext;
    public final double[] sqrtAlphasCumprod;
    public final double[] sqrtOneMinusAlphasCumprod;
    public final double[] logOneMinusAlphasCumprod;
    public final double[] sqrtRecipAlphasCumprod;
    public final double[] sqrtRecipm1AlphasCumprod;
    public final double[] posteriorVariance;
    /** log of the posterior variance, whose t=0 entry (0) is replaced by the t=1 entry. */
    public final double[] posteriorLogVarianceClipped;
    public final double[] posteriorMeanCoef1;
    public final double[] posteriorMeanCoef2;
    public final double[] logBetas;

    public GaussianDiffusion(double[] betas, ModelMeanType meanType, ModelVarType varType, LossType lossType,
                             boolean rescaleTimesteps) {
        this(betas, identity(betas.length), betas.length, meanType, varType, lossType, rescaleTimesteps);
    }

    /** A (possibly respaced) process: {@code betas} of the kept steps, their original numbers in timestepMap. */
    public GaussianDiffusion(double[] betas, int[] timestepMap, int originalNumSteps, ModelMeanType meanType,
                             ModelVarType varType, LossType lossType, boolean rescaleTimesteps) {
        this.meanType = Objects.requireNonNull(meanType, "meanType");
        this.varType = Objects.requireNonNull(varType, "varType");
        this.lossType = Objects.requireNonNull(lossType, "lossType");
        this.rescaleTimesteps = rescaleTimesteps;
        int n = betas.length;
        if (n < 1) throw new IllegalArgumentException("a diffusion process needs at least one step");
        if (timestepMap.length != n) throw new IllegalArgumentException("timestep map has " + timestepMap.length + " entries for " + n + " steps");
        for (double b : betas) {
            if (!(b > 0 && b <= 1)) throw new IllegalArgumentException("betas must lie in (0, 1], found " + b);
        }
        this.numTimesteps = n;
        this.originalNumSteps = originalNumSteps;
        this.timestepMap = timestepMap.clone();
        this.betas = betas.clone();

        alphasCumprod = new double[n];
        alphasCumprodPrev = new double[n];
        alphasCumprodNext = new double[n];
        double prod = 1.0;
        for (int i = 0; i < n; i++) {
            alphasCumprodPrev[i] = prod;
            prod *= 1.0 - betas[i];
            alphasCumprod[i] = prod;
        }
        for (int i = 0; i < n; i++) alphasCumprodNext[i] = i + 1 < n ? alphasCumprod[i + 1] : 0.0;

        sqrtAlphasCumprod = new double[n];
        sqrtOneMinusAlphasCumprod = new double[n];
        logOneMinusAlphasCumprod = new double[n];
        sqrtRecipAlphasCumprod = new double[n];
        sqrtRecipm1AlphasCumprod = new double[n];
        posteriorVariance = new double[n];
        posteriorLogVarianceClipped = new double[n];
        posteriorMeanCoef1 = new double[n];
        posteriorMeanCoef2 = new double[n];
        logBetas = new double[n];
        for (int i = 0; i < n; i++) {
            double a = alphasCumprod[i];
            double ap = alphasCumprodPrev[i];
            sqrtAlphasCumprod[i] = Math.sqrt(a);
            sqrtOneMinusAlphasCumprod[i] = Math.sqrt(1.0 - a);
            logOneMinusAlphasCumprod[i] = Math.log(1.0 - a);
            sqrtRecipAlphasCumprod[i] = Math.sqrt(1.0 / a);
            sqrtRecipm1AlphasCumprod[i] = Math.sqrt(1.0 / a - 1);
            posteriorVariance[i] = betas[i] * (1.0 - ap) / (1.0 - a);
            posteriorMeanCoef1[i] = betas[i] * Math.sqrt(ap) / (1.0 - a);
            posteriorMeanCoef2[i] = (1.0 - ap) * Math.sqrt(1.0 - betas[i]) / (1.0 - a);
            logBetas[i] = Math.log(betas[i]);
        }
        for (int i = 0; i < n; i++) {
            posteriorLogVarianceClipped[i] = Math.log(i == 0 && n > 1 ? posteriorVariance[1] : posteriorVariance[i]);
        }
    }

    /** The per-timestep arrays under the reference's attribute names (copies), in the golden files' order. */
    public java.util.LinkedHashMap<String, double[]> namedArrays() {
        java.util.LinkedHashMap<String, double[]> m = new java.util.LinkedHashMap<>();
        m.put("betas", betas.clone());
        m.put("alphas_cumprod", alphasCumprod.clone());
        m.put("alphas_cumprod_prev", alphasCumprodPrev.clone());
        m.put("posterior_variance", posteriorVariance.clone());
        m.put("posterior_log_variance_clipped", posteriorLogVarianceClipped.clone());
        m.put("posterior_mean_coef1", posteriorMeanCoef1.clone());
        m.put("posterior_mean_coef2", posteriorMeanCoef2.clone());
        m.put("sqrt_alphas_cumprod", sqrtAlphasCumprod.clone());
        m.put("sqrt_one_minus_alphas_cumprod", sqrtOneMinusAlphasCumprod.clone());
        m.put("sqrt_recip_alphas_cumprod", sqrtRecipAlphasCumprod.clone());
        m.put("sqrt_recipm1_alphas_cumprod", sqrtRecipm1AlphasCumprod.clone());
        m.put("alphas_cumprod_next", alphasCumprodNext.clone());
        m.put("log_one_minus_alphas_cumprod", logOneMinusAlphasCumprod.clone());
        return m;
    }

    private static int[] identity(int n) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) m[i] = i;
        return m;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when this process skips steps of the original one. */
    public boolean isRespaced() {
        return numTimesteps != originalNumSteps;
    }

    // ---------------------------------------------------------------- per-timestep scalars

    /** The value the model is fed for step t of this process: its original number, rescaled if asked. */
    public double modelTimestep(int t) {
        double orig = timestepMap[checkT(t)];
        return rescaleTimesteps ? orig * (1000.0 / originalNumSteps) : orig;
    }

    public INDArray modelTimesteps(int[] t, DataType dtype) {
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) v[i] = modelTimestep(t[i]);
        return Tensors.create(v, new long[] {t.length}, dtype);
    }

    /** Variance of p(x_{t-1}|x_t) for the fixed variance types. */
    public double fixedVariance(int t) {
        checkT(t);
        switch (varType) {
            case FIXED_SMALL: return posteriorVariance[t];
            case FIXED_LARGE: return t == 0 && numTimesteps > 1 ? posteriorVariance[1] : betas[t];
            default: throw new IllegalStateException("variance is learned (" + varType + "), not fixed");
        }
    }

    public double fixedLogVariance(int t) {
        return varType == ModelVarType.FIXED_SMALL ? posteriorLogVarianceClipped[checkT(t)] : Math.log(fixedVariance(t));
    }

    int checkT(int t) {
        if (t < 0 || t >= numTimesteps) throw new IllegalArgumentException("timestep " + t + " outside 0.." + (numTimesteps - 1));
        return t;
    }

    // ---------------------------------------------------------------- forward process

    /** x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps. */
    public INDArray qSample(INDArray xStart, int[] t, INDArray noise) {
        long[] shape = xStart.shape();
        Tensors.checkBatch(shape, t, "q_sample");
        if (!java.util.Arrays.equals(shape, noise.shape())) throw new IllegalArgumentException("noise shape differs from x_start");
        return Tensors.create(qSample(Tensors.doubles(xStart), t, Tensors.doubles(noise)), shape, xStart.dataType());
    }

    double[] qSample(double[] x0, int[] t, double[] eps) {
        int per = x0.length / t.length;
        double[] out = new double[x0.length];
        for (int i = 0; i < t.length; i++) {
            double a = sqrtAlphasCumprod[checkT(t[i])], b = sqrtOneMinusAlphasCumprod[t[i]];
            for (int k = i * per; k < (i + 1) * per; k++) out[k] = a * x0[k] + b * eps[k];
        }
        return out;
    }

    /** Mean, variance and clipped log variance of q(x_{t-1} | x_t, x_0), each of x_t's shape. */
    public MeanVariance qPosteriorMeanVariance(INDArray xStart, INDArray xT, int[] t) {
        long[] shape = xT.shape();
        Tensors.checkBatch(shape, t, "q_posterior");
        double[] x0 = Tensors.doubles(xStart), xt = Tensors.doubles(xT);
        double[] mean = posteriorMean(x0, xt, t);
        double[] var = perItem(posteriorVariance, t, xt.length);
        double[] logVar = perItem(posteriorLogVarianceClipped, t, xt.length);
        DataType dt = xT.dataType();
        return new MeanVariance(Tensors.create(mean, shape, dt), Tensors.create(var, shape, dt),
                Tensors.create(logVar, shape, dt), xStart);
    }

    double[] posteriorMean(double[] x0, double[] xt, int[] t) {
        int per = xt.length / t.length;
        double[] out = new double[xt.length];
        for (int i = 0; i < t.length; i++) {
            double c1 = posteriorMeanCoef1[checkT(t[i])], c2 = posteriorMeanCoef2[t[i]];
            for (int k = i * per; k < (i + 1) * per; k++) out[k] = c1 * x0[k] + c2 * xt[k];
        }
        return out;
    }

    private static double[] perItem(double[] table, int[] t, int len) {
        int per = len / t.length;
        double[] out = new double[len];
        for (int i = 0; i < t.length; i++) java.util.Arrays.fill(out, i * per, (i + 1) * per, table[t[i]]);
        return out;
    }

    // ---------------------------------------------------------------- reverse process

    /** Runs the model on x_t and returns p(x_{t-1} | x_t) and the predicted x_0. */
    public MeanVariance pMeanVariance(Denoiser model, INDArray x, int[] t, INDArray y, boolean clipDenoised) {
        Tensors.checkBatch(x.shape(), t, "p_mean_variance");
        INDArray out = model.apply(x, modelTimesteps(t, x.dataType()), y);
        return pMeanVariance(out, x, t, clipDenoised);
    }

    /** p(x_{t-1} | x_t) for a model output already computed. */
    public MeanVariance pMeanVariance(INDArray modelOutput, INDArray x, int[] t, boolean clipDenoised) {
        long[] shape = x.shape();
        Tensors.checkBatch(shape, t, "p_mean_variance");
        Moments m = moments(Tensors.doubles(modelOutput), modelOutput.shape(), Tensors.doubles(x), shape, t, clipDenoised);
        DataType dt = x.dataType();
        return new MeanVariance(Tensors.create(m.mean, shape, dt), Tensors.create(m.variance, shape, dt),
                Tensors.create(m.logVariance, shape, dt), Tensors.create(m.predXstart, shape, dt));
    }

    /** Float64 results of p_mean_variance. */
    static final class Moments {
        double[] mean, variance, logVariance, predXstart;
    }

    Moments moments(double[] out, long[] outShape, double[] x, long[] shape, int[] t, boolean clip) {
        int n = t.length;
        int per = x.length / n;
        long channels = shape.length > 1 ? shape[1] : 1;
        long expectedChannels = varType.isLearned() ? 2 * channels : channels;
        if (outShape.length != shape.length || outShape[0] != shape[0] || (shape.length > 1 && outShape[1] != expectedChannels)
                || out.length != (varType.isLearned() ? 2 : 1) * x.length) {
            throw new IllegalArgumentException("model output has shape " + java.util.Arrays.toString(outShape) + ", expected "
                    + expectedChannels + " channels for input " + java.util.Arrays.toString(shape) + " with " + varType + " variance");
        }
        // with learned variances, item i of the output is [C mean channels | C variance channels]
        int outPer = out.length / n;
        Moments m = new Moments();
        m.mean = new double[x.length];
        m.logVariance = new double[x.length];
        m.variance = new double[x.length];
        m.predXstart = new double[x.length];
        for (int i = 0; i < n; i++) {
            int ti = checkT(t[i]);
            double minLog = posteriorLogVarianceClipped[ti], maxLog = logBetas[ti];
            double fixedLog = varType.isLearned() ? 0 : fixedLogVariance(ti);
            // FIXED_SMALL at t=0: variance 0 but the clipped log variance, as the reference reports them
            double fixedVar = varType.isLearned() ? 0 : fixedVariance(ti);
            for (int k = 0; k < per; k++) {
                int xi = i * per + k;
                double o = out[i * outPer + k];
                switch (varType) {
                    case LEARNED: m.logVariance[xi] = out[i * outPer + per + k]; break;
                    case LEARNED_RANGE:
                        double frac = (out[i * outPer + per + k] + 1) / 2;
                        m.logVariance[xi] = frac * maxLog + (1 - frac) * minLog;
                        break;
                    default: m.logVariance[xi] = fixedLog;
                }
                m.variance[xi] = varType.isLearned() ? Math.exp(m.logVariance[xi]) : fixedVar;
                double x0;
                switch (meanType) {
                    case PREVIOUS_X: x0 = (o - posteriorMeanCoef2[ti] * x[xi]) / posteriorMeanCoef1[ti]; break;
                    case START_X: x0 = o; break;
                    default: x0 = sqrtRecipAlphasCumprod[ti] * x[xi] - sqrtRecipm1AlphasCumprod[ti] * o;
                }
                if (clip) x0 = Math.max(-1, Math.min(1, x0));
                m.predXstart[xi] = x0;
                m.mean[xi] = meanType == ModelMeanType.PREVIOUS_X ? o
                        : posteriorMeanCoef1[ti] * x0 + posteriorMeanCoef2[ti] * x[xi];
            }
        }
        return m;
    }

    /** eps that would turn predicted x_0 into x_t: (x_t / sqrt(abar) - x_0) / sqrt(1/abar - 1). */
    public INDArray predictEpsFromXstart(INDArray xT, int[] t, INDArray predXstart) {
        long[] shape = xT.shape();
        Tensors.checkBatch(shape, t, "predict_eps");
        return Tensors.create(epsFromXstart(Tensors.doubles(xT), t, Tensors.doubles(predXstart)), shape, xT.dataType());
    }

    double[] epsFromXstart(double[] xt, int[] t, double[] x0) {
        int per = xt.length / t.length;
        double[] eps = new double[xt.length];
        for (int i = 0; i < t.length; i++) {
            double a = sqrtRecipAlphasCumprod[checkT(t[i])], b = sqrtRecipm1AlphasCumprod[t[i]];
            for (int k = i * per; k < (i + 1) * per; k++) eps[k] = (a * xt[k] - x0[k]) / b;
        }
        return eps;
    }

    // ---------------------------------------------------------------- losses

    /**
     * The reference's _vb_terms_bpd: one term of the variational bound per item, in bits per
     * dimension: KL(q(x_{t-1}|x_t,x_0) || p) for t > 0 and the discretised decoder NLL at t = 0, from
     * the moments of a model output already computed. The training loss (the hybrid and KL losses)
     * and {@link VariationalBound} (evaluation) both come through here.
     */
    double[] vbTerms(Moments p, double[] x0, double[] xt, int[] t) {
        int n = t.length, per = xt.length / n;
        double[] trueMean = posteriorMean(x0, xt, t);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double trueLogVar = posteriorLogVarianceClipped[t[i]];
            double sum = 0;
            for (int k = i * per; k < (i + 1) * per; k++) {
                sum += t[i] == 0
                        ? -DiagonalGaussian.discretizedGaussianLogLikelihood(x0[k], p.mean[k], 0.5 * p.logVariance[k])
                        : DiagonalGaussian.normalKl(trueMean[k], trueLogVar, p.mean[k], p.logVariance[k]);
            }
            out[i] = sum / per / Math.log(2.0);
        }
        return out;
    }

    /** Per-item losses for x_0, timesteps t and the given noise (float64 evaluation, no gradients). */
    public TrainingLosses trainingLosses(Denoiser model, INDArray xStart, int[] t, INDArray noise, INDArray y) {
        long[] shape = xStart.shape();
        Tensors.checkBatch(shape, t, "training_losses");
        double[] x0 = Tensors.doubles(xStart), eps = Tensors.doubles(noise);
        double[] xt = qSample(x0, t, eps);
        INDArray xtArr = Tensors.create(xt, shape, xStart.dataType());
        INDArray outArr = model.apply(xtArr, modelTimesteps(t, xStart.dataType()), y);
        return trainingLosses(outArr, xStart, noise, t);
    }

    /** As {@link #trainingLosses(Denoiser, INDArray, int[], INDArray, INDArray)} for a model output on x_t = q_sample(x_0, t, noise). */
    public TrainingLosses trainingLosses(INDArray modelOutput, INDArray xStart, INDArray noise, int[] t) {
        long[] shape = xStart.shape();
        double[] x0 = Tensors.doubles(xStart), eps = Tensors.doubles(noise);
        double[] xt = qSample(x0, t, eps);
        double[] out = Tensors.doubles(modelOutput);
        int n = t.length;
        if (lossType.isVb()) {
            double[] vb = vbTerms(moments(out, modelOutput.shape(), xt, shape, t, false), x0, xt, t);
            if (lossType == LossType.RESCALED_KL) for (int i = 0; i < n; i++) vb[i] *= numTimesteps;
            return new TrainingLosses(vb.clone(), null, vb);
        }
        double[] vb = null;
        if (varType.isLearned()) {
            // the mean channels only matter numerically here; their gradient is stopped in DiffusionLossGraph
            vb = vbTerms(moments(out, modelOutput.shape(), xt, shape, t, false), x0, xt, t);
            if (lossType == LossType.RESCALED_MSE) for (int i = 0; i < n; i++) vb[i] *= numTimesteps / 1000.0;
        }
        double[] target;
        switch (meanType) {
            case PREVIOUS_X: target = posteriorMean(x0, xt, t); break;
            case START_X: target = x0; break;
            default: target = eps;
        }
        int per = x0.length / n, outPer = out.length / n;
        double[] mse = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < per; k++) {
                double d = target[i * per + k] - out[i * outPer + k];
                s += d * d;
            }
            mse[i] = s / per;
        }
        double[] loss = mse.clone();
        if (vb != null) for (int i = 0; i < n; i++) loss[i] += vb[i];
        return new TrainingLosses(loss, mse, vb);
    }

    /** Per-item training terms; mse is null for the KL losses, vb null for MSE with fixed variances. */
    public record TrainingLosses(double[] loss, double[] mse, double[] vb) {}

    /** Builds the process the reference's create_gaussian_diffusion would. */
    public static final class Builder {
        private NoiseSchedule schedule = NoiseSchedule.LINEAR;
        private int steps = 1000;
        private String respacing = "";
        private ModelMeanType meanType = ModelMeanType.EPSILON;
        private ModelVarType varType = ModelVarType.FIXED_LARGE;
        private LossType lossType = LossType.MSE;
        private boolean rescaleTimesteps;

        public Builder schedule(NoiseSchedule s) { schedule = Objects.requireNonNull(s); return this; }
        public Builder steps(int t) { steps = t; return this; }
        /** "" for none, else the syntax of {@link Respacing#spaceTimesteps}. */
        public Builder respacing(String r) { respacing = r == null ? "" : r; return this; }
        public Builder meanType(ModelMeanType m) { meanType = Objects.requireNonNull(m); return this; }
        public Builder varType(ModelVarType v) { varType = Objects.requireNonNull(v); return this; }
        public Builder lossType(LossType l) { lossType = Objects.requireNonNull(l); return this; }
        public Builder rescaleTimesteps(boolean r) { rescaleTimesteps = r; return this; }

        public GaussianDiffusion build() {
            double[] base = schedule.betas(steps);
            int[] kept = Respacing.spaceTimesteps(steps, respacing);
            return new GaussianDiffusion(Respacing.respacedBetas(base, kept), kept, steps, meanType, varType, lossType,
                    rescaleTimesteps);
        }
    }
}
