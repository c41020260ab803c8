package org.diffusionexplorer.app.training;

import java.nio.file.Path;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.ExplorerView;
import org.diffusionexplorer.app.shell.MessageBar;
import org.diffusionexplorer.app.view.Views;
import org.diffusionexplorer.train.RunStatus;
import org.diffusionexplorer.train.TimeBudget;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * Pane 4: train the UNet and watch it learn. Data (bundled MNIST, emoji or a folder, dropped or
 * chosen), a preset or config file with its main fields editable, Start / Pause / Resume / Stop /
 * Step, the live loss chart, speed and time left, and sample grids from the EMA and the raw weights.
 * Runs are folders; Open run continues one. The training runs in the session's service; the pane
 * binds to the current session's properties, so a replaced session's late updates reach nobody.
 */
public final class TrainingPane extends ExplorerView {
    /** The sidebar's name for this pane and its stable key ({@link ExplorerView}). */
    public static final String TITLE = "Training", KEY = "training";
    private final AppContext ctx;
    private final TrainingRuns facade = new TrainingRuns();
    private final TrainingView view = new TrainingView();
    private final Attempts attempts;
    private final RunChoices choices;
    /** the current session's properties; the pane listens to these once */
    private final SessionBinding bound = new SessionBinding();
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private TrainingSession session;
    /** the run another process trains that the pane follows, or null */
    private RunFollower follower;
    private final BooleanProperty following = new SimpleBooleanProperty(false);
    /** the last step of the followed run's metrics.csv read so far (-1: none) */
    private long lastFollowed = -1;
    private Path chosenDir;

    public TrainingPane(AppContext ctx) {
        super(TITLE, KEY);
        this.ctx = ctx;
        attempts = new Attempts(ctx, this);
        choices = new RunChoices(facade, view.settings, attempts, () -> root.getScene().getWindow());
        root.setTop(view.controls(choices.node(), following));
        root.setCenter(Views.scrollable(view.body()));
        wireButtons();
        Views.acceptFolderDrops(root, this::useFolder);
        updateTarget();
        whenFirstShown(choices::shown);
        ctx.background().submit(Background.task("Asking the numeric backend", () -> ctx.backend()),
                info -> view.stats.backend(info.summary()));
        view.stats.memory(ctx.processBytes());
        listenToSession();
    }

    /** The pane's reactions to whatever session its properties are bound to (once; rebinding switches sessions). */
    private void listenToSession() {
        bound.progress.addListener((o, was, p) -> {
            if (p == null) return;
            view.stats.progress(p);
            view.stats.memory(ctx.processBytes());
        });
        bound.grids.addListener((o, was, g) -> {
            if (g != null) view.grids.show(g);
        });
        bound.checkpointStep.addListener((o, was, st) -> {
            if (session != null && st.longValue() >= 0) view.stats.folder(session.dir() + "  (checkpoint of step " + st + " saved)");
        });
        bound.weights.addListener((o, was, w) -> view.weightsView.show(w));
        bound.statusMessage.addListener((o, was, m) -> {
            if (m != null && !m.isEmpty()) view.stats.status(m);
        });
        bound.state.addListener((o, was, s) -> {
            if (s == null) return;
            view.stats.memory(ctx.processBytes());
            if (was != s && (s == RunStatus.STOPPED || s == RunStatus.COMPLETED) && session != null) {
                ctx.messages().showInfo(this, "Training " + bound.statusMessage.get());
            }
        });
    }

    private void wireButtons() {
        view.buttons.bind(busy, bound);
        RunButtons b = view.buttons;
        b.start.setOnAction(e -> startRun());
        b.pause.setOnAction(e -> session.pause());
        b.resume.setOnAction(e -> resumeRun());
        b.stop.setOnAction(e -> session.stop());
        b.step.setOnAction(e -> stepOnce());
        b.open.setOnAction(e -> {
            Path f = Views.chooseFolder(root.getScene().getWindow(), "A run folder (it holds config.json)", ctx.settings().runsChooserStart());
            if (f != null) openRun(f);
        });
        b.saveAs.setOnAction(e -> {
            Path f = Views.chooseFolder(root.getScene().getWindow(), "An empty folder for the next run", ctx.settings().runsChooserStart());
            if (f != null) saveRunAs(f);
        });
    }

