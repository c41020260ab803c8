package org.diffusionexplorer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The cached classifier in assets/ (must exist and read held-out digits), its file format and its input adapter. */
class DigitClassifierTest {
    static DigitClassifier cached;
    static Digits test;

    @BeforeAll
    static void loadCached() throws Exception {
        cached = ClassifierFiles.load(ClassifierFiles.defaultDir());
        test = Digits.load("mnist-test");
    }

    @Test
    void cachedClassifierReadsHeldOutDigits() {
        Prediction p = cached.predict(test.images());
        assertArrayEquals(new long[] {test.size(), DigitClassifier.CLASSES}, p.probabilities().shape());
        assertArrayEquals(new long[] {test.size(), DigitClassifier.FEATURES}, p.features().shape());
        double acc = p.accuracy(test.labels());
        assertTrue(acc >= 0.97, "held-out accuracy " + acc);
        // probabilities are a distribution per image
        INDArray sums = p.probabilities().sum(1);
        for (int i = 0; i < test.size(); i++) assertEquals(1.0, sums.getDouble(i), 1e-4);
    }

    /** A preset-B-like view of the digits (32x32 RGB from the data pipeline) goes through resize and luma and is still read. */
    @Test
    void digitsOfAnotherSizeAndThreeChannelsAreStillRead() {
        Digits rgb32 = Digits.load("mnist-test", 32, 3, 400, 0);
        assertArrayEquals(new long[] {400, 3, 32, 32}, rgb32.images().shape());
        double acc = cached.predict(rgb32.images()).accuracy(rgb32.labels());
        assertTrue(acc >= 0.95, "accuracy on resized RGB digits " + acc);
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions(@TempDir Path dir) throws Exception {
        // one training step, so that the file must hold the trained weights (not the seeded initial ones)
        Digits batch = new Digits(test.images().get(NDArrayIndex.interval(500, 564)).dup(), Arrays.copyOfRange(test.labels(), 500, 564));
        DigitClassifier c = DigitClassifier.init(3);
        INDArray x = test.images().get(NDArrayIndex.interval(0, 40));
        float[] before = c.predict(x).probabilities().dup().data().asFloat();
        c.train(batch, new DigitClassifier.TrainOptions(1, 64, 1e-3, 1, 5), null);
        Prediction trained = c.predict(x);
        assertFalse(Arrays.equals(before, trained.probabilities().dup().data().asFloat()), "training changed the weights");
        Path file = dir.resolve("w.npz");
        c.save(file);
        Prediction loaded = DigitClassifier.load(file).predict(x);
        assertArrayEquals(trained.probabilities().dup().data().asFloat(), loaded.probabilities().dup().data().asFloat());
        assertArrayEquals(trained.features().dup().data().asFloat(), loaded.features().dup().data().asFloat());
    }

    @Test
    void resizeKeepsConstantsAndGrayUsesLuma() {
        INDArray flat = Nd4j.valueArrayOf(new long[] {2, 1, 32, 32}, 0.25f);
        INDArray out = DigitImages.prepare(flat);
        assertArrayEquals(new long[] {2, 1, 28, 28}, out.shape());
        assertEquals(0.25, out.minNumber().doubleValue(), 1e-6);
        assertEquals(0.25, out.maxNumber().doubleValue(), 1e-6);
        INDArray rgb = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 8, 8);
        rgb.get(NDArrayIndex.point(0), NDArrayIndex.point(0)).assign(1);  // red
        rgb.get(NDArrayIndex.point(0), NDArrayIndex.point(1)).assign(-1); // green
        INDArray gray = DigitImages.prepare(rgb);
        assertEquals(0.299 - 0.587, gray.getDouble(0, 0, 13, 13), 1e-6);
        // a left-to-right ramp stays monotone and within its range
        INDArray ramp = Nd4j.create(new float[] {-1, -0.5f, 0, 1}, new long[] {1, 1, 1, 4}).broadcast(1, 1, 4, 4).dup();
        INDArray r = DigitImages.prepare(ramp);
        for (int xx = 1; xx < 28; xx++) assertTrue(r.getDouble(0, 0, 5, xx) >= r.getDouble(0, 0, 5, xx - 1));
        assertEquals(-1, r.getDouble(0, 0, 5, 0), 1e-6);
        assertEquals(1, r.getDouble(0, 0, 5, 27), 1e-6);
    }
}
