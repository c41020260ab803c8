package org.diffusionexplorer.app.denoising;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.diffusionexplorer.models.BundledModels;
import org.junit.jupiter.api.Test;

/**
 * The start-up preload ({@link ModelPreload}) and what it relies on: an open bundled model is kept
 * when the pane opens it again, and a warm-up at the default size records the plan the pane's first
 * request uses.
 */
class ModelPreloadTest {
    private static final ModelSource DEFAULT = new ModelSource.Bundled(BundledModels.DEFAULT);

    @Test
    void theWarmUpRecordsThePlanThePanesFirstRequestUses() throws Exception {
        DenoisingModel model = new DenoisingModel();
        DenoiserInfo info = model.open(DEFAULT);
        assertEquals(0, model.plansMade(), "opening runs nothing");
        model.warmUp(DenoisingRequest.DEFAULT_COUNT);
        int recorded = model.plansMade();
        assertTrue(recorded >= 1, "the warm-up ran the model: " + recorded);

        assertSame(info, model.open(DEFAULT), "an open bundled model is kept, not read again");
        List<DenoiseFrame> frames = new ArrayList<>();
        boolean done = model.sample(new DenoisingRequest(DenoisingRequest.Sampler.DDIM, 3, 0, 7, DenoisingRequest.DEFAULT_COUNT),
                new DenoisingModel.Sink() {
                    @Override
                    public void frame(DenoiseFrame frame) {
                        frames.add(frame);
                    }

                    @Override
                    public void progress(int d, int total) {
                    }
                }, () -> false);
        assertTrue(done);
        assertEquals(DenoisingRequest.DEFAULT_COUNT, frames.get(frames.size() - 1).xt().size());
        assertEquals(recorded, model.plansMade(), "the first request at the default size reused the warm-up's plan");
    }

    @Test
    void startOpensAndWarmsTheDefaultModelOnItsOwnThread() throws Exception {
        String was = System.getProperty("diffusion.preload");
        System.setProperty("diffusion.preload", "true"); // the app's tests switch it off
        try {
            org.diffusionexplorer.runtime.NativeRuntime.configure(); // start() does this on the caller's thread, once
            long t0 = System.nanoTime();
            DenoisingModel model = ModelPreload.start();
            assertTrue(System.nanoTime() - t0 < 200_000_000L, "start() returns at once; the model's work runs on its own thread");
            // plansMade() waits on the model's lock while the preload holds it
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (model.plansMade() == 0 && System.nanoTime() < deadline) Thread.sleep(100);
            assertEquals(1, model.plansMade(), "the preload recorded the plan of the default request");
        } finally {
            if (was == null) System.clearProperty("diffusion.preload");
            else System.setProperty("diffusion.preload", was);
        }
    }

    @Test
    void switchedOffItOnlyMakesTheModel() throws Exception {
        String was = System.getProperty("diffusion.preload");
        System.setProperty("diffusion.preload", "false");
        try {
            DenoisingModel model = ModelPreload.start();
            Thread.sleep(500);
            assertEquals(0, model.plansMade());
        } finally {
            if (was == null) System.clearProperty("diffusion.preload");
            else System.setProperty("diffusion.preload", was);
        }
    }

    @Test
    void theOpenBundledModelIsReportedWithoutWaitingForItsLock() throws Exception {
        DenoisingModel model = new DenoisingModel();
        assertNull(model.openBundled(DEFAULT), "nothing open yet");
        DenoiserInfo info = model.open(DEFAULT);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (model) { // the model's lock, as the preload's first pass holds it
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.start();
        held.await();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                assertSame(info, model.openBundled(DEFAULT));
                assertNull(model.openBundled(new ModelSource.OnDisk(Path.of("elsewhere"))), "only the open bundled model");
            }, "answered while another thread holds the model's lock");
        } finally {
            release.countDown();
            holder.join();
        }
    }
}
