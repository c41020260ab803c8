package org.diffusionexplorer.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.unet.UNetModel;
import org.diffusionexplorer.unet.UNetPresets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Manual memory probe (not a test): java ... MemProbe A 8 20 step|forward|grads */
public final class MemProbe {
    static String rss() throws Exception {
        for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS")) return l.replaceAll("\\s+", " ").substring(7);
        }
        return "?";
    }

    public static void main(String[] a) throws Exception {
        NativeRuntime.configure();
        var cfg = UNetPresets.byName(a[0]);
        int batch = Integer.parseInt(a[1]), n = Integer.parseInt(a[2]);
        String mode = a[3];
        UNetModel model = UNetModel.create(cfg, 0);
        Nd4j.getRandom().setSeed(99);
        Trainer.addMseLoss(model.graph(), model.output(), "target");
        Trainer tr = new Trainer(model.graph(), "loss", new AdamW(model.stateDict(), 1e-4), List.of(), Trainer.Accumulation.SUM);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, cfg.inChannels(), cfg.imageSize(), cfg.imageSize());
        INDArray t = Nd4j.rand(DataType.FLOAT, batch).muli(1000);
        Map<String, INDArray> ph = new HashMap<>(model.placeholders(x, t, null));
        ph.put("target", Nd4j.randn(DataType.FLOAT, batch, cfg.outChannels(), cfg.imageSize(), cfg.imageSize()));
        java.util.SplittableRandom masks = new java.util.SplittableRandom(99);
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            switch (mode) {
                case "forward" -> model.forward(x, t, null).close();
                case "trainfwd" -> {
                    Map<String, INDArray> fed = new HashMap<>(ph);
                    fed.putAll(model.dropoutMasks(batch, masks));
                    model.graph().output(fed, "loss").values().forEach(INDArray::close);
                }
                default -> System.out.print("loss " + tr.step(ph, 0, rows -> model.dropoutMasks(rows, masks)).loss() + " ");
            }
            if (Boolean.getBoolean("gc")) System.gc();
            if (i == 0) {
                var gf = model.graph().getFunction("grad");
                for (var sd : new org.nd4j.autodiff.samediff.SameDiff[] {model.graph(), gf}) {
                    if (sd == null) continue;
                    for (var s : sd.getSessions().values()) {
                        System.out.println("session mmgr " + s.getMmgr().getClass().getSimpleName() + " in " + (sd == gf ? "grad" : "main"));
                        if (System.getProperty("setmmgr") != null) s.setMmgr(new org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr());
                    }
                }
            }
            System.out.printf("%d %s %.0f ms rss %s counter %d MB%n", i, mode, (System.nanoTime() - t0) / 1e6, rss(), Nd4j.getEnvironment().getDeviceCouner(0) >> 20);
            Runtime rt = Runtime.getRuntime();
            System.out.printf("   heap used %d MB committed %d MB%n", (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20);
        }
        System.gc();
        Thread.sleep(2000);
        System.out.println("after gc rss " + rss());
    }
}
