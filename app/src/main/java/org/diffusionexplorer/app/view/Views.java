package org.diffusionexplorer.app.view;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.ImageView;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.controlsfx.control.SegmentedButton;
import org.diffusionexplorer.io.Failures;

/** Small builders shared by the panes. */
public final class Views {
    private Views() {
    }

    /** A view with its title above and a one-line explanation below, as every view of the explorer has. */
    public static VBox captioned(String title, Node view, String caption) {
        Label t = new Label(title);
        t.getStyleClass().add("view-title");
        Label c = new Label(caption);
        c.getStyleClass().add("caption");
        c.setWrapText(true);
        c.setMinHeight(Region.USE_PREF_SIZE); // wrap to full height instead of ending in "..."
        VBox box = new VBox(4, t, view, c);
        box.getStyleClass().add("view-card");
        VBox.setVgrow(view, Priority.ALWAYS);
        box.setAlignment(Pos.TOP_LEFT);
        return box;
    }

    /** An ImageView that shows pixels as crisp squares (no smoothing) at a fixed size. */
    public static ImageView pixelView(double size) {
        ImageView v = new ImageView();
        v.setSmooth(false);
        v.setFitWidth(size);
        v.setFitHeight(size);
        v.setPreserveRatio(true);
        return v;
    }

    /** Fills the space it is given and scrolls only when the window is too small for the content. */
    public static ScrollPane scrollable(Node content) {
        ScrollPane s = new ScrollPane(content);
        s.setFitToWidth(true);
        // Stretch to the window when everything fits at its preferred height, else keep that height and scroll
        // (squeezing wrapped captions below their text height makes them overlap).
        s.viewportBoundsProperty().addListener((o, was, now) -> {
            boolean fits = now.getHeight() >= content.prefHeight(now.getWidth());
            if (s.isFitToHeight() != fits) s.setFitToHeight(fits);
        });
        s.getStyleClass().add("pane-scroll");
        return s;
    }

    /** A row of controls that wraps onto a second line when large classroom type makes it too wide. */
    public static FlowPane controlRow(Node... nodes) {
        FlowPane row = new FlowPane(12, 6, nodes);
        row.setAlignment(Pos.CENTER_LEFT);
        for (Node n : nodes) {
            if (n instanceof Region r) r.setMinWidth(Region.USE_PREF_SIZE);
        }
        return row;
    }

    public static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("pane-heading");
        l.setWrapText(true); // classroom mode's larger heading wraps on a narrow window instead of ending in "..."
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    /** Small grey explanatory text. */
    public static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        return l;
    }

    /** The value of one row of a grid of stats (Training's run stats, About's versions): wraps, carries {@code id}. */
    public static Label statValue(String id, String text) {
        Label l = new Label(text);
        l.setId(id);
        l.setWrapText(true);
        return l;
    }

    /** Adds row {@code r} to a grid of stats: the key in the "stat-key" style, kept whole (only values wrap), then the value. */
    public static void statRow(GridPane grid, int r, String key, Label value) {
        Label k = new Label(key);
        k.getStyleClass().add("stat-key");
        k.setMinWidth(Region.USE_PREF_SIZE);
        grid.addRow(r, k, value);
    }

    /** A bordered frame of a fixed-size image view (its size plus the 1 px border). */
    public static VBox imageFrame(ImageView v, double size) {
        return frame(v, size);
    }

    /** As above, saying {@code whenEmpty} in the frame while the view has no image (an empty white box told users nothing). */
    public static VBox imageFrame(ImageView v, double size, String whenEmpty) {
        Label hint = new Label(whenEmpty);
        hint.getStyleClass().addAll("caption", "empty-frame-hint");
        hint.setWrapText(true);
        hint.setMaxWidth(size * 0.8);
        hint.visibleProperty().bind(v.imageProperty().isNull());
        StackPane over = new StackPane(v, hint);
        VBox.setVgrow(over, Priority.ALWAYS); // the hint in the frame's middle
        return frame(over, size);
    }

    private static VBox frame(Node content, double size) {
        VBox f = new VBox(content);
        f.getStyleClass().add("image-frame");
        f.setMinSize(size + 2, size + 2);
        f.setMaxSize(size + 2, size + 2);
        return f;
    }

    /**
     * A ControlsFX SegmentedButton of {@code toggles} with {@code selected} chosen at first and always one
     * chosen; {@code onChoice} gets the user data of each toggle chosen. Its skin rebuilds the toggles
     * when it is made and drops their selection, so the chosen one is selected again then: without this
     * the Forward noising and Time embedding panes opened with none of their toggles lit.
     */
    public static SegmentedButton segmented(ToggleButton selected, Consumer<Object> onChoice, ToggleButton... toggles) {
        SegmentedButton b = new SegmentedButton(toggles);
        ToggleGroup group = b.getToggleGroup();
        Toggle[] chosen = {selected};
        group.selectToggle(selected);
        group.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                if (was != null) was.setSelected(true);
                return;
            }
            chosen[0] = now;
            onChoice.accept(now.getUserData());
        });
        b.skinProperty().addListener((o, was, now) -> group.selectToggle(chosen[0]));
        return b;
    }

    /** Lets the user drop a folder (or file) on {@code target}; the first dropped path goes to {@code use}. */
    public static void acceptFolderDrops(Node target, Consumer<String> use) {
        target.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.LINK, TransferMode.COPY);
            e.consume();
        });
        target.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
            if (ok) use.accept(e.getDragboard().getFiles().get(0).getAbsolutePath());
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /**
     * Asks where to save a PNG picture of a view (the same dialog for every view's Export PNG...);
     * null when the user cancels.
     */
    public static Path choosePng(Node owner, String title, String initialName) {
        return chooseSave(owner, title, initialName, "PNG image", "*.png");
    }

    /** Asks where to save a file of one kind (e.g. "Animated GIF", "*.gif"); null when the user cancels. */
    public static Path chooseSave(Node owner, String title, String initialName, String kind, String pattern) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.setInitialFileName(initialName);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, pattern));
        File f = fc.showSaveDialog(owner.getScene().getWindow());
        return f == null ? null : f.toPath();
    }

    /** Asks for a folder, opening in {@code start} (null: the system's choice); null when the user cancels. */
    public static Path chooseFolder(Window owner, String title, File start) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle(title);
        dc.setInitialDirectory(start);
        File f = dc.showDialog(owner);
        return f == null ? null : f.toPath();
    }

    /** How a view draws itself into a PNG file (on the FX thread: it takes a snapshot). */
    @FunctionalInterface
    public interface PngExport {
        void write(Path file) throws IOException;
    }

    /**
     * A view's Export PNG... that writes at once: asks where ({@link #choosePng}), writes there, and
     * tells {@code saved} "Saved WHAT to FILE" or {@code failed} "Could not save WHAT: REASON".
     */
    public static void exportPng(Node owner, String what, String initialName, PngExport export, Consumer<String> saved,
            Consumer<String> failed) {
        Path f = choosePng(owner, "Export " + what, initialName);
        if (f == null) return;
        try {
            export.write(f);
            saved.accept("Saved " + what + " to " + f);
        } catch (IOException e) {
            failed.accept("Could not save " + what + ": " + Failures.describe(e));
        }
    }
}
