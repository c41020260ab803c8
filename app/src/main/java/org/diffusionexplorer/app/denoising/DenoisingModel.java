package org.diffusionexplorer.app.denoising;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.SamplingListener;
import org.diffusionexplorer.diffusion.SamplingStep;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.sample.Interpolation;
import org.diffusionexplorer.sample.Sampling;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Denoising pane's open model and what the pane runs on it: a sampling run streamed as frames,
 * samplers side by side, forks from a frame, an interpolation between two seeds. Every run goes
 * through the model module's {@link Sampling} (the one reverse loop) and hands out plain images.
 * Methods that run the model are slow and synchronized: call them on a background task.
 */
public final class DenoisingModel {
    /** Frames kept per run at most; longer runs keep this many evenly spaced steps. */
    public static final int MAX_FRAMES = 200;

    private RunWeights weights;
    private UNetModel model;
    /** What {@link #open} last opened (written after {@code model}); volatile so {@link #openBundled} reads it without the lock. */
    private volatile Opened opened;

    private record Opened(ModelSource source, DenoiserInfo info) {}

    /**
     * Slow: reads the weights and builds the UNet; replaces the open model only when this succeeds.
     * A bundled model that is already open is kept (it never changes on disk): that is how the pane's
     * first open finds the model {@link ModelPreload} opened while the window was being built.
     */
    public synchronized DenoiserInfo open(ModelSource s) throws IOException {
        DenoiserInfo kept = openBundled(s);
        if (kept != null) return kept;
        NativeRuntime.configure();
        RunWeights w = DenoisingSources.weights(s);
        UNetModel m = w.newModel(); // before closing the old one: a bad file leaves the open model usable
        if (model != null) model.close();
        model = m;
        weights = w;
        var mc = w.config().model();
        var d = w.config().diffusion();
        DenoiserInfo info = new DenoiserInfo(s.label(), mc.imageSize(), mc.inChannels(), d.diffusionSteps(), d.noiseSchedule(), w.step(),
                w.weightsName(), mc.numClasses());
        opened = new Opened(s, info);
        return info;
    }

    /**
     * The open model's description when {@code s} is the bundled model already open (as
     * {@link ModelPreload} leaves it), else null. Never waits: the preload may still hold the model's
     * lock for its first pass, and a sampling run asked for now simply queues behind it.
     */
    DenoiserInfo openBundled(ModelSource s) {
        Opened o = opened;
        return s instanceof ModelSource.Bundled && o != null && s.equals(o.source()) ? o.info() : null;
    }

    /**
     * Slow: one model call on the open model for {@code count} images of every class in turn (the
     * pane's default), results dropped, so that the first real request of that size finds the model's
     * execution plan already recorded.
     */
    synchronized void warmUp(int count) {
        sample(new DenoisingRequest(DenoisingRequest.Sampler.DDIM, 1, 0, 1, count), new Sink() { }, () -> false);
    }

    /** How many times the open model has made execution plans (see {@link UNetModel#forwardPlansMade}); 0 with none open. */
    synchronized int plansMade() {
        return model == null ? 0 : model.forwardPlansMade();
    }

    /** Receives a run's results on the sampling thread; what a sink does not take is dropped. */
    public interface Sink {
        /** A kept frame, as soon as it is computed; the last one is the finished samples. */
        default void frame(DenoiseFrame frame) {
        }

        /** After every model call. */
        default void progress(int done, int total) {
        }
    }

    /**
     * Slow: runs the request on the open model. Checks {@code stop} before every model call and
     * returns false when it stopped early, true when the samples are finished.
     */
    public synchronized boolean sample(DenoisingRequest r, Sink sink, BooleanSupplier stop) {
        refreshLive();
        Sampling.Options o = r.options();
        GaussianDiffusion d = Sampling.sampler(weights.config().diffusion(), o).diffusion();
        int total = d.numTimesteps;
        boolean[] keep = Sampling.keptFrames(total, MAX_FRAMES);
        double scale = d.rescaleTimesteps ? 1000.0 / d.originalNumSteps : 1.0;
        try {
            Sampling.Result res = Sampling.run(model, weights.config().diffusion(), o, listener(stop, s -> {
                if (keep[s.index()]) {
                    int t = s.originalT();
                    sink.frame(new DenoiseFrame(s.index(), total, t, (int) Math.round(t * scale), images(s.x()), images(s.predXstart())));
                }
                sink.progress(s.index() + 1, total);
            }));
            List<ImageData> done = images(res.samples());
            sink.frame(new DenoiseFrame(total, total, 0, 0, done, done));
            return true;
        } catch (CancellationException e) {
            return false;
        }
    }

