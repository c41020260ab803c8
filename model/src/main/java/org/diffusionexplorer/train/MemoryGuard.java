package org.diffusionexplorer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps resident memory bounded during training. M2.1's native buffers are owned by Java objects
 * and freed only when those are collected (closing a step's arrays early broke later steps of the
 * real UNet: the session reuses some across steps). So: a GC after the first step fixes a baseline, then a GC whenever
 * resident memory exceeds baseline + budget. (Comparing with the level at the last GC instead
 * ratchets upwards: the C allocator keeps freed memory, so RSS never falls back.) Where
 * /proc/self/statm is missing (not Linux) it falls back to a GC every {@code fallbackEvery} steps.
 */
final class MemoryGuard {
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE = 4096;
    private final long budgetBytes;
    private final int fallbackEvery;
    private long lastRss = -1; // the baseline
    private long steps;
    private long gcs;

    MemoryGuard(long budgetBytes, int fallbackEvery) {
        this.budgetBytes = budgetBytes;
        this.fallbackEvery = fallbackEvery;
    }

    void afterStep() {
        steps++;
        long rss = rss();
        if (rss < 0) {
            if (steps % fallbackEvery == 0) gc();
            return;
        }
        if (lastRss < 0) {
            gc();
            lastRss = rss();
        } else if (rss - lastRss > budgetBytes) {
            gc();
        }
    }

    long gcCount() {
        return gcs;
    }

    private void gc() {
        System.gc();
        gcs++;
    }

    /** Resident bytes, or -1 when unknown. */
    static long rss() {
        try {
            String[] f = Files.readString(STATM).trim().split(" ");
            return Long.parseLong(f[1]) * PAGE;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
