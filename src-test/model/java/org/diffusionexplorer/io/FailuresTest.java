package org.diffusionexplorer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void fileSystemErrorsReadAsPathAndReason() {
        assertEquals("/x/y: no such file or directory", Failures.describe(new NoSuchFileException("/x/y")));
        assertEquals("/proc/x: permission denied", Failures.describe(new AccessDeniedException("/proc/x")));
        assertEquals("permission denied", Failures.reason(new AccessDeniedException("/proc/x")));
    }

    @Test
    void aFullDiskAnywhereInTheCausesWins() {
        IOException e = new IOException("could not write a.npy", new IOException("No space left on device"));
        assertEquals("disk full", Failures.describe(e));
    }

    @Test
    void aFileThatEndsEarlyIsSaidToBeTruncated() {
        assertEquals("it ends early: truncated", Failures.describe(new EOFException()));
    }

    @Test
    void theReasonIsTheFirstMessageAlongTheCausesElseTheKind() {
        Throwable inner = new IllegalStateException("libcuda.so.1: cannot open shared object file");
        Throwable wrapped = new InvocationTargetException(inner);
        assertEquals("libcuda.so.1: cannot open shared object file", Failures.reason(wrapped));
        assertEquals("libcuda.so.1: cannot open shared object file", Failures.describe(wrapped));
        assertSame(inner, Failures.innermost(new RuntimeException(wrapped)));
        assertEquals("NullPointerException", Failures.reason(new NullPointerException()));
    }
}
