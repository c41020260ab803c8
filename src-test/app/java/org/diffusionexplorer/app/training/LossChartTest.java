package org.diffusionexplorer.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javafx.stage.Stage;
import org.diffusionexplorer.train.LossPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** A run of tens of thousands of steps must not grow the chart without bound (issue 6: long runs). */
@ExtendWith(ApplicationExtension.class)
class LossChartTest {

    @Start
    void start(Stage stage) {
        // the toolkit only; the chart is built and fed on the FX thread below
    }

    private static List<LossPoint> points(long from, int n) {
        List<LossPoint> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double l = 1.0 / (1 + from + i);
            p.add(new LossPoint(from + i, l, new double[] {l, l, Double.NaN, l}));
        }
        return p;
    }

    @Test
    void liveStepsAndLongHistoriesStayBounded(FxRobot robot) {
        robot.interact(() -> {
            LossChart live = new LossChart();
            for (long s = 0; s < 30_000; s += 7) live.add(points(s, 7)); // as the throttled FX updates arrive
            assertTrue(live.rawPoints() <= LossChart.MAX_POINTS, "raw points " + live.rawPoints());
            assertTrue(live.rawPoints() >= LossChart.MAX_POINTS / 2, "thinned, not emptied: " + live.rawPoints());
            for (int k = 0; k < 4; k++) assertTrue(live.quarterPoints(k) <= LossChart.MAX_POINTS);
            assertEquals(0, live.quarterPoints(2), "a quarter without items draws nothing");

            LossChart history = new LossChart();
            history.add(points(0, 50_000)); // a long run's metrics.csv opened at once
            assertTrue(history.rawPoints() <= LossChart.MAX_POINTS + 1, "history points " + history.rawPoints());
        });
    }
}
