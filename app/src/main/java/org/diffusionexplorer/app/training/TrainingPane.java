package org.diffusionexplorer.app.training;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.controlsfx.control.ToggleSwitch;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.model.LossPoint;
import org.diffusionexplorer.app.model.SampleGrids;
import org.diffusionexplorer.app.model.TrainingEvents;
import org.diffusionexplorer.app.model.TrainingFacade;
import org.diffusionexplorer.app.model.TrainingProgress;
import org.diffusionexplorer.app.model.TrainingSession;
import org.diffusionexplorer.app.model.TrainingSetup;
import org.diffusionexplorer.app.model.TrainingState;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.ExplorerView;
import org.diffusionexplorer.app.shell.MessageBar;
import org.diffusionexplorer.app.view.Views;
import org.diffusionexplorer.train.TimeBudget;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * Pane 4: train the UNet and watch it learn. Data (bundled MNIST, emoji or a folder, dropped or
 * chosen), a preset or config file with its main fields editable, Start / Pause / Resume / Stop /
 * Step, the live loss chart, speed and time left, and sample grids from the EMA and the raw weights.
 * Runs are folders; Open run continues one. The training runs on the session's own thread.
 */
public final class TrainingPane implements ExplorerView {
    private final AppContext ctx;
    private final TrainingFacade facade;
    private final BorderPane root = new BorderPane();
    private final ComboBox<String> data = new ComboBox<>();
    private final ComboBox<String> preset = new ComboBox<>();
    private final Map<String, TrainingSetup> bases = new LinkedHashMap<>();
    private final Label dataInfo = new Label();
    private final Label target = new Label();
    private final RunSettingsSheet settings = new RunSettingsSheet();
    private final LossChart chart = new LossChart();
    private final RunStats stats = new RunStats();
    private final SampleGridsView grids = new SampleGridsView();
    private final Button start = button("Start", "train-start", "Create a new run folder and train from scratch");
    private final Button pause = button("Pause", "train-pause", "Hold between two steps (Space)");
    private final Button resume = button("Resume", "train-resume", "Continue training (Space)");
    private final Button stop = button("Stop", "train-stop", "End after this step and save a checkpoint");
    private final Button step = button("Step", "train-step", "Exactly one more step, then hold ('.')");
    private final Button open = button("Open run...", "train-open", "Continue a run folder from its newest checkpoint");
    private final Button saveAs = button("Save run as...", "train-save-as", "Choose the folder the next run is saved in");
    private final ObjectProperty<TrainingState> state = new SimpleObjectProperty<>();
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private TrainingSession session;
    private Path chosenDir;
    private int generation;
    private int dataCheck;

    public TrainingPane(AppContext ctx) {
        this.ctx = ctx;
        this.facade = ctx.model().training();
        root.setId("pane-training");
        root.setTop(controls());
        root.setCenter(Views.scrollable(body()));
        wireButtons();
        for (String p : facade.presets()) bases.put(p, facade.preset(p));
        preset.getItems().setAll(bases.keySet());
        preset.valueProperty().addListener((o, was, now) -> usePreset(now));
        data.valueProperty().addListener((o, was, now) -> checkData(now));
        preset.setValue("lesson"); // 28x28 digits within a lesson's minutes
        Views.acceptFolderDrops(root, this::useFolder);
        updateTarget();
        ctx.background().submit(Background.task("Asking the numeric backend", () -> ctx.model().backend()),
                info -> stats.backend(info.summary()));
        stats.memory(ctx.model().processBytes());
    }

