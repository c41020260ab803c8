package org.diffusionexplorer.app.concurrent;

import javafx.animation.AnimationTimer;

/**
 * Runs an action once on the FX thread at the next pulse, i.e. after the scene shown now has been
 * laid out and drawn. Platform.runLater is not the same: it may run before the first frame, and
 * work started there would delay the window it is meant to follow.
 */
public final class NextPulse {
    private NextPulse() {
    }

    /** Call on the FX thread; {@code action} runs once, on the FX thread, at the next pulse. */
    public static void run(Runnable action) {
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                stop();
                action.run();
            }
        }.start();
    }
}
