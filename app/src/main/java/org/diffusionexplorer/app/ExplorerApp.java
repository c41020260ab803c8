package org.diffusionexplorer.app;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/** The explorer window. The panes arrive with the explorer issue; this is the shell they live in. */
public class ExplorerApp extends Application {
    @Override
    public void start(Stage stage) {
        BorderPane root = new BorderPane(new Label("Diffusion Explorer"));
        stage.setTitle("Diffusion Explorer");
        stage.setScene(new Scene(root, 1100, 720));
        stage.show();
    }

    public static void main(String[] args) {
        // ND4J threads and logging, before anything touches ND4J (see NativeRuntime)
        org.diffusionexplorer.runtime.NativeRuntime.configure();
        launch(args);
    }
}
