package org.diffusionexplorer.app.denoising;

/**
 * Which model calls of a run are kept as frames: all of them up to a bound, else that many evenly
 * spaced, always with the first and the last (a 1000-step DDPM run would otherwise hold 1000 grids).
 */
public final class FramePicker {
    private FramePicker() {
    }

    public static boolean[] keep(int steps, int maxFrames) {
        boolean[] keep = new boolean[steps];
        if (steps <= maxFrames) {
            java.util.Arrays.fill(keep, true);
            return keep;
        }
        for (int i = 0; i < maxFrames; i++) keep[(int) Math.round(i * (steps - 1) / (double) (maxFrames - 1))] = true;
        return keep;
    }
}
