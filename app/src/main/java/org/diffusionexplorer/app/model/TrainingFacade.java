package org.diffusionexplorer.app.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What the training pane asks of the model side: presets, data checks and run sessions. */
public interface TrainingFacade {
    /** The run presets offered (tiny, A, B), in order. */
    List<String> presets();

    /** A preset's fields, as the pane starts from them. */
    TrainingSetup preset(String name);

    /** Slow-ish: a run config file (config.json of a run, or the reference's flags) as a base for a new run. */
    TrainingSetup readConfig(Path file) throws IOException;

    /** Slow: opens a dataset as a run would and says how many images it holds; a bad one throws with the reason. */
    int checkData(String nameOrFolder, int size, int channels);

    /** Where new runs go when the user did not choose a folder. */
    Path runsRoot();

    /** A new, not yet existing folder under {@link #runsRoot()} named by date and time. */
    Path newRunDir();

    /** Slow: creates a run in {@code dir} (absent or empty). Refused configs and folders throw with the reason. */
    TrainingSession create(Path dir, TrainingSetup setup, TrainingEvents events) throws IOException;

    /** Slow: opens a run folder to continue it from its newest readable checkpoint. */
    TrainingSession open(Path dir, TrainingEvents events) throws IOException;
}
