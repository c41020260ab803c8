package org.diffusionexplorer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Shuffled, endless, seeded batches decoded ahead on a thread that close() stops. */
class BatchIteratorTest {
    @TempDir
    Path dir;

    /** 10 images of 8x8 gray; image k has value 20*k, class "c{k%3}". */
    @BeforeEach
    void makeFolder() throws Exception {
        for (int k = 0; k < 10; k++) {
            TestImages.write(TestImages.gray(8, 8, 20 * k), "png", dir.resolve("c" + (k % 3) + "_" + k + ".png"));
        }
    }

    /** Batches from the first one on, prefetched as a training run's are. */
    private static BatchIterator start(ImageDataset ds, int batchSize, long seed) {
        return BatchIterator.start(ds, batchSize, seed, 0, BatchIterator.DEFAULT_PREFETCH);
    }

    private List<int[]> take(BatchIterator it, int n) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(it.next().indices());
        return out;
    }

    @Test
    void shapesValuesAndLabels() {
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1).withClassLabels(true));
        try (BatchIterator it = start(ds, 4, 7)) {
            Batch b = it.next();
            assertArrayEquals(new long[] {4, 1, 8, 8}, b.x().shape());
            assertEquals(DataType.FLOAT, b.x().dataType());
            assertEquals(DataType.INT64, b.y().dataType());
            assertArrayEquals(new long[] {4}, b.y().shape());
            for (int j = 0; j < 4; j++) {
                int idx = b.indices()[j];
                String name = ds.files().get(idx).getFileName().toString();
                int k = Integer.parseInt(name.substring(3, name.length() - 4));
                assertEquals(20 * k / 127.5f - 1f, b.x().getFloat(j, 0, 3, 5), 1e-6);
                assertEquals(k % 3, b.y().getLong(j));
            }
        }
    }

    @Test
    void unlabelledHasNoY() {
        try (BatchIterator it = start(ImageFolderDataset.open(dir, DatasetOptions.of(8, 3)), 2, 1)) {
            Batch b = it.next();
            assertNull(b.y());
            assertArrayEquals(new long[] {2, 3, 8, 8}, b.x().shape());
        }
    }

    @Test
    void epochsDropTheShortBatchAndReshuffle() {
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1));
        try (BatchIterator it = start(ds, 3, 11)) {
            assertEquals(3, it.batchesPerEpoch()); // 10 / 3, the last image of each epoch left out
            List<int[]> batches = take(it, 6);
            Set<Integer> epoch0 = new HashSet<>();
            for (int i = 0; i < 3; i++) for (int v : batches.get(i)) assertTrue(epoch0.add(v), "no repeats within an epoch");
            assertEquals(9, epoch0.size());
            int[] e0 = concat(batches.subList(0, 3)), e1 = concat(batches.subList(3, 6));
            assertFalse(Arrays.equals(e0, e1), "a new permutation each epoch");
            assertArrayEquals(Arrays.copyOf(BatchIterator.epochOrder(10, 11, 1), 9), e1);
        }
    }

    @Test
    void sameSeedSameOrderAndResumeFromAnyBatch() {
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1));
        List<int[]> a, b, c, resumed;
        try (BatchIterator it = start(ds, 4, 42)) {
            a = take(it, 7);
        }
        try (BatchIterator it = start(ds, 4, 42)) {
            b = take(it, 7);
        }
        try (BatchIterator it = start(ds, 4, 43)) {
            c = take(it, 7);
        }
        try (BatchIterator it = BatchIterator.start(ds, 4, 42, 5, 2)) {
            resumed = take(it, 2);
        }
        assertArrayEquals(concat(a), concat(b));
        assertNotEquals(Arrays.toString(concat(a)), Arrays.toString(concat(c)));
        assertArrayEquals(concat(a.subList(5, 7)), concat(resumed));
    }

    @Test
    void closeStopsThePrefetchThread() throws Exception {
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1));
        BatchIterator it = BatchIterator.start(ds, 2, 1, 0, 2);
        it.next();
        Thread.sleep(200); // let it fill the queue and block
        assertTrue(it.isRunning());
        it.close();
        assertFalse(it.isRunning());
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    @Test
    void aFileThatBreaksLaterIsReplacedByTheNextInTheOrder() throws Exception {
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1).withCache(false));
        int[] order = BatchIterator.epochOrder(10, 5, 0);
        Files.write(ds.files().get(order[0]), new byte[] {1, 2, 3}); // corrupt the first image of epoch 0
        try (BatchIterator it = start(ds, 5, 5)) {
            int[] first = it.next().indices();
            assertEquals(order[1], first[0]);
            assertEquals(order[1], first[1]);
            take(it, 3);
        }
        assertEquals(1, ds.summary().skipped());
        assertEquals(9, ds.summary().loaded());
    }

    @Test
    void inOrderFollowsTheDatasetLikeDeterministicTrue() {
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1));
        try (BatchIterator it = BatchIterator.inOrder(ds, 4, 2)) {
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3}, concat(take(it, 3)));
        }
    }

    @Test
    void tooFewImagesForABatch() {
        ImageFolderDataset ds = ImageFolderDataset.open(dir, DatasetOptions.of(8, 1));
        assertThrows(DatasetException.class, () -> start(ds, 11, 1));
    }

    private static int[] concat(List<int[]> parts) {
        return parts.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
