package org.diffusionexplorer.app;

import java.util.List;
import javafx.application.Application;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.diffusionexplorer.app.architecture.ArchitecturePane;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.denoising.DenoisingPane;
import org.diffusionexplorer.app.embedding.TimeEmbeddingPane;
import org.diffusionexplorer.app.model.DefaultExplorerModel;
import org.diffusionexplorer.app.noising.ForwardNoisingPane;
import org.diffusionexplorer.app.model.ExplorerModel;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.ExplorerShell;
import org.diffusionexplorer.app.shell.ExplorerView;
import org.diffusionexplorer.app.shell.MessageBar;
import org.diffusionexplorer.app.shell.StatusPanel;
import org.diffusionexplorer.app.training.CloseGuard;
import org.diffusionexplorer.app.training.TrainingPane;
import org.diffusionexplorer.app.view.AppIcon;

/** The explorer window: the shell with its five panes over the default model facade. */
public class ExplorerApp extends Application {
    private Background background;
    private ExplorerShell shell;
    private AppContext context;
    private List<ExplorerView> views;

    @Override
    public void start(Stage stage) {
        start(stage, new DefaultExplorerModel());
    }

    /** Starts the window over a given facade (tests pass their own). */
    public void start(Stage stage, ExplorerModel model) {
        background = new Background(2);
        MessageBar messages = new MessageBar();
        context = new AppContext(model, background, messages);
        background.setErrorHandler(e -> {
            System.err.println("[explorer] background task failed: " + e);
            messages.showError(MessageBar.describe(e));
        });
        TimeEmbeddingPane embedding = new TimeEmbeddingPane(context);
        TrainingPane training = new TrainingPane(context);
        views = List.of(
                embedding,
                new ArchitecturePane(context),
                new ForwardNoisingPane(context),
                training,
                new DenoisingPane(context, embedding.sampledTimestepProperty()));
        shell = new ExplorerShell(views, messages, new StatusPanel(model, background));
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
        StartupLog.windowShown(shell, views); // -Ddiffusion.startupLog only
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

    public static void main(String[] args) {
        // ND4J threads and logging, before anything touches ND4J (see NativeRuntime)
        org.diffusionexplorer.runtime.NativeRuntime.configure();
        launch(args);
    }
}
