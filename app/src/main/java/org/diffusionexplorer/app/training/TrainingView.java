package org.diffusionexplorer.app.training;

import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.ToggleSwitch;
import org.diffusionexplorer.app.view.Views;

/**
 * What the Training pane shows and how it is laid out: the run settings, the buttons, the loss
 * chart, progress, timestep weights and sample grids. It holds no run; TrainingPane decides what
 * they show.
 */
final class TrainingView {
    final Label target = new Label();
    final RunSettingsSheet settings = new RunSettingsSheet();
    final LossChart chart = new LossChart();
    final RunStats stats = new RunStats();
    final SampleGridsView grids = new SampleGridsView();
    final TimestepWeightsView weightsView = new TimestepWeightsView();
    final RunButtons buttons = new RunButtons();
    private final Label followingBadge = new Label("\u25CF following: another process trains this run");

    /** The heading, the data / preset choices, the buttons and where the next run goes; the badge shows while {@code following}. */
    Node controls(Node choices, ObservableBooleanValue following) {
        target.setId("train-target");
        target.getStyleClass().add("hint");
        followingBadge.setId("train-following");
        followingBadge.getStyleClass().add("following-indicator");
        followingBadge.visibleProperty().bind(following);
        followingBadge.managedProperty().bind(following);
        RunButtons b = buttons;
        var row2 = Views.controlRow(b.start, b.pause, b.resume, b.stop, b.step, new Label(" "), b.open, b.saveAs, target, followingBadge);
        VBox box = new VBox(8, Views.heading("Training: the UNet learns to remove noise"), choices, row2);
        box.setPadding(new Insets(0, 0, 10, 0));
        return box;
    }

    Node body() {
        VBox settingsCard = Views.captioned("Run settings", settings.node(),
                "The preset's main fields; Start checks them and names any it cannot use.");
        VBox statsCard = Views.captioned("Progress", stats.node(),
                "Steps done of the target, images per second and time left (averaged over recent steps), memory in use.");
        VBox left = new VBox(12, settingsCard, statsCard);
        left.setPrefWidth(330);
        left.setMinWidth(300);
        left.setMaxWidth(360);

        ToggleSwitch quarters = new ToggleSwitch("Loss per quarter of t");
        quarters.setId("train-quarters");
        quarters.setSelected(true);
        quarters.selectedProperty().addListener((o, was, on) -> chart.showQuarters(on));
        VBox chartBox = new VBox(4, chart.node(), quarters);
        VBox.setVgrow(chart.node(), Priority.ALWAYS);
        VBox chartCard = Views.captioned("Loss while training", chartBox,
                "Grey: each step's loss (every step sees other images, timesteps and noise). Blue: its trend. Q1..Q4: "
                        + "the trend per quarter of t; near t = 0 the noise is faint and hardest to name.");
        VBox weightsCard = Views.captioned("Timesteps practised", weightsView.node(),
                "Which t the trainer draws next: the loss-second-moment sampler practises where the loss is still large and noisy.");
        weightsCard.setId("train-timestep-card");
        VBox column = new VBox(12, chartCard, weightsCard);
        VBox gridsCard = Views.captioned("Samples", grids.node(),
                "From pure noise every sample_interval steps: blobs at first, then shapes like the data.");
        gridsCard.setMaxWidth(Region.USE_PREF_SIZE);
        HBox.setHgrow(column, Priority.ALWAYS);
        // chart and grids side by side: both stay in view on a 1280x800 projector
        HBox right = new HBox(12, column, gridsCard);
        HBox.setHgrow(right, Priority.ALWAYS);
        return new HBox(14, left, right);
    }
}
