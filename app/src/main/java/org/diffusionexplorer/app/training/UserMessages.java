package org.diffusionexplorer.app.training;

import java.io.IOException;
import org.diffusionexplorer.app.shell.MessageBar;
import org.diffusionexplorer.checkpoint.CheckpointException;
import org.diffusionexplorer.train.RunException;

/** Words for the user from a failure of run handling: what went wrong with which folder or file. */
final class UserMessages {
    private UserMessages() {
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RunException) return "Run folder problem - " + t.getMessage();
            if (t instanceof CheckpointException) return "Unreadable checkpoint - " + t.getMessage();
        }
        String general = MessageBar.describe(e);
        if (general.startsWith("Something went wrong") && e instanceof IOException) {
            return "Cannot read or write the run's files - " + e.getMessage();
        }
        return general;
    }
}
