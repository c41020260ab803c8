package org.diffusionexplorer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled datasets open by name with the expected counts, classes and shapes. */
class DatasetsTest {

    @Test
    void assetsAreFound() {
        assertTrue(Files.isDirectory(Datasets.assetsDir().resolve("datasets/mnist")));
    }

    @Test
    void mnistTrainAndTest() throws Exception {
        ImageDataset train = Datasets.open("mnist", 32, 1, true);
        assertEquals(9000, train.size());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), train.classNames());
        assertEquals(32 * 32, train.pixels(0).length);
        assertEquals(0, train.label(0));
        assertEquals(9, train.label(8999));
        int[] perClass = new int[10];
        for (int i = 0; i < train.size(); i++) perClass[train.label(i)]++;
        for (int c : perClass) assertTrue(c > 700 && c < 1100, "digits per class " + c);
        // A digit is white on black: corners are background (-1), something is bright.
        float[] img = train.image(123);
        assertEquals(-1f, img[0]);
        float max = -1;
        for (float v : img) max = Math.max(max, v);
        assertTrue(max > 0.9f);

        ImageDataset test = Datasets.open("mnist-test", 28, 3, true);
        assertEquals(1000, test.size());
        assertEquals(3 * 28 * 28, test.pixels(999).length);
        for (int d = 0; d < 10; d++) assertEquals(d, test.label(d * 100));
    }

    @Test
    void mnistAt28IsTheRawDigit() throws Exception {
        // Same size: no resampling, so the bytes are exactly the sheet's tile.
        ImageDataset a = Datasets.open("mnist", 28, 1, false);
        ImageDataset b = Datasets.open("MNIST", 32, 1, false);
        assertEquals(28 * 28, a.pixels(5).length);
        assertEquals(-1, a.label(5));
        assertEquals(32 * 32, b.pixels(5).length);
    }

    @Test
    void emoji() throws Exception {
        ImageDataset e = Datasets.open("emoji", 32, 3, true);
        assertEquals(459, e.size());
        assertEquals(0, e.summary().skipped());
        assertEquals(List.of("animals", "food", "smileys"), e.classNames());
        assertEquals(3 * 32 * 32, e.pixels(0).length);
        assertEquals(255, e.pixels(0)[0] & 0xff); // white background in the corner
        try (BatchIterator it = BatchIterator.start(e, 16, 3, 0, BatchIterator.DEFAULT_PREFETCH)) {
            Batch batch = it.next();
            assertArrayEquals(new long[] {16, 3, 32, 32}, batch.x().shape());
            assertTrue(batch.x().minNumber().floatValue() >= -1f && batch.x().maxNumber().floatValue() <= 1f);
        }
    }

    @Test
    void defaultChannels() {
        assertEquals(1, Datasets.defaultChannels("mnist"));
        assertEquals(1, Datasets.defaultChannels("MNIST-test"));
        assertEquals(3, Datasets.defaultChannels("emoji"));
        assertEquals(3, Datasets.defaultChannels("/some/folder"));
    }

    @Test
    void unknownNamesAndFoldersFailClearly() {
        DatasetException ex = assertThrows(DatasetException.class, () -> Datasets.open("no-such-dataset", 32, 3, false));
        assertTrue(ex.getMessage().contains("mnist"), ex.getMessage());
    }
}
