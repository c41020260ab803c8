package org.diffusionexplorer.app.view;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.scene.control.Slider;
import javafx.util.Duration;

/**
 * A timestep t in 0..steps-1 that a pane shows and the window's keys move: Space plays it (5 steps
 * every 40 ms, so 1000 steps pass in 8 s, then round again), '.' and ',' step it by one, wrapping at
 * both ends; sliders made here follow it and move it.
 */
public final class TimestepPlayer {
    private static final int STRIDE = 5;
    private final int steps;
    private final IntegerProperty t;
    private final Timeline ticker;

    public TimestepPlayer(int steps, int start) {
        this.steps = steps;
        t = new SimpleIntegerProperty(start);
        ticker = new Timeline(new KeyFrame(Duration.millis(40), e -> t.set((t.get() + STRIDE) % steps)));
        ticker.setCycleCount(Timeline.INDEFINITE);
    }

    public IntegerProperty timestepProperty() {
        return t;
    }

    /** A slider over 0..steps-1 kept in step with t both ways (arrow keys move it by one). */
    public Slider slider(String id) {
        Slider s = new Slider(0, steps - 1, t.get());
        s.setId(id);
        s.setBlockIncrement(1);
        s.valueProperty().addListener((o, a, b) -> t.set(b.intValue()));
        t.addListener((o, a, b) -> s.setValue(b.intValue()));
        return s;
    }

    public void togglePlay() {
        if (ticker.getStatus() == Timeline.Status.RUNNING) ticker.pause();
        else ticker.play();
    }

    public void step(int direction) {
        t.set(Math.floorMod(t.get() + direction, steps));
    }
}
