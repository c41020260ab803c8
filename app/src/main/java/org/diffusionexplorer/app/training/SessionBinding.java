package org.diffusionexplorer.app.training;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.diffusionexplorer.train.RunStatus;
import org.diffusionexplorer.train.TrainingProgress;

/**
 * The pane's view of its current {@link TrainingSession}: properties bound to that session's, so
 * listeners are attached once and a replaced session's late updates reach nobody (it is unbound).
 * No state of its own: everything here mirrors the session, which mirrors its run.
 */
final class SessionBinding {
    /** the run's status (null: no session) */
    final ObjectProperty<RunStatus> state = new SimpleObjectProperty<>();
    /** the session's service: true from Start until train() has returned */
    final BooleanProperty training = new SimpleBooleanProperty(false);
    final ObjectProperty<TrainingProgress> progress = new SimpleObjectProperty<>();
    final ObjectProperty<SampleGrids> grids = new SimpleObjectProperty<>();
    final LongProperty checkpointStep = new SimpleLongProperty(-1);
    final StringProperty statusMessage = new SimpleStringProperty("");
    /** the loss-second-moment sampler's p(t) (null: uniform sampler or no run) */
    final ObjectProperty<double[]> weights = new SimpleObjectProperty<>();
    /** a train() call is under way; between Start and the run's first status the service already runs */
    final BooleanBinding active = Bindings.createBooleanBinding(() -> training.get() || state.get() != null && state.get().active(),
            state, training);

    void bind(TrainingSession s) {
        state.bind(s.statusProperty());
        training.bind(s.trainingProperty());
        progress.bind(s.progressProperty());
        grids.bind(s.gridsProperty());
        checkpointStep.bind(s.checkpointStepProperty());
        statusMessage.bind(s.statusMessageProperty());
        weights.bind(s.timestepWeightsProperty());
    }

    /** No session (a followed run, whose process is not ours to control). */
    void unbind() {
        state.unbind();
        training.unbind();
        progress.unbind();
        grids.unbind();
        checkpointStep.unbind();
        statusMessage.unbind();
        weights.unbind();
        state.set(null);
        training.set(false);
        progress.set(null);
        grids.set(null);
        checkpointStep.set(-1);
        weights.set(null);
    }
}
