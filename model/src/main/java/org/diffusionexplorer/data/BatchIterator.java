package org.diffusionexplorer.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Endless shuffled batches, as the reference's loader: a fresh permutation every epoch, the last
 * short batch of an epoch dropped. The order depends only on (seed, epoch), so a resumed run can
 * start at any batch number and see the same data. A background thread decodes ahead into a
 * bounded queue; {@link #close()} stops it.
 *
 * <p>An image that fails to decode is replaced by the next one in the epoch's permutation, so the
 * batch arithmetic (and reproducibility) is unchanged; it is reported once in the dataset summary.
 */
public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
    /** Batches decoded ahead by default. */
    public static final int DEFAULT_PREFETCH = 4;

    private final ImageDataset dataset;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final int batchesPerEpoch;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;

    private BatchIterator(ImageDataset dataset, int batchSize, long seed, long firstBatch, int prefetch, boolean shuffle) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        if (prefetch <= 0) throw new IllegalArgumentException("prefetch must be positive: " + prefetch);
        if (firstBatch < 0) throw new IllegalArgumentException("first batch must be >= 0: " + firstBatch);
        if (dataset.size() < batchSize) {
            throw new DatasetException(dataset.name() + " has " + dataset.size() + " images, fewer than the batch size " + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.batchesPerEpoch = dataset.size() / batchSize;
        this.queue = new ArrayBlockingQueue<>(prefetch);
        this.thread = new Thread(() -> produce(firstBatch), "dataset-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts at batch {@code firstBatch} (e.g. the step a resumed run continues from). */
    public static BatchIterator start(ImageDataset dataset, int batchSize, long seed, long firstBatch, int prefetch) {
        return new BatchIterator(dataset, batchSize, seed, firstBatch, prefetch, true);
    }

    /**
     * In dataset order every epoch (the reference's deterministic=True), still endless and still
     * dropping the short batch; e.g. for evaluation on a held-out set.
     */
    public static BatchIterator inOrder(ImageDataset dataset, int batchSize, int prefetch) {
        return new BatchIterator(dataset, batchSize, 0, 0, prefetch, false);
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The permutation of epoch {@code epoch}: Fisher-Yates with a generator seeded from (seed, epoch). */
    public static int[] epochOrder(int n, long seed, int epoch) {
        int[] p = identity(n);
        shuffle(p, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
        return p;
    }

    /** 0, 1, ..., n-1. */
    public static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    /** Fisher-Yates in place, j drawn from {@code rng} for i = n-1 down to 1: the one shuffle of the project's orders. */
    public static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private void produce(long firstBatch) {
        try {
            int n = dataset.size();
            int plane = dataset.channels() * dataset.imageSize() * dataset.imageSize();
            int cachedEpoch = -1;
            int[] perm = null;
            for (long b = firstBatch; !closed; b++) {
                int epoch = (int) (b / batchesPerEpoch);
                if (epoch != cachedEpoch) {
                    perm = shuffle ? epochOrder(n, seed, epoch) : identity(n);
                    cachedEpoch = epoch;
                }
                int base = (int) (b % batchesPerEpoch) * batchSize;
                float[] x = new float[batchSize * plane];
                long[] y = dataset.labelled() ? new long[batchSize] : null;
                int[] used = new int[batchSize];
                for (int j = 0; j < batchSize; j++) {
                    int idx = decodeFrom(perm, base + j, x, j * plane);
                    used[j] = idx;
                    if (y != null) y[j] = dataset.label(idx);
                }
                long s = dataset.imageSize();
                Batch batch = new Batch(Nd4j.create(x, new long[] {batchSize, dataset.channels(), s, s}, 'c'),
                        y == null ? null : Nd4j.createFromArray(y), b, epoch, used);
                while (!closed && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                    // wait for the trainer, re-checking close
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (Throwable t) {
            // hand the failure to the consumer instead of dying silently
            while (!closed) {
                try {
                    if (queue.offer(t, 100, TimeUnit.MILLISECONDS)) break;
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
    }

    /** Decodes perm[pos], or the first image after it in the permutation that decodes. */
    private int decodeFrom(int[] perm, int pos, float[] x, int offset) {
        int n = perm.length;
        for (int k = 0; k < n; k++) {
            int idx = perm[(pos + k) % n];
            try {
                Preprocess.toFloat(dataset.pixels(idx), x, offset);
                return idx;
            } catch (ImageDecodeException e) {
                // recorded by the dataset; try the next one
            }
        }
        throw new DatasetException("no image of " + dataset.name() + " could be decoded: " + dataset.summary());
    }

    /** Always true until closed: the stream is endless. */
    @Override
    public boolean hasNext() {
        return !closed;
    }

    /** The next batch, waiting for the decoder if it is behind. */
    @Override
    public Batch next() {
        if (closed) throw new NoSuchElementException("batch iterator closed");
        try {
            Object o;
            while ((o = queue.poll(100, TimeUnit.MILLISECONDS)) == null) {
                if (!thread.isAlive() && queue.isEmpty()) throw new IllegalStateException("dataset prefetch thread stopped");
            }
            if (o instanceof Throwable) {
                Throwable t = (Throwable) o;
                close();
                if (t instanceof RuntimeException) throw (RuntimeException) t;
                throw new IllegalStateException("dataset prefetch failed: " + t, t);
            }
            return (Batch) o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
    }

    /** Whether the prefetch thread is still running (tests use this to check close()). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops the prefetch thread and waits for it (at most a few seconds: one image decode). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        queue.clear();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
