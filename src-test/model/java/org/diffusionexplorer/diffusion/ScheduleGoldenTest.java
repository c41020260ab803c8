package org.diffusionexplorer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every array of the reference's schedules and respaced processes, to 1e-12 relative. */
class ScheduleGoldenTest {

    static void assertClose(String name, double[] expected, double[] actual, double rel) {
        assertEquals(expected.length, actual.length, name + " length");
        for (int i = 0; i < expected.length; i++) {
            double tol = rel * Math.max(Math.abs(expected[i]), Double.MIN_NORMAL);
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    name + "[" + i + "]: expected " + expected[i] + " got " + actual[i]);
        }
    }

    static void assertMatches(Map<String, NpyArray> golden, GaussianDiffusion d) {
        Map<String, double[]> mine = d.namedArrays();
        int checked = 0;
        for (Map.Entry<String, NpyArray> e : golden.entrySet()) {
            if (e.getKey().startsWith("timestep")) continue;
            assertTrue(mine.containsKey(e.getKey()), "no array " + e.getKey());
            assertClose(e.getKey(), e.getValue().toDoubles(), mine.get(e.getKey()), 1e-12);
            checked++;
        }
        assertEquals(11, checked);
    }

    @ParameterizedTest
    @CsvSource({"linear", "cosine"})
    void fullSchedulesMatchReference(String schedule) {
        GaussianDiffusion d = GaussianDiffusion.builder().schedule(NoiseSchedule.parse(schedule)).steps(1000).build();
        assertMatches(Golden.npz("schedule_" + schedule + "_1000.npz"), d);
        assertTrue(!d.isRespaced());
    }

    @ParameterizedTest
    @CsvSource({"linear,ddim50,ddim50", "linear,50,50", "linear,10-15-20,'10,15,20'",
                "cosine,ddim50,ddim50", "cosine,50,50", "cosine,10-15-20,'10,15,20'"})
    void respacedProcessesMatchReference(String schedule, String file, String spec) {
        Map<String, NpyArray> g = Golden.npz("respace_" + schedule + "_" + file + ".npz");
        GaussianDiffusion d = GaussianDiffusion.builder().schedule(NoiseSchedule.parse(schedule)).steps(1000)
                .respacing(spec).build();
        long[] kept = java.util.Arrays.stream(Respacing.spaceTimesteps(1000, spec)).asLongStream().toArray();
        assertArrayEquals(g.get("timesteps").toLongs(), kept);
        assertArrayEquals(g.get("timestep_map").toLongs(), java.util.Arrays.stream(d.timestepMap).asLongStream().toArray());
        assertEquals(1000, d.originalNumSteps);
        assertMatches(g, d);
    }
}
