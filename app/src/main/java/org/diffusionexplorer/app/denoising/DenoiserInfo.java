package org.diffusionexplorer.app.denoising;

/**
 * What the user should know about the opened model: its source, image format, process, classes and
 * how long it was trained.
 *
 * @param classes the classes a class-conditional model can be asked for; 0 for an unconditional one
 */
public record DenoiserInfo(String label, int imageSize, int channels, int diffusionSteps, String noiseSchedule,
        long trainingStep, String weightsName, int classes) {

    public String summary() {
        return String.format("%dx%d %s, %s schedule, %d steps%s; weights: %s after %,d training steps", imageSize, imageSize,
                channels == 1 ? "grey" : channels + " channels", noiseSchedule, diffusionSteps,
                classes > 0 ? ", " + classes + " classes" : "", weightsName, trainingStep);
    }
}
