package org.diffusionexplorer.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.diffusionexplorer.checkpoint.StateDicts;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.NpyFormatException;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .pt reader against files torch.save wrote (src-test/model/torch, make_pt_fixtures.py):
 * every dtype and layout equals what numpy read from torch's own tensors; GPU-saved storages load;
 * the legacy format, hostile pickles and lying sizes are refused in one line naming the problem.
 */
class TorchStateDictTest {
    @TempDir
    Path dir;

    static Map<String, NpyArray> read(String fixture) throws Exception {
        return StateDicts.read(Golden.torch(fixture));
    }

    static void assertOneLine(String msg, String... fragments) {
        assertEquals(1, msg.lines().count(), msg);
        for (String f : fragments) assertTrue(msg.contains(f), "'" + f + "' in: " + msg);
    }

    @Test
    void everyDtypeAndLayoutEqualsWhatTorchHeld() throws Exception {
        Map<String, NpyArray> got = read("dtypes.pt");
        Map<String, NpyArray> want = Npz.read(Golden.torch("dtypes_expected.npz"));
        assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()), "names in file order");
        for (String k : want.keySet()) {
            assertArrayEquals(want.get(k).shape(), got.get(k).shape(), k);
            // float16 and bfloat16 widen exactly, strided views are gathered, not approximated
            assertArrayEquals(want.get(k).toDoubles(), got.get(k).toDoubles(), 0.0, k);
        }
        assertEquals(NpyArray.DType.FLOAT32, got.get("f16").dtype());
        assertEquals(NpyArray.DType.FLOAT32, got.get("bf16").dtype());
        assertEquals(NpyArray.DType.FLOAT64, got.get("f64").dtype());
        assertEquals(NpyArray.DType.INT64, got.get("i64").dtype());
        assertArrayEquals(new long[0], got.get("scalar").shape());
        assertArrayEquals(new long[] {0, 3}, got.get("empty").shape());
        // the fixture is what it claims: the half tensor differs from the float one (rounding happened)
        assertFalse(java.util.Arrays.equals(got.get("f32").toDoubles(), got.get("f16").toDoubles()));
    }

    @Test
    void storagesSavedOnAGpuLoadOnTheCpu() throws Exception {
        try (ZipFile z = new ZipFile(Golden.torch("cuda_saved.pt").toFile())) {
            String pickle = new String(z.getInputStream(z.getEntry("cuda_saved/data.pkl")).readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(pickle.contains("cuda:0") && !pickle.contains("cpu"), "the fixture's storages say cuda:0");
        }
        Map<String, NpyArray> got = read("cuda_saved.pt");
        Map<String, NpyArray> want = Npz.read(Golden.torch("cuda_saved_expected.npz"));
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) assertArrayEquals(want.get(k).toDoubles(), got.get(k).toDoubles(), 0.0, k);
    }

    @Test
    void theLegacyFormatSaysHowToResaveIt() throws Exception {
        var e = assertThrows(NpyFormatException.class, () -> read("legacy.pt"));
        assertOneLine(e.getMessage(), "legacy.pt", "legacy", "_use_new_zipfile_serialization=True");
        // a pickle without the legacy magic number is not called a PyTorch file
        Path bare = dir.resolve("bare.pt");
        Files.write(bare, new PtFiles.Pickle().proto().integer(1).stop().bytes());
        e = assertThrows(NpyFormatException.class, () -> StateDicts.read(bare));
        assertOneLine(e.getMessage(), "bare.pt", "bare pickle");
    }

    @Test
    void aPickleThatCallsOsSystemIsRefusedAndNothingRuns() {
        Path marker = Path.of("pwned.marker").toAbsolutePath(); // where torch.load would have created it
        assertFalse(Files.exists(marker), "left over from elsewhere: " + marker);
        var e = assertThrows(TorchFormatException.class, () -> read("evil_os_system.pt"));
        assertOneLine(e.getMessage(), "evil_os_system.pt", "posix.system", "nothing was run");
        assertFalse(Files.exists(marker));
    }

    @Test
    void anyOtherGlobalIsRefusedBeforeItIsCalled() throws Exception {
        Path marker = dir.resolve("marker");
        String[][] globals = {{"os", "system"}, {"posix", "system"}, {"builtins", "eval"}, {"builtins", "exec"}, {"subprocess", "Popen"},
            {"torch", "load"}, {"torch._utils", "_rebuild_device_tensor_from_numpy"}, {"numpy.core.multiarray", "_reconstruct"},
            {"collections", "defaultdict"}, {"__builtin__", "getattr"}};
        for (String[] g : globals) {
            byte[] pkl = new PtFiles.Pickle().proto().orderedDict().mark().str("w")
                    .global(g[0], g[1]).mark().str("touch " + marker).op('t').reduce().op('u').stop().bytes();
            Path f = dir.resolve("evil.pt");
            PtFiles.write(f, "evil", pkl, Map.of());
            var e = assertThrows(TorchFormatException.class, () -> StateDicts.read(f));
            assertOneLine(e.getMessage(), "evil.pt", g[0] + "." + g[1]);
            // STACK_GLOBAL (protocol 4) names it from strings on the stack: refused the same
            byte[] pkl4 = new PtFiles.Pickle().proto().str(g[0]).str(g[1]).op(0x93).mark().str("x").op('t').reduce().stop().bytes();
            PtFiles.write(f, "evil", pkl4, Map.of());
            e = assertThrows(TorchFormatException.class, () -> StateDicts.read(f));
            assertOneLine(e.getMessage(), g[0] + "." + g[1]);
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void aPickledModuleIsNotAStateDict() {
        var e = assertThrows(TorchFormatException.class, () -> read("whole_module.pt"));
        assertOneLine(e.getMessage(), "whole_module.pt", "torch.nn.modules.linear.Linear", "state_dict()");
    }

    /** One float32 tensor [2, 3] over storage "0" of {@code numel} elements with {@code bytes} bytes in the zip. */
    Path oneTensor(long numel, long offset, long[] size, long[] stride, int bytes) throws Exception {
        byte[] pkl = new PtFiles.Pickle().proto().orderedDict().mark().str("w")
                .tensor("FloatStorage", "0", "cpu", numel, offset, size, stride).op('u').stop().bytes();
        Path f = dir.resolve("t.pt");
        PtFiles.write(f, "t", pkl, Map.of("0", new byte[bytes]));
        return f;
    }

    @Test
    void sizesThatDoNotFitTheFileAreRefused() throws Exception {
        // the crafted writer's output reads when honest
        Map<String, NpyArray> ok = StateDicts.read(oneTensor(6, 0, new long[] {2, 3}, new long[] {3, 1}, 24));
        assertArrayEquals(new long[] {2, 3}, ok.get("w").shape());
        Object[][] cases = {
            {250_000_000L, 0L, new long[] {2, 3}, new long[] {3, 1}, 24, "declares 1000000000 bytes but its entry holds 24"},
            {1L << 40, 0L, new long[] {2, 3}, new long[] {3, 1}, 24, "MiB"},
            {6L, 0L, new long[] {2, 4}, new long[] {3, 1}, 24, "reaches element"},
            {6L, 5L, new long[] {2, 3}, new long[] {3, 1}, 24, "reaches element"},
            {6L, 0L, new long[] {1_000_000, 1_000_000}, new long[] {0, 0}, 24, "larger than"},
            {6L, 0L, new long[] {1L << 62, 4}, new long[] {1, 1}, 24, "larger than"},
            {6L, 0L, new long[] {3, 2}, new long[] {Long.MAX_VALUE, 1}, 24, "overflow"},
            {6L, 0L, new long[] {2, -3}, new long[] {3, 1}, 24, "negative"},
            {6L, -1L, new long[] {2, 3}, new long[] {3, 1}, 24, "negative storage offset"},
            // one element expanded (stride 0) to 1 GiB: within the per-tensor limit, far beyond the file
            {6L, 0L, new long[] {16384, 16383}, new long[] {0, 0}, 24, "views add up to"},
        };
        for (Object[] c : cases) {
            Path f = oneTensor((long) c[0], (long) c[1], (long[]) c[2], (long[]) c[3], (int) c[4]);
            var e = assertThrows(TorchFormatException.class, () -> StateDicts.read(f), (String) c[5]);
            assertOneLine(e.getMessage(), "t.pt", (String) c[5]);
        }
    }

    @Test
    void deepNestingAndBrokenPicklesAreRefused() throws Exception {
        PtFiles.Pickle deep = new PtFiles.Pickle().proto();
        for (int i = 0; i < 5000; i++) deep.mark();
        Object[][] cases = {
            {deep.bytes(), "nesting deeper than"},
            {new PtFiles.Pickle().proto().orderedDict().bytes(), "truncated"},
            {new PtFiles.Pickle().proto().op('h').op(7).stop().bytes(), "memo entry 7"},
            {new PtFiles.Pickle().proto().op('R').stop().bytes(), "empty stack"},
            {new PtFiles.Pickle().proto().op('i').stop().bytes(), "opcode 0x69"},
            {new PtFiles.Pickle().proto().integer(3).stop().bytes(), "holds a int, not a state_dict"},
            {new PtFiles.Pickle().proto().orderedDict().mark().str("w").integer(3).op('u').stop().bytes(), "'w' is a int, not a tensor"},
            {new PtFiles.Pickle().proto().global("torch", "FloatStorage").emptyTuple().reduce().stop().bytes(), "never called"},
        };
        Path f = dir.resolve("p.pt");
        for (Object[] c : cases) {
            PtFiles.write(f, "p", (byte[]) c[0], Map.of());
            var e = assertThrows(TorchFormatException.class, () -> StateDicts.read(f), (String) c[1]);
            assertOneLine(e.getMessage(), "p.pt", (String) c[1]);
        }
        // a tuple nested a million deep without marks is only data: read and refused as not a state_dict, no stack overflow
        PtFiles.Pickle tuples = new PtFiles.Pickle().proto().emptyTuple();
        for (int i = 0; i < 1_000_000; i++) tuples.op(0x85);
        PtFiles.write(f, "p", tuples.stop().bytes(), Map.of());
        var e = assertThrows(TorchFormatException.class, () -> StateDicts.read(f));
        assertOneLine(e.getMessage(), "holds a tuple");
    }

    @Test
    void bigEndianStoragesAreSwapped() throws Exception {
        byte[] pkl = new PtFiles.Pickle().proto().orderedDict().mark().str("w")
                .tensor("FloatStorage", "0", "cpu", 2, 0, new long[] {2}, new long[] {1}).op('u').stop().bytes();
        byte[] be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f).array();
        Path f = dir.resolve("be.pt");
        try (var out = Files.newOutputStream(f); var zip = new java.util.zip.ZipOutputStream(out)) {
            for (var e : Map.of("be/data.pkl", pkl, "be/data/0", be, "be/byteorder", "big".getBytes(StandardCharsets.US_ASCII)).entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        assertArrayEquals(new float[] {1.5f, -2f}, StateDicts.read(f).get("w").toFloats());
    }

    /** PyTorch 2.x may pass a seventh argument (a metadata dict) and names the folder "archive". */
    @Test
    void theSevenArgumentRebuildOfNewerTorchReads() throws Exception {
        PtFiles.Pickle p = new PtFiles.Pickle().proto().orderedDict().mark().str("w")
                .global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", "BFloat16Storage").str("0").str("cuda:1").integer(3).op('t').op('Q')
                .integer(1).ints(2).ints(1).op(0x89).orderedDict().op('}').op('t').reduce().op('u').stop();
        byte[] bf16 = {(byte) 0x80, 0x3f, 0x00, (byte) 0xc0, 0x40, 0x40}; // 1.0, -2.0, 3.0 (high halves of float32)
        Path f = dir.resolve("new.pt");
        PtFiles.write(f, "archive", p.bytes(), Map.of("0", bf16));
        assertArrayEquals(new float[] {-2f, 3f}, StateDicts.read(f).get("w").toFloats());
    }

    @Test
    void halfFloatsWidenExactlyIncludingSubnormalsAndInfinities() {
        assertEquals(1.0f, StridedCopy.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, StridedCopy.halfToFloat((short) 0xc000));
        assertEquals(65504f, StridedCopy.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, StridedCopy.halfToFloat((short) 0x0001));
        assertEquals(Float.NEGATIVE_INFINITY, StridedCopy.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(StridedCopy.halfToFloat((short) 0x7e00)));
        assertEquals(-0.0f, StridedCopy.halfToFloat((short) 0x8000));
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(StridedCopy.halfToFloat((short) 0x8000)));
    }
}
