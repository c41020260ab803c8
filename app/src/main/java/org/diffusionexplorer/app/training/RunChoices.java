package org.diffusionexplorer.app.training;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.diffusionexplorer.app.view.Views;

/**
 * What the next run trains on and from: the data (bundled or a folder, checked at once) and the base
 * config (a preset or a config file) whose main fields the settings sheet shows.
 */
final class RunChoices {
    private final TrainingRuns runs;
    private final RunSettingsSheet settings;
    private final Attempts attempts;
    private final Supplier<Window> window;
    private final ComboBox<String> data = new ComboBox<>();
    private final ComboBox<String> preset = new ComboBox<>();
    private final Map<String, TrainingSetup> bases = new LinkedHashMap<>();
    private final Label dataInfo = new Label();
    private final FlowPane row;
    private int dataCheck;
    private boolean shown; // the data is checked once the pane is first shown, not at start-up

    RunChoices(TrainingRuns runs, RunSettingsSheet settings, Attempts attempts, Supplier<Window> window) {
        this.runs = runs;
        this.settings = settings;
        this.attempts = attempts;
        this.window = window;
        data.setId("train-data");
        data.getItems().addAll("mnist", "emoji");
        Button folder = RunButtons.button("Folder...", "train-folder", "Train on your own folder of images (or drop one on this pane)");
        folder.setOnAction(e -> {
            Path f = Views.chooseFolder(window.get(), "A folder of training images", null);
            if (f != null) useFolder(f.toAbsolutePath().toString());
        });
        preset.setId("train-preset");
        Button config = RunButtons.button("Config file...", "train-config", "Start from a run's config.json or the reference's flags");
        config.setOnAction(e -> chooseConfig());
        dataInfo.setId("train-data-info");
        dataInfo.getStyleClass().add("hint");
        row = Views.controlRow(new Label("Data"), data, folder, dataInfo, new Label("Preset"), preset, config);
        for (String p : runs.presets()) bases.put(p, runs.preset(p));
        preset.getItems().setAll(bases.keySet());
        preset.valueProperty().addListener((o, was, now) -> usePreset(now));
        data.valueProperty().addListener((o, was, now) -> checkData(now));
        preset.setValue("lesson"); // 28x28 digits within a lesson's minutes
    }

    FlowPane node() {
        return row;
    }

    /** The next run's setup from the sheet; an impossible value throws naming its field. */
    TrainingSetup read() {
        return settings.read(bases.get(preset.getValue()), data.getValue());
    }

    private void usePreset(String name) {
        TrainingSetup s = bases.get(name);
        if (s == null) return;
        settings.show(s);
        if (!data.getItems().contains(s.data())) data.getItems().add(s.data());
        data.setValue(s.data());
        checkData(data.getValue());
    }

    private void chooseConfig() {
        FileChooser fc = new FileChooser();
        fc.setTitle("A run config (config.json of a run, or the reference's flags)");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
        File f = fc.showOpenDialog(window.get());
        if (f != null) useConfig(f.toPath());
    }

    /** Uses a config file as the base of the next run; one that cannot be read ends up as a message. */
    void useConfig(Path file) {
        attempts.run("Reading " + file.getFileName(), () -> runs.readConfig(file), s -> {
            String name = "file: " + file.getFileName();
            bases.put(name, s);
            if (!preset.getItems().contains(name)) preset.getItems().add(name);
            if (name.equals(preset.getValue())) usePreset(name);
            else preset.setValue(name);
        });
    }

    /** Trains on a folder of images; a folder that cannot serve is reported at once, not at Start. */
    void useFolder(String path) {
        if (!data.getItems().contains(path)) data.getItems().add(path);
        if (path.equals(data.getValue())) checkData(path);
        else data.setValue(path);
    }

    /** The pane is shown for the first time: the data is checked from now on (not at start-up). */
    void shown() {
        shown = true;
        checkData(data.getValue());
    }

    private void checkData(String d) {
        TrainingSetup base = bases.get(preset.getValue());
        if (d == null || base == null || !shown) return;
        int id = ++dataCheck;
        int size = base.base().data().imageSize(), ch = base.base().data().channels();
        dataInfo.setText("checking...");
        attempts.run("Opening " + d, () -> runs.checkData(d, size, ch), n -> {
            if (id != dataCheck) return;
            dataInfo.setText(String.format("%,d images at %dx%d", n, size, size));
        }, () -> {
            if (id == dataCheck) dataInfo.setText("cannot be used");
        });
    }
}
