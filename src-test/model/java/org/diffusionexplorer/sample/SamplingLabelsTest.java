package org.diffusionexplorer.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The classes a sampling run asks a model for: in turn, one class for all, or none for an unconditional model. */
class SamplingLabelsTest {
    @BeforeAll
    static void runtime() {
        NativeRuntime.configure();
    }

    @Test
    void inTurnOrOneClassAndOnlyClassesTheModelKnows() {
        RunConfig tiny = RunConfig.tiny();
        RunConfig cond = tiny.classConditional(3);
        try (UNetModel m = UNetModel.create(cond.model(), 1)) {
            assertArrayEquals(new long[] {0, 1, 2, 0, 1}, Sampling.labels(m, 5, Sampling.EVERY_CLASS));
            assertArrayEquals(new long[] {2, 2, 2, 2}, Sampling.labels(m, 4, 2));
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Sampling.labels(m, 4, 3));
            assertTrue(e.getMessage().contains("0..2"), e.getMessage());
        }
        try (UNetModel m = UNetModel.create(tiny.model(), 1)) {
            assertNull(Sampling.labels(m, 4, 2), "an unconditional model takes no classes");
        }
    }
}
