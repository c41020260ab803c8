package org.diffusionexplorer.app.denoising;

import java.util.ArrayList;
import java.util.List;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.Duration;
import org.diffusionexplorer.app.view.Views;

/**
 * The stored frames of a run and the controls to move through them: a timeline slider, Play/Pause
 * and the speed. While sampling it follows the newest frame until the user scrubs, steps or plays.
 */
final class FramePlayer {
    /** One tick at rate 1; the speed slider sets the rate, so frames per second = speed. */
    private static final double TICK_MS = 100;

    private final List<RenderedFrame> frames = new ArrayList<>();
    private final ObjectProperty<RenderedFrame> shown = new SimpleObjectProperty<>();
    private final Slider timeline = new Slider(0, 0, 0);
    private final Slider speed = new Slider(1, 60, 12);
    private final Button play = new Button("Play");
    private final Label position = new Label("no frames yet");
    private final Timeline ticker = new Timeline(new KeyFrame(Duration.millis(TICK_MS), e -> tick()));
    private final HBox node;
    private final FlowPane speedRow;
    private boolean following = true;
    private boolean sampling;
    private boolean moving; // the player itself moves the slider: not the user scrubbing

    FramePlayer() {
        ticker.setCycleCount(Animation.INDEFINITE);
        ticker.rateProperty().bind(speed.valueProperty().divide(1000 / TICK_MS));
        play.setId("denoise-play");
        play.setMinWidth(80);
        play.setOnAction(e -> togglePlay());
        play.disableProperty().bind(timeline.maxProperty().isEqualTo(0));
        timeline.setId("denoise-timeline");
        timeline.setBlockIncrement(1);
        timeline.setMajorTickUnit(1);
        timeline.setSnapToTicks(true);
        timeline.setMinorTickCount(0);
        timeline.setPrefWidth(420);
        HBox.setHgrow(timeline, Priority.ALWAYS);
        timeline.disableProperty().bind(timeline.maxProperty().isEqualTo(0));
        timeline.valueProperty().addListener((o, was, now) -> {
            if (!moving) following = false;
            showIndex((int) Math.round(now.doubleValue()));
        });
        position.setId("denoise-frame-label");
        position.setMinWidth(330);
        speed.setId("denoise-speed");
        speed.setPrefWidth(110);
        Label speedValue = new Label();
        speedValue.setMinWidth(70);
        speedValue.textProperty().bind(Bindings.format("%.0f frames/s", speed.valueProperty()));
        node = new HBox(10, play, timeline, position);
        node.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        speedRow = Views.controlRow(new Label("Play speed"), speed, speedValue);
    }

    HBox node() {
        return node;
    }

    FlowPane speedRow() {
        return speedRow;
    }

    /** A new run: no frames, and follow the newest again. */
    void clear() {
        ticker.stop();
        play.setText("Play");
        frames.clear();
        following = true;
        move(0, 0);
        shown.set(null);
        position.setText("no frames yet");
    }

    void add(RenderedFrame f) {
        frames.add(f);
        int last = frames.size() - 1;
        move(last, following ? last : timeline.getValue());
        if (following || shown.get() == null) showIndex(following ? last : (int) timeline.getValue());
    }

    void togglePlay() {
        if (frames.size() < 2) return;
        if (ticker.getStatus() == Animation.Status.RUNNING) {
            ticker.pause();
            play.setText("Play");
        } else {
            following = false;
            if (index() >= frames.size() - 1) move(frames.size() - 1, 0); // from the start again
            ticker.play();
            play.setText("Pause");
        }
    }

    void step(int direction) {
        if (frames.isEmpty()) return;
        following = false;
        timeline.setValue(Math.max(0, Math.min(frames.size() - 1, index() + direction)));
    }

    /** While a run is still producing frames, playing waits at the newest one instead of stopping. */
    void setSampling(boolean on) {
        sampling = on;
    }

    double speed() {
        return speed.getValue();
    }

    private void tick() {
        if (index() < frames.size() - 1) {
            move(frames.size() - 1, index() + 1);
        } else if (!sampling) { // at the newest frame: wait for more while sampling, else stop
            ticker.pause();
            play.setText("Play");
        }
    }

    private void move(double max, double value) {
        moving = true;
        try {
            timeline.setMax(max);
            timeline.setValue(value);
        } finally {
            moving = false;
        }
    }

    private int index() {
        return (int) Math.round(timeline.getValue());
    }

    private void showIndex(int i) {
        if (i < 0 || i >= frames.size()) return;
        RenderedFrame f = frames.get(i);
        shown.set(f);
        position.setText("frame " + (i + 1) + "/" + frames.size() + ":  " + f.describe());
    }

    /** The frame on screen (null before the first one arrives). */
    ReadOnlyObjectProperty<RenderedFrame> shownProperty() {
        return shown;
    }

    List<RenderedFrame> frames() {
        return List.copyOf(frames);
    }

    Slider timeline() {
        return timeline;
    }
}
