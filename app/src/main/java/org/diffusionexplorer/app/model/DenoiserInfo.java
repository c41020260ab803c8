package org.diffusionexplorer.app.model;

/**
 * What the user should know about the opened model: its source, image format, process and how long
 * it was trained.
 */
public record DenoiserInfo(String label, int imageSize, int channels, int diffusionSteps, String noiseSchedule,
        long trainingStep, String weightsName) {

    public String summary() {
        return String.format("%dx%d %s, %s schedule, %d steps; weights: %s after %,d training steps", imageSize, imageSize,
                channels == 1 ? "grey" : channels + " channels", noiseSchedule, diffusionSteps, weightsName, trainingStep);
    }
}
