package org.diffusionexplorer.app.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** NextPulse runs its action once, on the FX thread, at a pulse (not again at the pulses after it). */
@ExtendWith(ApplicationExtension.class)
class NextPulseTest {
    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new Pane(), 100, 100));
        stage.show();
    }

    @Test
    void runsOnceOnTheFxThread() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicBoolean onFxThread = new AtomicBoolean();
        CountDownLatch ran = new CountDownLatch(1);
        Platform.runLater(() -> NextPulse.run(() -> {
            onFxThread.set(Platform.isFxApplicationThread());
            runs.incrementAndGet();
            ran.countDown();
        }));
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the action ran at a pulse");
        // a timer left running would be called again at every pulse (60 a second); keep pulses coming meanwhile
        CountDownLatch later = new CountDownLatch(10);
        Platform.runLater(() -> {
            for (int i = 0; i < 10; i++) NextPulse.run(later::countDown);
        });
        assertTrue(later.await(10, TimeUnit.SECONDS));
        Thread.sleep(300);
        assertEquals(1, runs.get(), "ran exactly once");
        assertTrue(onFxThread.get(), "ran on the FX thread");
    }
}
