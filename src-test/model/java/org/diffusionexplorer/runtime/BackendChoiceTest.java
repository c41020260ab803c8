package org.diffusionexplorer.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.diffusionexplorer.runtime.BackendChoice.Backend;
import org.diffusionexplorer.runtime.BackendChoice.Decision;
import org.diffusionexplorer.runtime.BackendChoice.Probe;
import org.diffusionexplorer.runtime.BackendChoice.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CPU-or-CUDA decision, the service filter that enforces it, and the report's wording; no GPU and no natives needed. */
class BackendChoiceTest {
    private static final Supplier<Probe> NEVER = () -> {
        throw new AssertionError("the GPU must not be probed here");
    };

    @Test
    void parsesRequests() {
        assertEquals(Request.AUTO, BackendChoice.parse(null));
        assertEquals(Request.AUTO, BackendChoice.parse(" "));
        assertEquals(Request.AUTO, BackendChoice.parse("Auto"));
        assertEquals(Request.CPU, BackendChoice.parse("cpu"));
        assertEquals(Request.CUDA, BackendChoice.parse(" CUDA "));
        assertEquals(Request.CUDA, BackendChoice.parse("gpu"));
        assertThrows(IllegalArgumentException.class, () -> BackendChoice.parse("tpu"));
    }

    @Test
    void cpuBuildUsesTheCpuAndSaysWhereTheCudaBuildIs() {
        assumeFalse(BackendChoice.cudaInBuild(), "a -Pcuda build");
        assertTrue(BackendChoice.present(BackendChoice.CPU_BACKEND_CLASS));
        Decision auto = BackendChoice.decide(Request.AUTO, BackendChoice.cudaInBuild(), NEVER);
        assertEquals(Backend.CPU, auto.backend());
        assertNull(auto.notice());
        assertFalse(auto.hideCuda());
        Decision cuda = BackendChoice.decide(Request.CUDA, BackendChoice.cudaInBuild(), NEVER);
        assertEquals(Backend.CPU, cuda.backend());
        assertEquals(1, cuda.notice().lines().count());
        assertTrue(cuda.notice().contains("no CUDA backend") && cuda.notice().contains("-Pcuda"), cuda.notice());
    }

    @Test
    void cudaBuildFallsBackToTheCpuWithTheReason() {
        Decision ok = BackendChoice.decide(Request.AUTO, true, Probe::ok);
        assertEquals(Backend.CUDA, ok.backend());
        assertFalse(ok.hideCuda());
        assertNull(ok.notice());
        assertEquals(Backend.CUDA, BackendChoice.decide(Request.CUDA, true, Probe::ok).backend());

        Decision none = BackendChoice.decide(Request.CUDA, true, () -> Probe.unusable("no CUDA device"));
        assertEquals(Backend.CPU, none.backend());
        assertTrue(none.hideCuda(), "ND4J must not try (and print a stack trace for) the CUDA backend");
        assertEquals("CUDA was requested, but no usable GPU was found (no CUDA device): using the CPU.", none.notice());
        Decision auto = BackendChoice.decide(Request.AUTO, true, () -> Probe.unusable("libcudart.so.11.0: cannot open shared object file"));
        assertEquals(Backend.CPU, auto.backend());
        assertTrue(auto.notice().startsWith("No usable CUDA GPU (libcudart.so.11.0"), auto.notice());

        Decision cpu = BackendChoice.decide(Request.CPU, true, NEVER);
        assertEquals(Backend.CPU, cpu.backend());
        assertTrue(cpu.hideCuda());
        assertNull(cpu.notice());
    }

    @Test
    void kernelArchitecturesFollowBinaryCompatibility() {
        assertTrue(CudaProbe.kernelsRunOn(8, 6));
        assertTrue(CudaProbe.kernelsRunOn(8, 9), "sm_86 code runs on 8.9");
        assertTrue(CudaProbe.kernelsRunOn(7, 5));
        assertTrue(CudaProbe.kernelsRunOn(6, 2));
        assertTrue(CudaProbe.kernelsRunOn(3, 7));
        assertFalse(CudaProbe.kernelsRunOn(3, 5));
        assertFalse(CudaProbe.kernelsRunOn(9, 0), "no PTX: Hopper cannot run the 11.6 build's kernels");
        assertEquals("boom", CudaProbe.reason(new RuntimeException("wrap", new UnsatisfiedLinkError("boom\nmore"))));
        assertEquals("libcuda.so.1: cannot open shared object file: No such file or directory", CudaProbe.reason(new UnsatisfiedLinkError(
                "/root/.javacpp/cache/x.jar/org/bytedeco/cuda/linux-x86_64/libjnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory")));
    }

