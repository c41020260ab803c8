package org.diffusionexplorer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleCommandTest {
    @TempDir
    Path dir;

    private static void assertSameArrays(Map<String, NpyArray> golden, Map<String, NpyArray> mine) {
        for (Map.Entry<String, NpyArray> e : golden.entrySet()) {
            NpyArray m = mine.get(e.getKey());
            assertTrue(m != null, "missing " + e.getKey());
            assertEquals(e.getValue().dtype(), m.dtype(), e.getKey());
            double[] g = e.getValue().toDoubles(), v = m.toDoubles();
            assertEquals(g.length, v.length, e.getKey());
            for (int i = 0; i < g.length; i++) {
                assertEquals(g[i], v[i], 1e-12 * Math.abs(g[i]), e.getKey() + "[" + i + "]");
            }
        }
    }

    @Test
    void writesTheGoldenScheduleAndRespacing() throws Exception {
        Path a = dir.resolve("cos.npz");
        assertEquals(0, DiffusionCli.run("schedule", "--noise-schedule", "cosine", "--steps", "1000", "--out", a.toString()));
        assertSameArrays(Golden.npz("schedule_cosine_1000.npz"), Npz.read(a));
        assertFalse(Npz.read(a).containsKey("timesteps"));

        Path b = dir.resolve("sub/lin.npz");
        assertEquals(0, DiffusionCli.run("schedule", "--noise-schedule", "linear", "--steps", "1000", "--respace", "10,15,20",
                "--out", b.toString()));
        Map<String, NpyArray> mine = Npz.read(b);
        assertSameArrays(Golden.npz("respace_linear_10-15-20.npz"), mine);
        assertArrayEquals(Golden.npz("respace_linear_10-15-20.npz").get("timesteps").toLongs(), mine.get("timesteps").toLongs());
        try (var files = Files.list(b.getParent())) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void badInputEndsInOneLineAndExitCode2() throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            Path o = dir.resolve("x.npz");
            assertEquals(2, DiffusionCli.run("schedule", "--noise-schedule", "quadratic", "--out", o.toString()));
            assertEquals(2, DiffusionCli.run("schedule", "--noise-schedule", "cosine", "--respace", "ddim7", "--steps", "10", "--out", o.toString()));
            assertEquals(2, DiffusionCli.run("schedule", "--steps", "0", "--out", o.toString()));
            assertFalse(Files.exists(o));
        } finally {
            System.setErr(old);
        }
        String[] lines = err.toString().strip().split("\n");
        assertEquals(3, lines.length, err.toString());
        assertTrue(lines[0].contains("unknown noise schedule 'quadratic'"), lines[0]);
        assertTrue(lines[1].contains("exactly 7 steps out of 10"), lines[1]);
        assertTrue(lines[2].contains("--steps must be at least 1"), lines[2]);
    }
}
