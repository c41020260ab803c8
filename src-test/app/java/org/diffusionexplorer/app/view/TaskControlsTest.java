package org.diffusionexplorer.app.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.scene.Scene;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** TaskControls follows one task: progress and message while it runs, the ending's line after, Cancel only while running. */
@ExtendWith(ApplicationExtension.class)
class TaskControlsTest {
    private TaskControls controls; // made in start(): controls need the toolkit
    private final List<Worker.State> ends = new ArrayList<>();

    @Start
    void start(Stage stage) {
        controls = new TaskControls("t", 100);
        stage.setScene(new Scene(new HBox(controls.cancelButton(), controls.progressBar(), controls.statusLabel()), 400, 60));
        stage.show();
    }

    private static String ending(Task<Integer> t, Worker.State state, String last) {
        return state == Worker.State.SUCCEEDED ? "done with " + t.getValue() : state + " at " + last;
    }

    @Test
    void aFinishedTaskLeavesItsEndingAndFreesCancel() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Task<Integer> t = new Task<>() {
            @Override
            protected Integer call() throws Exception {
                updateProgress(1, 4);
                updateMessage("step 1 of 4");
                go.await(10, TimeUnit.SECONDS);
                return 42;
            }
        };
        WaitForAsyncUtils.asyncFx(() -> controls.follow(t, TaskControlsTest::ending, ends::add)).get();
        new Thread(t).start();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> "step 1 of 4".equals(controls.statusLabel().getText()));
        assertTrue(controls.isRunning());
        assertFalse(controls.cancelButton().isDisabled(), "Cancel while running");
        assertEquals(0.25, controls.progressBar().getProgress(), 1e-9);
        go.countDown();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !controls.isRunning());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("done with 42", controls.statusLabel().getText());
        assertTrue(controls.cancelButton().isDisabled(), "no Cancel once ended");
        assertEquals(List.of(Worker.State.SUCCEEDED), ends);
    }

    @Test
    void cancelStopsTheTaskAndTheLineKeepsTheLastMessage() throws Exception {
        Task<Integer> t = new Task<>() {
            @Override
            protected Integer call() throws Exception {
                updateMessage("model call 3 of 10");
                while (!isCancelled()) Thread.sleep(5);
                return 0;
            }
        };
        WaitForAsyncUtils.asyncFx(() -> controls.follow(t, TaskControlsTest::ending, ends::add)).get();
        new Thread(t).start();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> "model call 3 of 10".equals(controls.statusLabel().getText()));
        WaitForAsyncUtils.asyncFx(() -> controls.cancelButton().fire()).get();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !controls.isRunning());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("CANCELLED at model call 3 of 10", controls.statusLabel().getText());
        assertEquals(List.of(Worker.State.CANCELLED), ends);
    }

    @Test
    void aNewTaskCancelsTheOldOneAndOnlyTheNewOneIsFollowedAfter() throws Exception {
        replace(true);
    }

    @Test
    void aTaskNotYetStartedIsCancelledTooAndNeverRuns() throws Exception {
        replace(false);
    }

    private void replace(boolean started) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean firstRan = new java.util.concurrent.atomic.AtomicBoolean();
        Task<Integer> first = new Task<>() {
            @Override
            protected Integer call() throws Exception {
                firstRan.set(true);
                while (!isCancelled()) Thread.sleep(5);
                return 1;
            }
        };
        Task<Integer> second = new Task<>() {
            @Override
            protected Integer call() {
                return 2;
            }
        };
        WaitForAsyncUtils.asyncFx(() -> controls.follow(first, TaskControlsTest::ending, ends::add)).get();
        if (started) new Thread(first).start(); // else: replaced while still waiting to run
        WaitForAsyncUtils.asyncFx(() -> controls.follow(second, TaskControlsTest::ending, ends::add)).get();
        assertTrue(first.isCancelled(), "following a new task cancels the old");
        if (!started) {
            Thread late = new Thread(first); // an executor getting to it now
            late.start();
            late.join(5000);
            assertFalse(firstRan.get(), "a task cancelled before it started never runs");
        }
        Platform.runLater(() -> new Thread(second).start());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !controls.isRunning());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("done with 2", controls.statusLabel().getText());
        // the old task's cancellation is reported when it is replaced; after that only the new one is followed
        assertEquals(List.of(Worker.State.CANCELLED, Worker.State.SUCCEEDED), ends);
    }
}
