package org.diffusionexplorer.app.training;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.TextField;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.Editors;
import org.controlsfx.property.editor.PropertyEditor;
import org.diffusionexplorer.app.view.ConfigText;
import org.diffusionexplorer.train.TimeBudget;

/**
 * The main fields of a new run in a ControlsFX PropertySheet, under the reference's names. Values
 * are text until Start: then a value that is not a number, or that the run config refuses, is
 * reported with its field named.
 */
final class RunSettingsSheet {
    private final PropertySheet sheet = new PropertySheet();
    private final Map<String, Field> fields = new LinkedHashMap<>();

    RunSettingsSheet() {
        add("minutes", "Run", "Stop by itself after this many minutes, e.g. the lesson's length (0 = no limit); the learning rate "
                + "falls to 0 over them, so the last weights are the best the time allows.");
        add("steps", "Run", "Train until the run has done this many steps in total (with minutes: whichever comes first).");
        add("lr", "Optimiser", "AdamW learning rate (training.lr).");
        add("batch_size", "Optimiser", "Images per step (training.batch_size).");
        add("ema_rate", "Samples", "Weight of the past in the exponential moving average of the weights the grids sample from.");
        add("sample_interval", "Samples", "Steps between sample grids (0 = none).");
        add("sample_steps", "Samples", "DDIM steps per grid: fewer are quicker and blurrier.");
        sheet.setId("train-settings");
        sheet.getItems().setAll(fields.values());
        sheet.setMode(PropertySheet.Mode.NAME); // all seven fields at once, no accordion to open
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        sheet.setPropertyEditorFactory(item -> {
            PropertyEditor<?> e = Editors.createTextEditor(item);
            e.getEditor().setId("train-field-" + item.getName());
            // narrower than a TextField's default twelve columns, so "sample_interval" is not cut to "sample_int..."
            if (e.getEditor() instanceof TextField t) t.setPrefColumnCount(7);
            return e;
        });
        sheet.setPrefHeight(245);
        sheet.setMinHeight(245);
    }

    private void add(String name, String category, String description) {
        fields.put(name, new Field(name, category, description));
    }

    PropertySheet node() {
        return sheet;
    }

    void show(TrainingSetup s) {
        set("minutes", number(s.minutes()).replaceAll("\\.0$", ""));
        set("steps", Long.toString(s.steps()));
        set("lr", number(s.lr()));
        set("batch_size", Integer.toString(s.batchSize()));
        set("ema_rate", number(s.emaRate()));
        set("sample_interval", Integer.toString(s.sampleInterval()));
        set("sample_steps", Integer.toString(s.sampleSteps()));
    }

    void set(String name, String value) {
        fields.get(name).setValue(value);
    }

    /** The 'minutes' field as a budget for the next session (null: 0, no limit); a bad value names "minutes". */
    TimeBudget budget() {
        return TimeBudget.minutesOrNone(get("minutes").trim().isEmpty() ? 0 : decimal("minutes"));
    }

    /** The 'steps' field (0 when it is not a number). */
    long steps() {
        try {
            return Long.parseLong(get("steps").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    String get(String name) {
        return fields.get(name).value;
    }

    /** The form over a base setup; text that is not a number throws InvalidConfigException naming the field. */
    TrainingSetup read(TrainingSetup base, String data) {
        return new TrainingSetup(base.baseName(), base.base(), data, integer("steps"), decimal("lr"), integer("batch_size"),
                decimal("ema_rate"), integer("sample_interval"), integer("sample_steps"), decimal("minutes"));
    }

    private int integer(String name) {
        return ConfigText.integer(name, get(name));
    }

    private double decimal(String name) {
        return ConfigText.decimal(name, get(name));
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%s", v).replace("E", "e");
    }

    /** One text field of the sheet. */
    private static final class Field implements PropertySheet.Item {
        private final String name, category, description;
        private String value = "";
        private final javafx.beans.property.SimpleStringProperty observable = new javafx.beans.property.SimpleStringProperty();

        Field(String name, String category, String description) {
            this.name = name;
            this.category = category;
            this.description = description;
        }

        @Override
        public Class<?> getType() {
            return String.class;
        }

        @Override
        public String getCategory() {
            return category;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public Object getValue() {
            return value;
        }

        @Override
        public void setValue(Object v) {
            value = v == null ? "" : v.toString();
            observable.set(value); // the editor follows a value set by the program
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.of(observable);
        }
    }
}
