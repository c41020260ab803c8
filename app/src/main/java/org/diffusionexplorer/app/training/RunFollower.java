package org.diffusionexplorer.app.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.concurrent.ScheduledService;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.scene.image.Image;
import javafx.util.Duration;
import org.diffusionexplorer.io.StepFiles;
import org.diffusionexplorer.train.LossPoint;
import org.diffusionexplorer.train.MetricsLog;
import org.diffusionexplorer.train.RunFolder;
import org.diffusionexplorer.train.RunLock;
import org.diffusionexplorer.checkpoint.CheckpointStore;

/**
 * Follows a run folder that another process (the CLI, here or on a machine whose folder is shared)
 * is training: a JavaFX {@link ScheduledService} polls it once a second and hands over the
 * metrics.csv rows written since the last poll, the newest sample grid and the newest checkpoint's
 * step; once the writer has released the run's lock (the run ended, however it ended) a last poll
 * reads what it wrote last and the following stops. Strictly a reader: files are opened for reading
 * only, no lock is taken (see {@link RunLock#heldByWriter}), nothing is created in the folder.
 */
final class RunFollower {
    static final Duration PERIOD = Duration.seconds(1);

    /** What one poll found: new loss points, a newer grid (or null), the newest checkpoint (-1: none), the writer still on. */
    record Update(List<LossPoint> points, Image grid, long gridStep, long checkpointStep, boolean writing) {}

    private final RunFolder folder;
    private final MetricsLog.Tail metrics;
    private final ReadOnlyBooleanWrapper following = new ReadOnlyBooleanWrapper(false);
    private final Poller poller = new Poller();
    /** touched by one poll at a time (the service runs its tasks one after another) */
    private volatile long gridStep = -1;

    RunFollower(Path dir) {
        folder = new RunFolder(dir);
        metrics = new MetricsLog.Tail(folder.metrics());
        poller.setPeriod(PERIOD);
        poller.setMaximumFailureCount(3); // a transient read error is retried; three in a row end the following
    }

    Path dir() {
        return folder.dir();
    }

    /** True from {@link #start} until the writer ended (or {@link #stop}). */
    ReadOnlyBooleanProperty followingProperty() {
        return following.getReadOnlyProperty();
    }

    /**
     * Starts polling (FX thread). {@code updates} gets every poll's findings on the FX thread, the last
     * one with {@code writing} false; {@code failed} the reason when polling had to give up.
     */
    void start(Consumer<Update> updates, Consumer<Throwable> failed) {
        poller.setOnSucceeded(e -> {
            Update u = poller.getValue();
            if (u == null) return;
            if (!u.writing()) stop();
            updates.accept(u);
        });
        poller.stateProperty().addListener((o, was, now) -> {
            if (now == Worker.State.FAILED) {
                stop();
                failed.accept(poller.getException());
            }
        });
        following.set(true);
        poller.start();
    }

    void stop() {
        following.set(false);
        poller.cancel();
    }

    /** One look at the folder (a background thread). */
    Update poll() throws IOException {
        // the writer first: when it has ended, the reads below see everything it wrote
        boolean writing = RunLock.heldByWriter(folder.dir());
        List<LossPoint> points = metrics.next();
        Image grid = null;
        long newest = StepFiles.SAMPLE_GRIDS.newest(folder.samples());
        if (newest > gridStep) {
            try (InputStream in = Files.newInputStream(folder.sampleGrid(newest))) {
                grid = new Image(in); // grids are written to a temporary name and renamed: always whole
            }
            gridStep = newest;
        }
        return new Update(points, grid, newest, StepFiles.CHECKPOINTS.newest(CheckpointStore.folderOf(folder.dir())), writing);
    }

    private final class Poller extends ScheduledService<Update> {
        @Override
        protected Task<Update> createTask() {
            return new Task<>() {
                @Override
                protected Update call() throws IOException {
                    return poll();
                }
            };
        }
    }
}
