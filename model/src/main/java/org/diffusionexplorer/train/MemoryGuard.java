package org.diffusionexplorer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps resident memory bounded during training. Most step arrays are freed at once by
 * {@link ArrayReaper}; the rest of M2.1's native garbage is owned by Java objects and freed only
 * when they are collected. So: a GC whenever resident memory has grown by more than a budget since
 * the last one (a few times per run once the allocator is warm), instead of one per step. Where
 * /proc/self/statm is missing (not Linux) it falls back to a GC every {@code fallbackEvery} steps.
 */
final class MemoryGuard {
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE = 4096;
    private final long budgetBytes;
    private final int fallbackEvery;
    private long lastRss = -1;
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
            lastRss = rss;
        } else if (rss - lastRss > budgetBytes) {
            gc();
            lastRss = rss();
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
