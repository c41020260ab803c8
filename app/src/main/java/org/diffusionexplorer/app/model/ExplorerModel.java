package org.diffusionexplorer.app.model;

import org.diffusionexplorer.diffusion.NoiseSchedule;
import org.diffusionexplorer.unet.UNetConfig;

/**
 * Everything the views ask of the model side. Views never touch ND4J or SameDiff; calls marked
 * "slow" must run on a background task.
 */
public interface ExplorerModel {

    /** Sinusoidal embeddings of the timesteps, [t.length][dim]. Fast for the sizes the explorer shows. */
    double[][] timestepEmbedding(double[] t, int dim, double maxPeriod, EmbeddingLayout layout);

    /** Angular frequency of frequency index k. */
    double embeddingFrequency(int k, int dim, double maxPeriod);

    /**
     * Slow: activations of every block of a UNet with seeded (untrained) initial weights for one
     * image at timestep t; the image is converted to the config's channel count.
     */
    FeatureMaps featureMaps(UNetConfig config, ImageData image, int t) throws Exception;

    /**
     * Slow: the softmax weights of every attention block of the same UNet as {@link #featureMaps}
     * for one image at timestep t.
     */
    AttentionMaps attention(UNetConfig config, ImageData image, int t) throws Exception;

    /** The forward-process curves for a schedule with T steps. */
    ScheduleCurves schedule(NoiseSchedule schedule, int steps);

    /** Slow the first time (decodes the dataset): image {@code index} of a dataset, size x size, model range. */
    ImageData datasetImage(String dataset, int index, int size, int channels);

    /** Number of images in a dataset (after it was opened by {@link #datasetImage}). */
    int datasetSize(String dataset, int size, int channels);

    /** Standard normal noise of the given shape, the same for the same seed. */
    ImageData noise(long seed, int channels, int height, int width);

    /** q_sample: x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps. */
    ImageData qSample(ScheduleCurves curves, ImageData x0, ImageData eps, int t);

    /** Slow the first time (loads the native backend). */
    BackendInfo backend();

    /** Resident memory of the whole process, natives included (0 when unknown or before the backend loaded). */
    long processBytes();

    /** The models the Denoising pane offers (the Training pane adds its run). */
    DenoisingSources denoising();
}