    /** One setting's outcome in a comparison: its finished images, model calls per image and the seconds it took. */
    public record Compared(DenoisingRequest request, List<ImageData> images, int calls, double seconds) {}

    /** Counts model calls over several runs, for one progress bar. */
    public interface Progress {
        void progress(long done, long total);
    }

    /**
     * Slow: the same seed (so the same starting noise) and class through each request in turn. Throws
     * CancellationException when {@code stop} says so before a model call.
     */
    public synchronized List<Compared> compare(List<DenoisingRequest> requests, Progress progress, BooleanSupplier stop) {
        refreshLive();
        long total = 0;
        for (DenoisingRequest r : requests) total += Sampling.sampler(weights.config().diffusion(), r.options()).diffusion().numTimesteps;
        long[] done = {0};
        long all = total;
        List<Compared> out = new ArrayList<>();
        for (DenoisingRequest r : requests) {
            long t0 = System.nanoTime();
            Sampling.Result res = Sampling.run(model, weights.config().diffusion(), r.options(),
                    listener(stop, s -> progress.progress(++done[0], all)));
            out.add(new Compared(r, images(res.samples()), res.steps(), (System.nanoTime() - t0) / 1e9));
        }
        return out;
    }

    /**
     * Slow: continues the run of {@code r} from a stored frame {@code k} times with DDPM (ancestral sampling,
     * fresh noise from {@code seed} at every step) over the same timesteps, for image {@code image} of the
     * frame, with the class that image was asked for. DDPM even when the run was DDIM: DDIM with eta 0
     * would give k copies of one image. Returns the k finished images.
     */
    public synchronized List<ImageData> fork(DenoisingRequest r, DenoiseFrame from, int image, int k, long seed, Progress progress,
            BooleanSupplier stop) {
        if (from.isFinal()) throw new IllegalArgumentException("the finished samples have no steps left to fork");
        if (image < 0 || image >= from.xt().size()) throw new IllegalArgumentException("no image " + (image + 1) + " in the frame");
        if (k < 1) throw new IllegalArgumentException("forks must be at least 1, got " + k);
        long[] labels = Sampling.labels(model, r.count(), r.label());
        int label = labels == null ? Sampling.EVERY_CLASS : (int) labels[image];
        Sampling.Options o = new Sampling.Options(Sampling.Kind.DDPM, r.respacing(), 0, k, seed, true, label);
        ImageData x = from.xt().get(image);
        float[] rows = new float[k * x.data().length];
        for (int i = 0; i < k; i++) System.arraycopy(x.data(), 0, rows, i * x.data().length, x.data().length);
        INDArray xt = Nd4j.create(rows, new long[] {k, x.channels(), x.height(), x.width()}, 'c');
        int left = from.steps() - from.step();
        long[] done = {0};
        Sampling.Result res = Sampling.run(model, weights.config().diffusion(), o, xt, from.step(),
                listener(stop, s -> progress.progress(++done[0], left)));
        return images(res.samples());
    }

    /** Slow: the interpolation of {@link Interpolation} on the open model; CancellationException when stopped. */
    public synchronized List<ImageData> interpolate(long seedA, long seedB, int n, int steps, int label, Progress progress,
            BooleanSupplier stop) {
        refreshLive();
        Sampling.Options o = Interpolation.options(Integer.toString(steps), n, label, true);
        int total = Sampling.sampler(weights.config().diffusion(), o).diffusion().numTimesteps;
        Sampling.Result res = Interpolation.run(model, weights.config().diffusion(), o, seedA, seedB,
                listener(stop, s -> progress.progress(s.index() + 1, total)));
        return images(res.samples());
    }

    private void refreshLive() {
        if (model == null) throw new IllegalStateException("no model is open");
        if (opened.source() instanceof ModelSource.Live l) { // the newest weights of a model still in training
            RunWeights w = l.weights().get();
            if (w != null) {
                model.loadStateDict(w.weights());
                weights = w;
            }
        }
    }

    private static SamplingListener listener(BooleanSupplier stop, SamplingListener onStep) {
        return new SamplingListener() {
            @Override
            public void onStep(SamplingStep step) {
                onStep.onStep(step);
            }

            @Override
            public boolean stopRequested() {
                return stop.getAsBoolean();
            }
        };
    }

    /** A batch [N, C, H, W] as N plain images. */
    static List<ImageData> images(INDArray batch) {
        int n = (int) batch.size(0), c = (int) batch.size(1), h = (int) batch.size(2), w = (int) batch.size(3);
        return ImageData.batch(batch.castTo(DataType.FLOAT).dup('c').data().asFloat(), n, c, h, w);
    }
}
