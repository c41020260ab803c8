package org.diffusionexplorer.app.settings;

import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.diffusionexplorer.app.view.DialogStyle;
import org.diffusionexplorer.app.view.Views;
import org.diffusionexplorer.runtime.NativeRuntime;

/**
 * File > Preferences (Ctrl+,): last run folder, theme, classroom mode, thread count and the welcome.
 * OK checks every field first; a bad value keeps the dialog open with a message naming the field.
 * Theme and classroom mode apply at once; the thread count at the next start.
 */
public final class PreferencesDialog {
    private final Settings settings;
    private final Consumer<String> notice;
    private final Dialog<ButtonType> dialog = new Dialog<>();
    private final TextField runFolder = new TextField();
    private final ComboBox<Theme> theme = new ComboBox<>();
    private final CheckBox classroom = new CheckBox("Large type, thick lines, high contrast, full screen (also F11)");
    private final TextField threads = new TextField();
    private final CheckBox welcome = new CheckBox("Show the welcome and its tour offer at the next start");
    private final Label error = new Label();

    /** @param notice where to say something after OK (the window's message bar) */
    public PreferencesDialog(Window owner, Settings settings, Consumer<String> notice) {
        this.settings = settings;
        this.notice = notice;
        dialog.setTitle("Preferences");
        DialogStyle.like(dialog, owner);
        var pane = dialog.getDialogPane();
        pane.setId("preferences-dialog");
        pane.getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        pane.lookupButton(ButtonType.OK).setId("prefs-ok");
        pane.lookupButton(ButtonType.CANCEL).setId("prefs-cancel");
        pane.setContent(form(owner));
        fill();
        pane.lookupButton(ButtonType.OK).addEventFilter(ActionEvent.ACTION, e -> {
            if (!apply()) e.consume(); // keeps the dialog open on the message
        });
    }

    private VBox form(Window owner) {
        runFolder.setId("prefs-run-folder");
        runFolder.setPromptText("none yet");
        runFolder.setPrefColumnCount(32);
        Button choose = new Button("Choose...");
        choose.setId("prefs-run-folder-choose");
        choose.setOnAction(e -> {
            Path f = Views.chooseFolder(dialog.getDialogPane().getScene().getWindow(), "A training run folder", settings.runsChooserStart());
            if (f != null) runFolder.setText(f.toAbsolutePath().toString());
        });
        HBox folderRow = new HBox(8, runFolder, choose);
        HBox.setHgrow(runFolder, Priority.ALWAYS);
        theme.setId("prefs-theme");
        theme.getItems().setAll(Theme.values());
        classroom.setId("prefs-classroom");
        threads.setId("prefs-threads");
        threads.setPromptText("automatic");
        threads.setPrefColumnCount(6);
        threads.setMaxWidth(Region.USE_PREF_SIZE);
        welcome.setId("prefs-welcome");
        error.setId("prefs-error");
        error.getStyleClass().add("config-error");
        error.setWrapText(true);
        error.setMaxWidth(560);
        error.setMinHeight(Region.USE_PREF_SIZE); // the whole message, never cut to "..."
        runFolder.textProperty().addListener(o -> error.setText(""));
        threads.textProperty().addListener(o -> error.setText(""));

        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(6);
        g.addRow(0, new Label(SettingValues.RUN_FOLDER), folderRow);
        g.add(hint("Where Open run, Save run as and the model choosers start."), 1, 1);
        g.addRow(2, new Label(SettingValues.THEME), theme);
        g.addRow(3, new Label("Classroom mode"), classroom);
        g.addRow(4, new Label(SettingValues.THREADS), threads);
        g.add(hint(threadsHint()), 1, 5);
        g.addRow(6, new Label("Welcome"), welcome);
        return new VBox(10, g, error);
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        l.setMaxWidth(480);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    private static String threadsHint() {
        int auto = NativeRuntime.defaultThreads();
        int now = NativeRuntime.threads();
        return "Native threads for ND4J, 1 to " + SettingValues.MAX_THREADS + "; empty: automatic (" + auto
                + " here, every core). Applies at the next start"
                + (now > 0 ? "; now " + now + " (" + ThreadPreference.source() + ")." : ".")
                + " -Ddiffusion.threads or DIFFUSION_THREADS, when given, win.";
    }

    private void fill() {
        Path folder = settings.lastRunFolderProperty().get();
        runFolder.setText(folder == null ? "" : folder.toString());
        theme.setValue(settings.themeProperty().get());
        classroom.setSelected(settings.classroomProperty().get());
        int n = settings.threadsProperty().get();
        threads.setText(n == 0 ? "" : Integer.toString(n));
        welcome.setSelected(!settings.welcomeDoneProperty().get());
        error.setText("");
    }

    /** Checks every field, then stores them all; false (and the message shown) if one cannot be used. */
    boolean apply() {
        Path folder;
        int n;
        try {
            folder = SettingValues.runFolder(runFolder.getText());
            n = SettingValues.threads(threads.getText());
        } catch (InvalidSettingException e) {
            error.setText(e.getMessage());
            // the message adds lines: grow the window so its buttons stay in sight
            Window w = dialog.getDialogPane().getScene().getWindow();
            if (w != null) w.sizeToScene();
            return false;
        }
        error.setText("");
        boolean threadsChanged = n != settings.threadsProperty().get();
        settings.lastRunFolderProperty().set(folder);
        settings.themeProperty().set(theme.getValue());
        settings.classroomProperty().set(classroom.isSelected());
        settings.threadsProperty().set(n);
        settings.welcomeDoneProperty().set(!welcome.isSelected());
        if (threadsChanged) {
            notice.accept("Thread count " + (n == 0 ? "automatic" : Integer.toString(n))
                    + " is saved; it applies at the next start.");
        }
        return true;
    }

    /** Shows it without waiting (the FX thread goes on). */
    public PreferencesDialog show() {
        dialog.show();
        return this;
    }
}
