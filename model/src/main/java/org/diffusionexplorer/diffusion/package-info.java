/**
 * Gaussian diffusion of improved-diffusion (Nichol and Dhariwal 2021), independent of the network.
 *
 * <ul>
 * <li>{@link org.diffusionexplorer.diffusion.GaussianDiffusion}: schedule arrays (float64), q_sample,
 *     posterior, p_mean_variance, training losses and the bits-per-dim loop; build it with
 *     {@code GaussianDiffusion.builder().schedule(NoiseSchedule.COSINE).steps(4000).respacing("ddim50")...}.</li>
 * <li>{@link org.diffusionexplorer.diffusion.Denoiser}: the network (UNetModel::forward fits).</li>
 * <li>{@link org.diffusionexplorer.diffusion.DdpmSampler}, {@link org.diffusionexplorer.diffusion.DdimSampler}:
 *     seeded reverse processes, step by step through an iterator or a listener.</li>
 * <li>{@link org.diffusionexplorer.diffusion.DiffusionLossGraph}: the loss as SameDiff ops on the network's graph.</li>
 * <li>{@link org.diffusionexplorer.diffusion.TimestepSampler}: uniform or loss-second-moment importance sampling.</li>
 * </ul>
 *
 * A training step: {@code Draw d = sampler.sample(n, rng)}; noise of x_0's shape from rng;
 * {@code feed = lossGraph.feed(x0, d.t(), noise, d.weights())}; gradients of {@code diffusion/weighted_loss}
 * with {@code feed.placeholders()} (plus "y"); for a LossSecondMomentResampler,
 * {@code update(d.t(), per-item diffusion/loss)}. Sampling with a respaced process uses a model trained on
 * the full one: the model is always fed the original timestep numbers.
 */
package org.diffusionexplorer.diffusion;
