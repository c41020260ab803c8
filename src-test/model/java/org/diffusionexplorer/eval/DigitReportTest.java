package org.diffusionexplorer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The report's counting: histogram, confident share, and agreement with the classes a conditional model was asked for. */
class DigitReportTest {
    /** One row per sample: probability {@code p} on {@code digit}, the rest spread evenly; 3-d features from the row index. */
    private static Prediction prediction(int[] digits, double[] p) {
        INDArray probs = Nd4j.zeros(digits.length, DigitClassifier.CLASSES), feats = Nd4j.zeros(digits.length, 3);
        for (int i = 0; i < digits.length; i++) {
            for (int d = 0; d < DigitClassifier.CLASSES; d++) {
                probs.putScalar(i, d, d == digits[i] ? p[i] : (1 - p[i]) / (DigitClassifier.CLASSES - 1));
            }
            for (int f = 0; f < 3; f++) feats.putScalar(i, f, Math.sin(i * 1.7 + f));
        }
        return new Prediction(probs, feats);
    }

    @Test
    void countsAgreementWithTheAskedForClasses() {
        Prediction samples = prediction(new int[] {0, 1, 5, 3, 4}, new double[] {0.95, 0.99, 0.5, 0.91, 0.89});
        Prediction real = prediction(new int[] {7, 2, 2}, new double[] {0.99, 0.95, 0.3});
        FeatureStats train = FeatureStats.of(real.features());
        DigitReport r = DigitReport.of(samples, new long[] {0, 1, 2, 3, 4}, train, real);
        assertEquals(5, r.n());
        assertEquals(1, r.counts()[5]);
        assertEquals(0, r.counts()[2]);
        assertEquals(3, r.confident(), "0.95, 0.99 and 0.91 reach 0.9; 0.89 does not");
        assertEquals(5, r.asked());
        assertEquals(4, r.agreeing(), "only the sample asked to be a 2 reads as a 5");
        assertEquals(0.8, r.agreementShare(), 1e-12);
        assertEquals(2, r.heldOutConfident());
    }

    @Test
    void anUnconditionalModelHasNoAgreement() {
        Prediction samples = prediction(new int[] {0, 1, 2}, new double[] {0.95, 0.99, 0.5});
        DigitReport r = DigitReport.of(samples, null, FeatureStats.of(samples.features()), samples);
        assertEquals(0, r.asked());
        assertTrue(Double.isNaN(r.agreementShare()));
        assertThrows(IllegalArgumentException.class, () -> DigitReport.of(samples, new long[] {0}, FeatureStats.of(samples.features()), samples));
    }
}
