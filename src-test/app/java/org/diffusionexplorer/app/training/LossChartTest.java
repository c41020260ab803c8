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

    /**
     * After thinning, the whole history is still drawn: a 10-minute lesson now passes 2,000 steps, and
     * the chart once drew only the points that came after its first thinning (JavaFX leaves out data
     * items that were removed from a series and added back).
     */
    @Test
    void aThinnedLineStillDrawsItsWholeHistory(FxRobot robot) {
        robot.interact(() -> {
            LossChart live = new LossChart();
            new javafx.scene.Scene(new javafx.scene.layout.StackPane(live.node()), 800, 500);
            for (long s = 0; s < 2600; s += 20) {
                live.add(points(s, 20));
                live.node().applyCss();
                live.node().layout();
            }
            javafx.scene.shape.Path line = (javafx.scene.shape.Path) live.node().lookup(".chart-series-line.series0");
            assertTrue(line.getElements().size() >= live.rawPoints(),
                    "every kept point of the per-step line is on its path: " + line.getElements().size() + " path elements, " + live.rawPoints() + " points");
            assertEquals(0, live.node().getData().get(0).getData().get(0).getXValue().longValue(), "the line starts at step 0");
        });
    }
}
