package org.diffusionexplorer.app.embedding;

import java.util.List;
import javafx.scene.chart.XYChart;
import javafx.scene.image.WritableImage;

/** Everything the time-embedding pane draws for one setting, computed off the FX thread. */
record EmbeddingResult(int dim, double maxPeriod, EmbeddingLayout layout, double[][] embedding, WritableImage heatMap,
        double[][] similarity, int similarityStride, WritableImage similarityImage,
        List<XYChart.Series<Number, Number>> lines) {
}
