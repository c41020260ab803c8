package org.diffusionexplorer.app.denoising;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import org.controlsfx.control.SegmentedButton;
import org.diffusionexplorer.app.denoising.DenoisingRequest.Sampler;
import org.diffusionexplorer.app.view.Views;

/**
 * The sampler settings: which reverse process, how many steps, DDIM's eta, the seed, the number of
 * images and, for a class-conditional model, the class to ask for.
 */
final class SamplerControls {
    private final SegmentedButton sampler;
    private final SpinnerValueFactory.IntegerSpinnerValueFactory stepsFactory = new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 1000, 25);
    private final Spinner<Integer> steps = new Spinner<>(stepsFactory);
    private final Slider eta = new Slider(0, 1, 0);
    private final Spinner<Integer> seed = new Spinner<>(0, Integer.MAX_VALUE, 1);
    private final Spinner<Integer> count = new Spinner<>(1, DenoisingRequest.MAX_COUNT, DenoisingRequest.DEFAULT_COUNT);
    /** Item 0 is "every class in turn"; item k + 1 is class k. */
    private final ComboBox<String> label = new ComboBox<>();
    private final Label labelCaption = new Label("Class");
    private final FlowPane node;
    private Sampler chosen = Sampler.DDIM;

    SamplerControls() {
        ToggleButton full = toggle("DDPM, every step", "denoise-ddpm-full", Sampler.DDPM_FULL);
        ToggleButton respaced = toggle("DDPM, N steps", "denoise-ddpm-respaced", Sampler.DDPM_RESPACED);
        ToggleButton ddim = toggle("DDIM, N steps", "denoise-ddim", Sampler.DDIM);
        sampler = Views.segmented(ddim, s -> chosen = (Sampler) s, full, respaced, ddim);
        steps.setId("denoise-steps");
        steps.setEditable(true);
        steps.setPrefWidth(96);
        steps.disableProperty().bind(full.selectedProperty());
        eta.setId("denoise-eta");
        eta.setPrefWidth(120);
        eta.setBlockIncrement(0.1);
        eta.disableProperty().bind(ddim.selectedProperty().not());
        Label etaValue = new Label();
        etaValue.setId("denoise-eta-label");
        etaValue.setMinWidth(60);
        etaValue.textProperty().bind(Bindings.format("eta %.2f", eta.valueProperty()));
        etaValue.disableProperty().bind(eta.disableProperty());
        seed.setId("denoise-seed");
        seed.setEditable(true);
        seed.setPrefWidth(110);
        count.setId("denoise-count");
        count.setEditable(true);
        count.setPrefWidth(80);
        label.setId("denoise-class");
        label.setTooltip(new javafx.scene.control.Tooltip("A class-conditional model draws the class it is asked for: "
                + "the class embedding is added to the time embedding in every block."));
        setClasses(0);
        node = Views.controlRow(new Label("Sampler"), sampler, new Label("Steps N"), steps, eta, etaValue,
                new Label("Seed"), seed);
    }

    private static ToggleButton toggle(String text, String id, Sampler s) {
        ToggleButton b = new ToggleButton(text);
        b.setId(id);
        b.setUserData(s);
        return b;
    }

    FlowPane node() {
        return node;
    }

    /** The image count sits with the Sample button (the sampler row wrapped it alone onto a line at 1280 px). */
    HBox countControl() {
        HBox box = new HBox(12, new Label("Images"), count, labelCaption, label);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    /** Steps beyond the model's own process make no sense; the spinner stops there. */
    void setMaxSteps(int max) {
        stepsFactory.setMax(max);
        if (steps.getValue() > max) stepsFactory.setValue(max);
    }

    /** Shows the class chooser for a class-conditional model ({@code classes} > 0) and hides it otherwise. */
    void setClasses(int classes) {
        int was = label.getSelectionModel().getSelectedIndex();
        label.getItems().setAll(classes > 0 ? "0.." + (classes - 1) + " in turn" : "");
        for (int k = 0; k < classes; k++) label.getItems().add(Integer.toString(k));
        label.getSelectionModel().select(was > 0 && was <= classes ? was : 0);
        for (javafx.scene.Node n : new javafx.scene.Node[] {label, labelCaption}) {
            n.setVisible(classes > 0);
            n.setManaged(classes > 0);
        }
    }

    /** The class chosen: k, or {@link DenoisingRequest#EVERY_CLASS} for every class in turn. */
    int label() {
        return Math.max(0, label.getSelectionModel().getSelectedIndex()) - 1;
    }

    /** The request as the controls stand; throws IllegalArgumentException with words for the user. */
    DenoisingRequest request() {
        commit(steps);
        commit(seed);
        commit(count);
        return new DenoisingRequest(chosen, steps.getValue(), Math.round(eta.getValue() * 100) / 100.0, seed.getValue(), count.getValue(),
                label());
    }

    /** A typed value counts even when the user did not press Enter. */
    private static void commit(Spinner<Integer> s) {
        if (!s.isEditable()) return;
        String text = s.getEditor().getText();
        try {
            s.getValueFactory().setValue(s.getValueFactory().getConverter().fromString(text.trim()));
        } catch (RuntimeException e) {
            s.getEditor().setText(String.valueOf(s.getValue()));
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
    }
}