    @Test
    void serviceFilterHidesOnlyTheNamedBackend(@TempDir Path dir) throws Exception {
        Path services = dir.resolve(BackendServices.SERVICE);
        Files.createDirectories(services.getParent());
        Files.writeString(services, "# backends\n" + BackendChoice.CPU_BACKEND_CLASS + "\n"
                + BackendChoice.CUDA_BACKEND_CLASS + "  # the GPU\n");
        try (URLClassLoader parent = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            BackendServices filtered = new BackendServices(parent, Set.of(BackendChoice.CUDA_BACKEND_CLASS));
            List<URL> urls = Collections.list(filtered.getResources(BackendServices.SERVICE));
            assertEquals(1, urls.size());
            String text;
            try (var in = urls.get(0).openStream()) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertEquals(BackendChoice.CPU_BACKEND_CLASS + "\n", text);
            assertTrue(filtered.getResource(BackendServices.SERVICE) != null);
            assertNull(filtered.getResource("no/such/resource"), "other resources come from the parent as they are");
        }
        // the real class path (CPU build, or -Pcuda with both): ND4J's ServiceLoader finds only the CPU backend through it
        BackendServices real = new BackendServices(getClass().getClassLoader(), Set.of(BackendChoice.CUDA_BACKEND_CLASS));
        List<String> found = new ArrayList<>();
        java.util.ServiceLoader.load(org.nd4j.linalg.factory.Nd4jBackend.class, real).stream()
                .forEach(p -> found.add(p.type().getName()));
        assertEquals(List.of(BackendChoice.CPU_BACKEND_CLASS), found);
    }

    @Test
    void reportsNameTheDevice() {
        Properties cpu = new Properties();
        cpu.put("backend", "CPU");
        cpu.put("cores", 2);
        cpu.put("blas.vendor", "OPENBLAS");
        BackendReport c = BackendReport.from(cpu, "HAVE_FLATBUFFERS\nHAVE_ONEDNN\n",
                Map.of("nd4jcpu", "/c/x.jar/org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libnd4jcpu.so"),
                "AMD EPYC 7B13", 24L << 30, 1, false, Request.AUTO, null);
        assertEquals("ND4J CPU on AMD EPYC 7B13 (2 cores), 1 thread, oneDNN, AVX2", c.summary());
        assertTrue(c.lines().contains("natives     linux-x86_64-onednn-avx2, OPENBLAS, oneDNN"), c.lines().toString());
        assertTrue(c.lines().contains("memory      24.0 GB RAM"), c.lines().toString());

        // what ND4J's CUDA executioner puts in its environment information (keys of Nd4jEnvironment)
        Properties gpu = new Properties();
        gpu.put("backend", "CUDA");
        gpu.put("cores", 8);
        gpu.put("blas.vendor", "CUBLAS");
        gpu.put("cuda.availableDevices", 1);
        gpu.put("cuda.devicesInformation", List.of(Map.of("cuda.deviceName", "Test GPU", "cuda.totalMemory", 10L << 30,
                "cuda.freeMemory", 9L << 30, "cuda.deviceMajor", 8L, "cuda.deviceMinor", 6L)));
        BackendReport g = BackendReport.from(gpu, "", Map.of(), "x", 0, 4, true, Request.CUDA, null);
        assertTrue(g.isCuda());
        assertEquals("ND4J CUDA on Test GPU (compute capability 8.6), 10.0 GB GPU memory, 9.0 GB free", g.summary());
        assertTrue(g.lines().get(0).startsWith("backend     ND4J CUDA (asked for cuda"), g.lines().get(0));
    }
}
