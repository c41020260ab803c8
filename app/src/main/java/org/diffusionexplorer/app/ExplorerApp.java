package org.diffusionexplorer.app;

import java.util.List;
import javafx.application.Application;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.diffusionexplorer.app.architecture.ArchitecturePane;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.denoising.DenoisingModel;
import org.diffusionexplorer.app.denoising.DenoisingPane;
import org.diffusionexplorer.app.denoising.ModelPreload;
import org.diffusionexplorer.app.embedding.TimeEmbeddingPane;
import org.diffusionexplorer.app.likelihood.LikelihoodPane;
import org.diffusionexplorer.app.noising.ForwardNoisingPane;
import org.diffusionexplorer.app.settings.Settings;
import org.diffusionexplorer.app.settings.SettingsSnapshot;
import org.diffusionexplorer.app.settings.SettingsStore;
import org.diffusionexplorer.app.settings.ThreadPreference;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.ExplorerShell;
import org.diffusionexplorer.app.shell.ExplorerView;
import org.diffusionexplorer.app.shell.MessageBar;
import org.diffusionexplorer.app.shell.PaneSlot;
import org.diffusionexplorer.app.shell.StartupLog;
import org.diffusionexplorer.app.shell.StatusPanel;
import org.diffusionexplorer.app.shell.WindowSettings;
import org.diffusionexplorer.app.training.CloseGuard;
import org.diffusionexplorer.app.training.TrainingPane;
import org.diffusionexplorer.app.view.AppIcon;

/** The explorer window: the shell with its six panes, each made when first shown and given the one services object (AppContext). */
public class ExplorerApp extends Application {
    /** The Denoising pane's model, its preload started by {@link #main}; taken by the first {@link #start}. */
    private static DenoisingModel preloaded;
    private Background background;
    private ExplorerShell shell;
    private AppContext context;
    private List<PaneSlot<?>> panes;
    private SettingsStore settingsStore;
    private SettingsSnapshot storedSettings;
    private WindowSettings windowSettings;

    @Override
    public void init() {
        loadSettings(); // off the FX thread when launched normally
    }

    private void loadSettings() {
        if (settingsStore != null) return;
        settingsStore = SettingsStore.forUser();
        storedSettings = settingsStore.load();
    }

    @Override
    public void start(Stage stage) {
        background = new Background(2);
        MessageBar messages = new MessageBar();
        loadSettings();
        Settings settings = new Settings(storedSettings);
        settings.saveChangesTo(settingsStore);
        context = new AppContext(background, messages, settings);
        background.setErrorHandler(e -> {
            System.err.println("[explorer] background task failed: " + e);
            messages.showError(MessageBar.describe(e));
        });
        // the timestep the Denoising pane shows, which the Time embedding pane highlights (whichever is made first)
        IntegerProperty shownTimestep = new SimpleIntegerProperty(TimeEmbeddingPane.STEPS / 2);
        DenoisingModel denoiser = takePreloaded();
        PaneSlot<TrainingPane> training = new PaneSlot<>(TrainingPane.TITLE, TrainingPane.KEY, () -> new TrainingPane(context));
        panes = List.of(
                new PaneSlot<>(TimeEmbeddingPane.TITLE, TimeEmbeddingPane.KEY, () -> {
                    TimeEmbeddingPane p = new TimeEmbeddingPane(context);
                    p.sampledTimestepProperty().bindBidirectional(shownTimestep);
                    return p;
                }),
                new PaneSlot<>(ArchitecturePane.TITLE, ArchitecturePane.KEY, () -> new ArchitecturePane(context)),
                new PaneSlot<>(ForwardNoisingPane.TITLE, ForwardNoisingPane.KEY, () -> new ForwardNoisingPane(context)),
                training,
                new PaneSlot<>(DenoisingPane.TITLE, DenoisingPane.KEY, () -> new DenoisingPane(context, shownTimestep, denoiser)),
                new PaneSlot<>(LikelihoodPane.TITLE, LikelihoodPane.KEY, () -> new LikelihoodPane(context)));
        shell = new ExplorerShell(panes, messages, new StatusPanel(context));
        // As large as the design wants, but never larger than the screen (projectors are often 1280x800).
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(shell.root(), Math.min(1360, screen.getWidth()), Math.min(860, screen.getHeight()));
        scene.getStylesheets().add(ExplorerApp.class.getResource("explorer.css").toExternalForm());
        shell.installShortcuts(scene);
        stage.setTitle("Diffusion Explorer");
        stage.getIcons().add(AppIcon.create(64));
        stage.setFullScreenExitHint("Esc or F11 leaves classroom mode");
        stage.setScene(scene);
        CloseGuard.install(stage, training);
        stage.show();
        windowSettings = WindowSettings.install(stage, shell, context);
        StartupLog.windowShown(shell, DenoisingPane.KEY); // -Ddiffusion.startupLog only
    }

    /** The model main's preload is opening, or (launched without main, as tests do) one whose preload starts now. */
    private static synchronized DenoisingModel takePreloaded() {
        DenoisingModel m = preloaded != null ? preloaded : ModelPreload.start();
        preloaded = null;
        return m;
    }

    @Override
    public void stop() {
        if (background != null) background.shutdown();
    }

    public ExplorerShell shell() {
        return shell;
    }

    public AppContext context() {
        return context;
    }

    /** Every pane in the sidebar's order, making those the window has not shown yet (on the JavaFX thread; tests look at them all). */
    public List<ExplorerView> views() {
        return panes.stream().<ExplorerView>map(PaneSlot::view).toList();
    }

    /** The welcome, the tour and the menu entries the settings added. */
    public WindowSettings windowSettings() {
        return windowSettings;
    }

    public static void main(String[] args) {
        // ND4J threads (the stored preference unless this launch names a count) and logging, before anything touches ND4J
        ThreadPreference.applyAtLaunch(SettingsStore.forUser().load());
        // ND4J's natives load here, before JavaFX loads its own (ModelPreload.start says why); the default
        // model is then prepared on the second core while JavaFX starts and builds the window
        synchronized (ExplorerApp.class) {
            preloaded = ModelPreload.start();
        }
        launch(args);
    }
}
