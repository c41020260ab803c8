package org.diffusionexplorer.app;

import java.util.List;
import javafx.application.Application;
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
import org.diffusionexplorer.app.shell.StartupLog;
import org.diffusionexplorer.app.shell.StatusPanel;
import org.diffusionexplorer.app.shell.WindowSettings;
import org.diffusionexplorer.app.training.CloseGuard;
import org.diffusionexplorer.app.training.TrainingPane;
import org.diffusionexplorer.app.view.AppIcon;

/** The explorer window: the shell with its six panes, each given the one services object (AppContext). */
public class ExplorerApp extends Application {
    /** The Denoising pane's model, its preload started by {@link #main}; taken by the first {@link #start}. */
    private static DenoisingModel preloaded;
    private Background background;
    private ExplorerShell shell;
    private AppContext context;
    private List<ExplorerView> views;
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
        TimeEmbeddingPane embedding = new TimeEmbeddingPane(context);
        TrainingPane training = new TrainingPane(context);
        DenoisingModel denoiser = takePreloaded();
        DenoisingPane denoising = new DenoisingPane(context, embedding.sampledTimestepProperty(), denoiser);
        views = List.of(embedding, new ArchitecturePane(context), new ForwardNoisingPane(context), training, denoising,
                new LikelihoodPane(context));
        shell = new ExplorerShell(views, messages, new StatusPanel(context));
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
        StartupLog.windowShown(shell, views.indexOf(denoising)); // -Ddiffusion.startupLog only
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

    public List<ExplorerView> views() {
        return views;
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