    private static Button button(String text, String id, String tip) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        return b;
    }

    // ---------------------------------------------------------------- layout

    private Node controls() {
        data.setId("train-data");
        data.getItems().addAll("mnist", "emoji");
        Button folder = button("Folder...", "train-folder", "Train on your own folder of images (or drop one on this pane)");
        folder.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("A folder of training images");
            File f = dc.showDialog(root.getScene().getWindow());
            if (f != null) useFolder(f.getAbsolutePath());
        });
        preset.setId("train-preset");
        Button config = button("Config file...", "train-config", "Start from a run's config.json or the reference's flags");
        config.setOnAction(e -> chooseConfig());
        dataInfo.setId("train-data-info");
        dataInfo.getStyleClass().add("hint");
        target.setId("train-target");
        target.getStyleClass().add("hint");
        var row1 = Views.controlRow(new Label("Data"), data, folder, dataInfo, new Label("Preset"), preset, config);
        var row2 = Views.controlRow(start, pause, resume, stop, step, new Label(" "), open, saveAs, target);
        VBox box = new VBox(8, Views.heading("Training: the UNet learns to remove noise"), row1, row2);
        box.setPadding(new Insets(0, 0, 10, 0));
        return box;
    }

    private Node body() {
        VBox settingsCard = Views.captioned("Run settings", settings.node(),
                "The preset's main fields; Start checks them and names any it cannot use.");
        VBox statsCard = Views.captioned("Progress", stats.node(),
                "Steps done of the target, images per second and time left (averaged over recent steps), memory in use.");
        VBox left = new VBox(12, settingsCard, statsCard);
        left.setPrefWidth(330);
        left.setMinWidth(300);
        left.setMaxWidth(360);

        ToggleSwitch quarters = new ToggleSwitch("Loss per quarter of t");
        quarters.setId("train-quarters");
        quarters.setSelected(true);
        quarters.selectedProperty().addListener((o, was, on) -> chart.showQuarters(on));
        VBox chartBox = new VBox(4, chart.node(), quarters);
        VBox.setVgrow(chart.node(), Priority.ALWAYS);
        VBox chartCard = Views.captioned("Loss while training", chartBox,
                "Grey: each step's loss (every step sees other images, timesteps and noise). Blue: its trend. Q1..Q4: "
                        + "the trend per quarter of t; near t = 0 the noise is faint and hardest to name.");
        VBox gridsCard = Views.captioned("Samples", grids.node(),
                "From pure noise every sample_interval steps: blobs at first, then shapes like the data.");
        gridsCard.setMaxWidth(Region.USE_PREF_SIZE);
        HBox.setHgrow(chartCard, Priority.ALWAYS);
        // chart and grids side by side: both stay in view on a 1280x800 projector
        HBox right = new HBox(12, chartCard, gridsCard);
        HBox.setHgrow(right, Priority.ALWAYS);
        return new HBox(14, left, right);
    }

    private void wireButtons() {
        BooleanBinding active = Bindings.createBooleanBinding(() -> state.get() != null && state.get().active(), state);
        BooleanBinding stepping = Bindings.createBooleanBinding(
                () -> state.get() == TrainingState.RUNNING || state.get() == TrainingState.PAUSED, state);
        BooleanBinding canContinue = Bindings.createBooleanBinding(() -> state.get() == TrainingState.PAUSED
                || state.get() == TrainingState.READY || state.get() == TrainingState.STOPPED
                || state.get() == TrainingState.COMPLETED, state);
        start.disableProperty().bind(busy.or(active));
        open.disableProperty().bind(busy.or(active));
        saveAs.disableProperty().bind(busy.or(active));
        pause.disableProperty().bind(busy.or(state.isNotEqualTo(TrainingState.RUNNING)));
        resume.disableProperty().bind(busy.or(canContinue.not()));
        stop.disableProperty().bind(busy.or(stepping.not()));
        step.disableProperty().bind(busy.or(stepping.not().and(canContinue.not())));
        start.setOnAction(e -> startRun());
        pause.setOnAction(e -> session.pause());
        resume.setOnAction(e -> resumeRun());
        stop.setOnAction(e -> session.stop());
        step.setOnAction(e -> stepOnce());
        open.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("A run folder (it holds config.json)");
            dc.setInitialDirectory(ctx.settings().runsChooserStart());
            File f = dc.showDialog(root.getScene().getWindow());
            if (f != null) openRun(f.toPath());
        });
        saveAs.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("An empty folder for the next run");
            dc.setInitialDirectory(ctx.settings().runsChooserStart());
            File f = dc.showDialog(root.getScene().getWindow());
            if (f != null) saveRunAs(f.toPath());
        });
    }


    // ---------------------------------------------------------------- choices

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
        File f = fc.showOpenDialog(root.getScene().getWindow());
        if (f != null) useConfig(f.toPath());
    }

    /** Uses a config file as the base of the next run; one that cannot be read ends up as a message. */
    public void useConfig(Path file) {
        attempt("Reading " + file.getFileName(), () -> facade.readConfig(file), s -> {
            String name = "file: " + file.getFileName();
            bases.put(name, s);
            if (!preset.getItems().contains(name)) preset.getItems().add(name);
            if (name.equals(preset.getValue())) usePreset(name);
            else preset.setValue(name);
        });
    }

    /** Trains on a folder of images; a folder that cannot serve is reported at once, not at Start. */
    public void useFolder(String path) {
        if (!data.getItems().contains(path)) data.getItems().add(path);
        if (path.equals(data.getValue())) checkData(path);
        else data.setValue(path);
    }

    private void checkData(String d) {
        TrainingSetup base = bases.get(preset.getValue());
        if (d == null || base == null) return;
        int id = ++dataCheck;
        int size = base.base().data().imageSize(), ch = base.base().data().channels();
        dataInfo.setText("checking...");
        attempt("Opening " + d, () -> facade.checkData(d, size, ch), n -> {
            if (id != dataCheck) return;
            dataInfo.setText(String.format("%,d images at %dx%d", n, size, size));
        }, () -> {
            if (id == dataCheck) dataInfo.setText("cannot be used");
        });
    }

    /** Where the next run goes; it must be empty or new (Start says so otherwise). */
    public void saveRunAs(Path dir) {
        chosenDir = dir;
        updateTarget();
    }

    private void updateTarget() {
        target.setText(chosenDir != null ? "Next run: " + chosenDir : "Next run: a new folder in " + facade.runsRoot());
    }

    // ---------------------------------------------------------------- runs

    private void startRun() {
        TrainingSetup setup;
        try {
            setup = settings.read(bases.get(preset.getValue()), data.getValue());
            setup.toRunConfig(); // refuses here, with the field named, before any folder is made
        } catch (InvalidConfigException e) {
            ctx.messages().showError(this, "Invalid setting - " + e.getMessage());
            return;
        }
        Path dir = chosenDir != null ? chosenDir : facade.newRunDir();
        TrainingSetup s = setup;
        Events ev = newEvents();
        busy.set(true);
        stats.status("Opening the data and building the UNet...");
        attempt("Creating the run", () -> facade.create(dir, s, ev), sess -> {
            busy.set(false);
            chosenDir = null;
            updateTarget();
            adopt(sess, ev);
            ctx.messages().hideMessage(this);
            sess.train(s.steps(), s.budget());
        }, () -> {
            busy.set(false);
            stats.status("Not started.");
        });
    }

    /** Opens a run folder to continue it; its metrics.csv fills the chart. */
    public void openRun(Path dir) {
        Events ev = newEvents();
        busy.set(true);
        stats.status("Opening " + dir + "...");
        // Reopening the run this pane holds: the session owns the folder's lock, so it is closed first
        // (else the folder counts as being trained and the opening is refused).
        TrainingSession same = session != null && sameFolder(session.dir(), dir) ? session : null;
        if (same != null) {
            same.close();
            session = null;
        }
        attempt("Opening the run", () -> {
            if (same != null && !same.awaitClosed(120)) throw new IllegalStateException("the run " + dir + " did not close within 120 s");
            return facade.open(dir, ev);
        }, sess -> {
            busy.set(false);
            adopt(sess, ev);
            ctx.messages().hideMessage(this);
            chart.add(sess.history());
            long next = Math.max(sess.step() + 1000, parseSteps());
            settings.set("steps", Long.toString(next));
            stats.at(sess.step(), next);
            stats.status("Opened at step " + sess.step() + ". Resume trains on to 'steps'; the run keeps its own config.");
            sess.requestGrids();
        }, () -> busy.set(false));
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return java.nio.file.Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private void adopt(TrainingSession sess, Events ev) {
        if (session != null) session.close();
        session = sess;
        ctx.model().denoising().useRun(sess.dir()); // pane 5 can sample the model as it trains
        ctx.settings().rememberRunFolder(sess.dir()); // the choosers start beside it next time
        ev.live = true;
        chart.clear();
        grids.clear();
        stats.folder(sess.dir().toString());
        stats.at(sess.step(), sess.step());
        state.set(sess.state());
        root.setUserData(sess.summary());
    }

    private void resumeRun() {
        if (state.get() == TrainingState.PAUSED) {
            session.resume();
            return;
        }
        long steps = parseSteps();
        if (steps <= session.step()) {
            ctx.messages().showInfo(this, "The run is at step " + session.step() + " already: raise 'steps' to train on.");
            return;
        }
        TimeBudget budget;
        try {
            budget = parseBudget();
        } catch (InvalidConfigException e) {
            ctx.messages().showError(this, "Invalid setting - " + e.getMessage());
            return;
        }
        session.train(steps, budget); // a new budget of 'minutes' for this session of the run
    }

    private void stepOnce() {
        if (state.get() == TrainingState.RUNNING || state.get() == TrainingState.PAUSED) session.singleStep();
        else if (session != null) session.train(session.step() + 1);
    }

    /** The 'minutes' field as a budget for the next session (null: 0, no limit). */
    private TimeBudget parseBudget() {
        String t = settings.get("minutes").trim();
        double m;
        try {
            m = t.isEmpty() ? 0 : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("minutes", "must be a number, got '" + t + "'");
        }
        return TimeBudget.minutesOrNone(m);
    }

    private long parseSteps() {
        try {
            return Long.parseLong(settings.get("steps").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Events newEvents() {
        generation++;
        return new Events(generation);
    }

    /** The events of one session; a replaced session's late events are dropped. */
    private final class Events implements TrainingEvents {
        private final int gen;
        private boolean live;

        Events(int gen) {
            this.gen = gen;
        }

        private boolean current() {
            return live && gen == generation;
        }

        @Override
        public void points(List<LossPoint> points) {
            if (current()) chart.add(points);
        }

        @Override
        public void progress(TrainingProgress p) {
            if (!current()) return;
            stats.progress(p);
            stats.memory(ctx.model().processBytes());
        }

        @Override
        public void grids(SampleGrids g) {
            if (current()) grids.show(g);
        }

        @Override
        public void state(TrainingState s, String message) {
            if (!current()) return;
            state.set(s);
            stats.status(message);
            stats.memory(ctx.model().processBytes());
            if (s == TrainingState.STOPPED || s == TrainingState.COMPLETED) ctx.messages().showInfo(TrainingPane.this, "Training " + message);
        }

        @Override
        public void checkpoint(long step, Path file) {
            if (current()) stats.folder(session.dir() + "  (checkpoint of step " + step + " saved)");
        }

        @Override
        public void problem(String message) {
            if (current()) ctx.messages().showError(TrainingPane.this, message);
        }
    }

    // ---------------------------------------------------------------- background work

    private <T> void attempt(String title, Background.Callable<T> work, java.util.function.Consumer<T> done) {
        attempt(title, work, done, () -> { });
    }

    /**
     * Runs slow work in the background; a failure becomes a message in the window (with {@code failed}
     * run after it), never a stack trace or a button that stays disabled.
     */
    private <T> void attempt(String title, Background.Callable<T> work, java.util.function.Consumer<T> done, Runnable failed) {
        ctx.background().submit(Background.task(title, () -> {
            try {
                return new Attempt<T>(work.call(), null);
            } catch (Exception e) {
                return new Attempt<T>(null, MessageBar.describe(e));
            }
        }), a -> {
            if (a.error() == null) {
                done.accept(a.value());
            } else {
                ctx.messages().showError(this, a.error());
                failed.run();
            }
        });
    }

    private record Attempt<T>(T value, String error) {}

    // ---------------------------------------------------------------- for the shell and tests

    public TrainingState state() {
        return state.get();
    }

    /** Whether a run is stepping, paused or finishing a step: closing now would lose work. */
    public boolean trainingActive() {
        return session != null && state.get() != null && state.get().active();
    }

    /**
     * Stops the active run (its session writes a checkpoint of the current step) and calls
     * {@code then} on the FX thread once the run has ended; at once when none is active.
     */
    public void stopThen(Runnable then) {
        if (!trainingActive()) {
            then.run();
            return;
        }
        state.addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends TrainingState> o, TrainingState was, TrainingState now) {
                if (now != null && !now.active()) {
                    state.removeListener(this);
                    then.run();
                }
            }
        });
        session.stop();
    }

    public TrainingSession session() {
        return session;
    }

    public boolean busy() {
        return busy.get();
    }

    public LossChartView chartView() {
        return new LossChartView(chart.rawPoints(), chart.quarterPoints(0) + chart.quarterPoints(1) + chart.quarterPoints(2)
                + chart.quarterPoints(3));
    }

    /** How many points the chart holds, for tests. */
    public record LossChartView(int lossPoints, int quarterPoints) {}

    /** Sets a field of the settings sheet as if typed. */
    public void setField(String name, String value) {
        settings.set(name, value);
    }

    public long gridStep() {
        return grids.shownStep();
    }

    @Override
    public String title() {
        return "Training";
    }

    @Override
    public String key() {
        return "training";
    }

    @Override
    public Node node() {
        return root;
    }

    /** Space: pause a running run, resume a paused one. */
    @Override
    public void togglePlay() {
        if (state.get() == TrainingState.RUNNING) session.pause();
        else if (state.get() == TrainingState.PAUSED) session.resume();
    }

    /** '.': one training step (while paused, or on a run that is not training); ',' has no meaning here. */
    @Override
    public void step(int direction) {
        if (direction > 0 && !busy.get() && !step.isDisabled()) stepOnce();
    }
}