    // ---------------------------------------------------------------- choices

    /** Uses a config file as the base of the next run; one that cannot be read ends up as a message. */
    public void useConfig(Path file) {
        choices.useConfig(file);
    }

    /** Trains on a folder of images; a folder that cannot serve is reported at once, not at Start. */
    public void useFolder(String path) {
        choices.useFolder(path);
    }

    /** Where the next run goes; it must be empty or new (Start says so otherwise). */
    public void saveRunAs(Path dir) {
        chosenDir = dir;
        updateTarget();
    }

    private void updateTarget() {
        view.target.setText(chosenDir != null ? "Next run: " + chosenDir : "Next run: a new folder in " + facade.runsRoot());
    }

    // ---------------------------------------------------------------- runs

    private void startRun() {
        TrainingSetup setup;
        try {
            setup = choices.read();
            setup.toRunConfig(); // refuses here, with the field named, before any folder is made
        } catch (InvalidConfigException e) {
            ctx.messages().showError(this, "Invalid setting - " + e.getMessage());
            return;
        }
        Path dir = chosenDir != null ? chosenDir : facade.newRunDir();
        TrainingSetup s = setup;
        busy.set(true);
        view.stats.status("Opening the data and building the UNet...");
        attempts.run("Creating the run", () -> facade.create(dir, s), sess -> {
            busy.set(false);
            chosenDir = null;
            updateTarget();
            adopt(sess);
            ctx.messages().hideMessage(this);
            sess.train(s.steps(), s.budget());
        }, () -> {
            busy.set(false);
            view.stats.status("Not started.");
        });
    }

    /**
     * Opens a run folder to continue it; its metrics.csv fills the chart. A run another process is
     * training now is followed instead, read-only, until that process ends.
     */
    public void openRun(Path dir) {
        busy.set(true);
        stopFollowing();
        view.stats.status("Opening " + dir + "...");
        // Reopening the run this pane holds: the session owns the folder's lock, so it is closed first
        // (else the folder counts as being trained and the opening is refused).
        TrainingSession same = session != null && TrainingRuns.sameFolder(session.dir(), dir) ? session : null;
        if (same != null) {
            same.close();
            session = null;
        }
        attempts.run("Opening the run", () -> {
            if (same != null && !same.awaitClosed(120)) throw new IllegalStateException("the run " + dir + " did not close within 120 s");
            return facade.trainedElsewhere(dir) ? null : facade.open(dir);
        }, sess -> {
            busy.set(false);
            if (sess == null) {
                follow(dir);
                return;
            }
            adopt(sess);
            ctx.messages().hideMessage(this);
            view.chart.add(sess.history());
            long next = Math.max(sess.step() + 1000, view.settings.steps());
            view.settings.set("steps", Long.toString(next));
            view.stats.at(sess.step(), next);
            view.stats.status("Opened at step " + sess.step() + ". Resume trains on to 'steps'; the run keeps its own config.");
            sess.requestGrids();
        }, () -> busy.set(false));
    }

    private void adopt(TrainingSession sess) {
        stopFollowing();
        if (session != null) session.close();
        session = sess;
        ctx.offerRun(sess.dir()); // pane 5 can sample the model as it trains
        ctx.settings().rememberRunFolder(sess.dir()); // the choosers start beside it next time
        view.chart.clear();
        view.grids.clear();
        view.stats.folder(sess.dir().toString());
        view.stats.at(sess.step(), sess.step());
        bound.bind(sess);
        view.weightsView.show(bound.weights.get()); // also when it stays null (a uniform run after none): says why
        sess.onPoints(view.chart::add);
        sess.onProblem(m -> ctx.messages().showError(this, m));
        root.setUserData(sess.summary());
    }

