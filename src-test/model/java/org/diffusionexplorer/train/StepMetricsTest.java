package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionexplorer.diffusion.TimestepSampler;
import org.junit.jupiter.api.Test;

/** StepMetrics.of is the reference's log_loss_dict: weighted batch means and the loss per quartile of t. */
class StepMetricsTest {
    @Test
    void weightedMeansAndQuartilesAsTheReferenceLogsThem() {
        // t = 0 and 249 fall in quartile 0, 500 in quartile 2, 999 in quartile 3; none in quartile 1
        TimestepSampler.Draw draw = new TimestepSampler.Draw(new int[] {0, 249, 500, 999}, new double[] {1, 2, 1, 0.5});
        double[] loss = {1, 3, 5, 8}, mse = {2, 2, 2, 2}, vb = {0, 1, 0, 4};
        StepMetrics m = StepMetrics.of(7, 10, draw, 1000, loss, mse, vb, 0.25, 1e-4, 2.0);
        assertEquals((1 + 6 + 5 + 4) / 4.0, m.loss(), 1e-12);
        assertEquals((2 + 4 + 2 + 1) / 4.0, m.mse(), 1e-12);
        assertEquals((0 + 2 + 0 + 2) / 4.0, m.vb(), 1e-12);
        assertEquals((1 + 6) / 2.0, m.lossQ()[0], 1e-12);
        assertTrue(Double.isNaN(m.lossQ()[1]), "no item in quartile 1");
        assertEquals(5, m.lossQ()[2], 1e-12);
        assertEquals(4, m.lossQ()[3], 1e-12);
        assertEquals(2.0, m.imagesPerSecond(), 1e-12); // 4 items in 2 s
        assertEquals(7, m.step());
        assertEquals(0.25, m.gradNorm());
    }
}
