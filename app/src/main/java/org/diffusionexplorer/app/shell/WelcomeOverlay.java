package org.diffusionexplorer.app.shell;

import javafx.beans.property.BooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The first start's welcome, over the window: what the explorer shows and an offer of the guided tour.
 * "Don't show this at start again" (ticked by default) is stored when the welcome is closed either way.
 * {@code -Ddiffusion.welcome=false} turns it off (the tests do).
 */
public final class WelcomeOverlay {
    public static final String PROPERTY = "diffusion.welcome";

    private final Overlay overlay;
    private final BooleanProperty welcomeDone;
    private final Runnable startTour;
    private final StackPane layer = new StackPane();
    private final CheckBox dontShow = new CheckBox("Don't show this at start again");

    /** @param welcomeDone the stored "don't show again" flag */
    public WelcomeOverlay(Overlay overlay, BooleanProperty welcomeDone, Runnable startTour) {
        this.overlay = overlay;
        this.welcomeDone = welcomeDone;
        this.startTour = startTour;
        layer.setId("welcome");
        layer.getStyleClass().add("overlay-backdrop"); // dims the window and takes its clicks while shown
        layer.prefWidthProperty().bind(overlay.widthProperty());
        layer.prefHeightProperty().bind(overlay.heightProperty());

        Label title = new Label("Welcome to Diffusion Explorer");
        title.getStyleClass().add("app-title");
        Label text = new Label("Watch an image diffusion model from the inside: how it is told the time, what its "
                + "UNet looks like, how noise wipes out an image step by step, how training teaches the network to "
                + "predict that noise, how sampling runs the process backwards from pure noise, and where the model is unsure.\n\n"
                + "The guided tour opens each of the six panes and says what to look at (about a minute). "
                + "Help > Guided tour shows it again at any time.");
        text.setWrapText(true);
        Button tour = new Button("Take the tour");
        tour.setId("welcome-tour");
        tour.setDefaultButton(true);
        tour.setOnAction(e -> close(true));
        Button later = new Button("Not now");
        later.setId("welcome-close");
        later.setCancelButton(true);
        later.setOnAction(e -> close(false));
        dontShow.setId("welcome-dont-show");
        dontShow.setSelected(true);
        Region gap = new Region();
        HBox.setHgrow(gap, javafx.scene.layout.Priority.ALWAYS);
        HBox buttons = new HBox(10, dontShow, gap, later, tour);
        buttons.setAlignment(Pos.CENTER_LEFT);
        VBox card = new VBox(14, title, text, buttons);
        card.getStyleClass().addAll("overlay-card", "welcome-card");
        card.setMaxHeight(Region.USE_PREF_SIZE); // its width: .welcome-card in explorer.css, 40em
        for (Region r : new Region[] {dontShow, later, tour}) r.setMinWidth(Region.USE_PREF_SIZE); // never "N..."
        layer.getChildren().add(card);
    }

    /** Whether this launch may show the welcome at all. */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "").strip());
    }

    public void show() {
        overlay.add(layer);
    }

    /** Takes the welcome away without storing anything (it shows again at the next start). */
    public void hide() {
        overlay.remove(layer);
    }

    public boolean isShowing() {
        return layer.getParent() != null;
    }

    private void close(boolean tour) {
        welcomeDone.set(dontShow.isSelected());
        overlay.remove(layer);
        if (tour) startTour.run();
    }

    public StackPane node() {
        return layer;
    }
}
