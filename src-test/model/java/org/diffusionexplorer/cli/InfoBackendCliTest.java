package org.diffusionexplorer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code info} with no argument reports the numeric backend; the CPU build says where the CUDA one is. */
class InfoBackendCliTest {
    @Test
    void infoWithoutArgumentReportsTheBackend() {
        RunCommandsTest.Result r = RunCommandsTest.cli("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("backend     ND4J "), r.out());
        assertTrue(r.out().contains("\ndevice      "), r.out());
        if (!org.diffusionexplorer.runtime.BackendChoice.cudaInBuild()) {
            assertTrue(r.out().contains("CPU backend only (./mvnw -Pcuda package"), r.out());
        }
        assertEquals(r.out(), RunCommandsTest.cli("info", "--backend").out());
    }
}
