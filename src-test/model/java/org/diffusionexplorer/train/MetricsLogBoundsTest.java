package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.csv with a line without end: truncateAfter and lastRow read it in bounded memory and skip that line. */
class MetricsLogBoundsTest {
    @TempDir
    Path dir;

    private static String row(long step) {
        return step + ",1,1,0,1,1,1,1,0.5,0.001,10";
    }

    @Test
    void aHugeLineIsSkippedWithoutHoldingIt() throws Exception {
        Path f = dir.resolve("metrics.csv");
        Files.writeString(f, String.join(",", MetricsLog.COLUMNS) + "\n" + row(1) + "\n");
        long hole = 64L << 20; // 64 MB of NUL bytes without a newline (sparse: costs no disk)
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() + hole);
        }
        Files.writeString(f, "\n" + row(2) + "\n" + row(3) + "\n", StandardOpenOption.APPEND);

        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        assertEquals("3", MetricsLog.lastRow(f).get("step"), "the last row past the huge line");
        new MetricsLog(f).truncateAfter(2);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 16L << 20, "allocated " + (allocated >> 20) + " MB to read a 64 MB line twice");
        assertEquals(List.of(String.join(",", MetricsLog.COLUMNS), row(1), row(2)), Files.readAllLines(f, StandardCharsets.UTF_8));
    }
}
