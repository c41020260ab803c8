package org.diffusionexplorer.io;

import java.io.EOFException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A failure in words for the user, the one place that turns exceptions into text (the app adds
 * only the kind of problem in front, in MessageBar). A file system error reads "path: reason":
 * Java's subclasses for the common errno values carry only the path as their message (an
 * unwritable /proc/x reads "/proc/x"), so the reason is taken from the class when there is none.
 */
public final class Failures {
    private Failures() {}

    /**
     * "disk full" for ENOSPC anywhere in the causes, a file system error as "path: reason", a file
     * that ends early as such, else the first message along the causes.
     */
    public static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("No space left")) return "disk full";
        }
        if (e instanceof FileSystemException fse) return describe(fse);
        if (e instanceof EOFException) return "it ends early: truncated";
        return reason(e);
    }

    /** The reason alone: the first non-blank message along the causes, else the exception's kind. */
    public static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) return m;
        }
        return e.getClass().getSimpleName();
    }

    /** The last cause in the chain (the one that says what really failed). */
    public static Throwable innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    public static String describe(FileSystemException e) {
        String where = e.getFile() == null ? "" : e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile()) + ": ";
        return where + reason(e);
    }

    /** The reason alone ("permission denied"), for a message that names the path its own way. */
    public static String reason(FileSystemException e) {
        if (e.getReason() != null) return e.getReason();
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof DirectoryNotEmptyException) return "directory not empty";
        if (e instanceof NotDirectoryException) return "not a directory";
        if (e instanceof FileSystemLoopException) return "a loop of symbolic links";
        return e.getClass().getSimpleName();
    }
}
