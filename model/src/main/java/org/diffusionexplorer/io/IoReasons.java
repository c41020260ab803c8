package org.diffusionexplorer.io;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A file system error as one line "path: reason". Java's subclasses for the common errno values
 * carry only the path as their message (an unwritable /proc/x reads "/proc/x"), so the reason is
 * taken from the class when the exception has none.
 */
public final class IoReasons {
    private IoReasons() {}

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
