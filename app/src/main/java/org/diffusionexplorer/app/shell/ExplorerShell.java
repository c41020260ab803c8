package org.diffusionexplorer.app.shell;

import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.controlsfx.control.ToggleSwitch;

/**
 * The explorer window's frame: a numbered sidebar of panes, the message bar, the status bar and
 * classroom mode (full screen, large type, high contrast; F11). Keys: Ctrl+1..6 switch panes,
 * Space plays or pauses the visible pane's animation, '.' and ',' step it.
 */
public final class ExplorerShell {
    private final BorderPane root = new BorderPane();
    private final StackPane content = new StackPane();
    private final ToggleGroup nav = new ToggleGroup();
    private final List<PaneSlot<?>> panes;
    private final BooleanProperty classroom = new SimpleBooleanProperty(false);
    private final AppMenus menus = new AppMenus();
    private final Overlay overlay;
    private ExplorerView current;

    /** @param panes the sidebar's panes in order; the first is made and shown now, the others when first selected */
    public ExplorerShell(List<PaneSlot<?>> panes, MessageBar messages, StatusPanel status) {
        this.panes = List.copyOf(panes);
        root.getStyleClass().add("explorer-root");

        Label title = new Label("Diffusion Explorer");
        title.getStyleClass().add("app-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ToggleSwitch classroomSwitch = new ToggleSwitch("Classroom mode (F11)");
        classroomSwitch.setId("classroom-switch");
        classroomSwitch.selectedProperty().bindBidirectional(classroom);
        HBox toolbar = new HBox(16, title, menus.node(), spacer, classroomSwitch);
        toolbar.getStyleClass().add("top-bar");
        toolbar.setAlignment(Pos.CENTER_LEFT);
        root.setTop(new VBox(toolbar, messages));

        VBox sidebar = new VBox(6);
        sidebar.getStyleClass().add("sidebar");
        for (int i = 0; i < panes.size(); i++) {
            PaneSlot<?> p = panes.get(i);
            ToggleButton b = new ToggleButton((i + 1) + "  " + p.title());
            b.setId("nav-" + p.key());
            b.setToggleGroup(nav);
            b.setUserData(p);
            b.setMaxWidth(Double.MAX_VALUE);
            b.getStyleClass().add("nav-button");
            sidebar.getChildren().add(b);
        }
        Region fill = new Region();
        VBox.setVgrow(fill, Priority.ALWAYS);
        Label keys = new Label("Ctrl+1..6 panes\nSpace play/pause\n. , step\nF11 classroom");
        keys.getStyleClass().add("shortcut-hint");
        sidebar.getChildren().addAll(fill, keys);
        root.setLeft(sidebar);

        content.getStyleClass().add("content");
        root.setCenter(content);
        root.setBottom(status.node());
        overlay = new Overlay(root);

        nav.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                was.setSelected(true); // one pane is always shown
                return;
            }
            show((PaneSlot<?>) now.getUserData());
        });
        nav.selectToggle(nav.getToggles().get(0));

        classroom.addListener((o, was, on) -> {
            if (on) root.getStyleClass().add("classroom");
            else root.getStyleClass().remove("classroom");
            Stage s = stage();
            if (s != null) s.setFullScreen(on);
        });
    }

    private void show(PaneSlot<?> p) {
        current = p.view();
        content.getChildren().setAll(current.node());
    }

    public BorderPane root() {
        return root;
    }

    public BooleanProperty classroomProperty() {
        return classroom;
    }

    public void select(int index) {
        if (index >= 0 && index < panes.size()) nav.selectToggle(nav.getToggles().get(index));
    }

    /** Shows the pane with this key; false if there is none. */
    public boolean select(String key) {
        for (int i = 0; i < panes.size(); i++) {
            if (panes.get(i).key().equals(key)) {
                select(i);
                return true;
            }
        }
        return false;
    }

    /** The sidebar's panes, made or not yet. */
    public List<PaneSlot<?>> panes() {
        return panes;
    }

    /** The pane shown. */
    public ExplorerView current() {
        return current;
    }

    public AppMenus menus() {
        return menus;
    }

    /** The layer over the window (welcome, tour). */
    public Overlay overlay() {
        return overlay;
    }

    /** Keyboard shortcuts; text fields keep their keys. */
    public void installShortcuts(Scene scene) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            boolean typing = e.getTarget() instanceof TextInputControl;
            if (e.getCode() == KeyCode.F11) {
                classroom.set(!classroom.get());
                e.consume();
            } else if (e.isShortcutDown() && e.getCode().isDigitKey()) {
                select(e.getCode().getCode() - KeyCode.DIGIT1.getCode());
                e.consume();
            } else if (!typing && e.getCode() == KeyCode.SPACE && current != null) {
                current.togglePlay();
                e.consume();
            } else if (!typing && !e.isShortcutDown() && (e.getCode() == KeyCode.PERIOD || e.getCode() == KeyCode.COMMA)
                    && current != null) { // Ctrl+, is Preferences
                current.step(e.getCode() == KeyCode.PERIOD ? 1 : -1);
                e.consume();
            }
        });
        // Esc leaves classroom mode (and full screen with it) instead of only full screen, so the switch tells the truth.
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && classroom.get()) {
                classroom.set(false);
                e.consume();
            }
        });
        scene.windowProperty().addListener((o, was, w) -> {
            if (w instanceof Stage st) st.setFullScreenExitKeyCombination(KeyCombination.NO_MATCH);
        });
    }

    private Stage stage() {
        return root.getScene() != null && root.getScene().getWindow() instanceof Stage st ? st : null;
    }
}