    /** Follows a run another process trains: its rows, grids and checkpoints as they are written. */
    private void follow(Path dir) {
        if (session != null) session.close();
        session = null;
        bound.unbind();
        view.chart.clear();
        view.grids.clear();
        view.weightsView.explain("A run another process trains: its timestep sampler lives in that process.");
        ctx.offerRun(dir); // pane 5 samples its newest checkpoint, read-only
        ctx.settings().rememberRunFolder(dir);
        view.stats.folder(dir.toString());
        view.stats.status("Following " + dir + ": another process trains it; its steps and grids appear here as it writes them.");
        lastFollowed = -1;
        RunFollower f = new RunFollower(dir);
        follower = f;
        following.bind(f.followingProperty());
        f.start(u -> {
            view.chart.add(u.points());
            if (!u.points().isEmpty()) lastFollowed = u.points().get(u.points().size() - 1).step();
            if (lastFollowed >= 0) view.stats.followed(lastFollowed, u.writing());
            if (u.grid() != null) view.grids.showWritten(u.grid(), u.gridStep());
            if (u.checkpointStep() >= 0) view.stats.folder(dir + "  (newest checkpoint: step " + u.checkpointStep() + ")");
            if (!u.writing()) {
                String m = "The run in " + dir + " ended (no process writes it now); Open run... continues it here.";
                view.stats.status(m);
                ctx.messages().showInfo(this, m);
            }
        }, e -> ctx.messages().showError(this, "Stopped following " + dir + ": " + MessageBar.describe(e)));
    }

    /** Ends following a run (nothing to release: the follower holds no lock and no open file). */
    public void stopFollowing() {
        if (follower == null) return;
        follower.stop();
        following.unbind();
        following.set(false);
        follower = null;
    }

    /** Whether the pane follows a run another process trains. */
    public boolean following() {
        return following.get();
    }

    private void resumeRun() {
        if (bound.state.get() == RunStatus.PAUSED) {
            session.resume();
            return;
        }
        long steps = view.settings.steps();
        if (steps <= session.step()) {
            ctx.messages().showInfo(this, "The run is at step " + session.step() + " already: raise 'steps' to train on.");
            return;
        }
        TimeBudget budget;
        try {
            budget = view.settings.budget();
        } catch (InvalidConfigException e) {
            ctx.messages().showError(this, "Invalid setting - " + e.getMessage());
            return;
        }
        session.train(steps, budget); // a new budget of 'minutes' for this session of the run
    }

    private void stepOnce() {
        if (bound.state.get() == RunStatus.RUNNING || bound.state.get() == RunStatus.PAUSED) session.singleStep();
        else if (session != null) session.train(session.step() + 1);
    }

    // ---------------------------------------------------------------- for the shell and tests

    /** The current run's status as the buttons see it (FX mirror of the run's own; null before any run). */
    public RunStatus state() {
        return bound.state.get();
    }

    /** Whether a run is stepping, paused or finishing a step: closing now would lose work. */
    public boolean trainingActive() {
        return session != null && bound.active.get();
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
        // the service stops running once train() has returned, after the run's final status arrived
        bound.training.addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Boolean> o, Boolean was, Boolean now) {
                if (!now) {
                    bound.training.removeListener(this);
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
        return new LossChartView(view.chart.rawPoints(), view.chart.quarterPoints(0) + view.chart.quarterPoints(1) + view.chart.quarterPoints(2)
                + view.chart.quarterPoints(3));
    }

    /** How many points the chart holds, for tests. */
    public record LossChartView(int lossPoints, int quarterPoints) {}

    /** Sets a field of the settings sheet as if typed. */
    public void setField(String name, String value) {
        view.settings.set(name, value);
    }

    public long gridStep() {
        return view.grids.shownStep();
    }

    /** Bars of the timestep-weights histogram (0 when the run samples t uniformly), for tests. */
    public int timestepBars() {
        return view.weightsView.bars();
    }

    /** The p(t) the timestep-weights view shows (null: none), for tests. */
    public double[] timestepWeights() {
        return view.weightsView.shown();
    }

    /** What the timestep-weights view says under its chart (or instead of it), for tests. */
    public String timestepNote() {
        return view.weightsView.noteText();
    }

    /** Writes the timestep-weights histogram as a PNG, as its Export button does. */
    public void exportTimestepWeights(Path file) throws java.io.IOException {
        view.weightsView.exportPng(file);
    }

    /** Space: pause a running run, resume a paused one. */
    @Override
    public void togglePlay() {
        if (bound.state.get() == RunStatus.RUNNING) session.pause();
        else if (bound.state.get() == RunStatus.PAUSED) session.resume();
    }

    /** '.': one training step (while paused, or on a run that is not training); ',' has no meaning here. */
    @Override
    public void step(int direction) {
        if (direction > 0 && !busy.get() && !view.buttons.step.isDisabled()) stepOnce();
    }
}
