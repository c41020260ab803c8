package org.diffusionexplorer.unet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.diffusionexplorer.exec.DataParallel;
import org.diffusionexplorer.exec.PlanStore;
import org.diffusionexplorer.exec.PlannedGraph;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.nn.Dropout;
import org.diffusionexplorer.nn.AttentionBlock;
import org.diffusionexplorer.nn.Layer;
import org.diffusionexplorer.nn.ParamSpec;
import org.diffusionexplorer.nn.ResBlock;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The improved-diffusion UNet as one SameDiff graph, with the reference's parameter names.
 *
 * <p>Two graphs share the same weight arrays: {@link #graph()} for training (dropout active when
 * the configuration has dropout) and a private evaluation graph without dropout behind
 * {@link #forward} and {@link #activations}. Writing into {@link #stateDict()} arrays (optimizer
 * steps, EMA, imports) is seen by both. Each graph is built on first use: a model that only samples
 * never builds the training graph (which took 1.1 s of the explorer's start-up when it was built with
 * every model, measured with -Ddiffusion.startupLog).
 */
public final class UNetModel implements AutoCloseable {
    private final UNetConfig cfg;
    private final DataType dtype;
    private final UNetBuilder.Layout layout;
    private final Map<String, INDArray> params;
    private SameDiff train;
    private UNetBuilder.Graph trainGraph;
    private SameDiff eval;
    private UNetBuilder.Graph evalGraph;
    private DataParallel evalShards; // the same, on batch shards at once (one per thread)
    private PlannedGraph evalPlans; // the evaluation forward pass ("out") through execution plans
    private PlanStore plans = PlanStore.NONE;

    private UNetModel(UNetConfig cfg, DataType dtype, Map<String, INDArray> params) {
        this.cfg = cfg;
        this.dtype = dtype;
        this.layout = UNetBuilder.layout(cfg);
        this.params = params;
    }

    /** A float32 model initialised like PyTorch (seeded). */
    public static UNetModel create(UNetConfig cfg, long seed) {
        return create(cfg, seed, DataType.FLOAT);
    }

    /** A model in FLOAT or DOUBLE (float64 serves gradient checks). */
    public static UNetModel create(UNetConfig cfg, long seed, DataType dtype) {
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("model dtype must be FLOAT or DOUBLE, got " + dtype);
        }
        List<ParamSpec> specs = UNetBuilder.layout(cfg).params();
        long n = 0;
        for (ParamSpec p : specs) n += p.numel();
        if (n > MAX_PARAMETERS) {
            throw new InvalidConfigException("model", String.format(java.util.Locale.ROOT,
                    "%,d parameters (%.1f GB of weights, four times that to train) exceed the limit of %,d", n, n * 4 / 1e9, MAX_PARAMETERS));
        }
        return new UNetModel(cfg, dtype, initialParams(specs, seed, dtype));
    }

    /**
     * A float32 model holding {@code weights} (reference names), checked as {@link #loadStateDict}
     * checks them. No initial values are drawn first: opening a model for sampling skips that work.
     */
    public static UNetModel withWeights(UNetConfig cfg, Map<String, NpyArray> weights) {
        UNetBuilder.Layout layout = UNetBuilder.layout(cfg);
        checkStateDict(layout, weights);
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (ParamSpec p : layout.params()) params.put(p.name(), Nd4j.create(weights.get(p.name()).toFloats(), p.shape(), 'c'));
        return new UNetModel(cfg, DataType.FLOAT, params);
    }

    /**
     * Evaluation passes make their execution plans from the recordings {@code store} keeps when it
     * has one for the pass's shapes ({@link PlanStore}); set before the first pass.
     */
    public synchronized void usePlanStore(PlanStore store) {
        if (evalPlans != null || evalShards != null) throw new IllegalStateException("set the plan store before the first pass");
        plans = store;
    }

    /** Largest model built: 20x the reference's CIFAR-10 model; beyond it allocation would fail anyway. */
    public static final long MAX_PARAMETERS = 1_000_000_000L;

    /**
     * PyTorch-like initial values, drawn in state_dict order from one seeded generator:
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for conv/linear weights and biases, N(0,1) for embeddings,
     * GroupNorm 1/0, zeros for the zero_module'd convolutions.
     */
    static Map<String, INDArray> initialParams(List<ParamSpec> specs, long seed, DataType dtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParamSpec p : specs) {
            int n = Math.toIntExact(p.numel());
            INDArray arr;
            if (dtype == DataType.DOUBLE) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) v[i] = draw(p, rng);
                arr = Nd4j.create(v, p.shape(), 'c');
            } else {
                // straight into float[], without a double[] copy of every tensor (52.5M values for CIFAR-10)
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = (float) draw(p, rng);
                arr = Nd4j.create(v, p.shape(), 'c');
            }
            out.put(p.name(), arr);
        }
        return out;
    }

    private static double draw(ParamSpec p, SplittableRandom rng) {
        return switch (p.init()) {
            case ONE -> 1.0;
            case ZERO -> 0.0;
            case NORMAL -> gaussian(rng);
            case FAN_IN_UNIFORM -> {
                double bound = 1.0 / Math.sqrt(p.fanIn());
                yield rng.nextDouble(-bound, bound);
            }
        };
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; SplittableRandom has no nextGaussian in Java 17
        double u1 = rng.nextDouble();
        while (u1 == 0) u1 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Parameter names and shapes of a configuration, without allocating anything. */
    public static List<ParamSpec> parameterSpecs(UNetConfig cfg) {
        return UNetBuilder.layout(cfg).params();
    }

    public UNetConfig config() {
        return cfg;
    }

    public DataType dataType() {
        return dtype;
    }

    /**
     * The training graph. Placeholders "x", "t", if conditional "y", and when cfg.dropout > 0 one mask
     * per ResBlock (see {@link #dropoutMasks}), which every pass must be given afresh.
     */
    public synchronized SameDiff graph() {
        if (train == null) {
            SameDiff sd = SameDiff.create();
            trainGraph = UNetBuilder.build(layout, sd, dtype, params, true);
            train = sd;
        }
        return train;
    }

    /** The model output in {@link #graph()}, [N, out_channels, H, W]. */
    public synchronized SDVariable output() {
        graph();
        return trainGraph.output();
    }

    /**
     * Fresh dropout masks for one pass of {@link #graph()} on {@code batch} rows: mask placeholder name
     * -> [batch, C, H, W] holding 0 or 1/(1-p), drawn site by site in forward order from {@code rng}
     * (so equal generator states give equal masks). Empty when the model has no dropout.
     */
    public Map<String, INDArray> dropoutMasks(int batch, RandomGenerator rng) {
        Map<String, INDArray> masks = new LinkedHashMap<>();
        if (cfg.dropout() <= 0) return masks;
        for (UNetBuilder.Block b : layout.allBlocks()) {
            for (Layer layer : b.layers()) {
                if (layer instanceof ResBlock r && r.dropout() > 0) {
                    masks.put(r.dropoutMaskName(), Dropout.mask(rng, r.dropout(), dtype, r.dropoutShape(batch)));
                }
            }
        }
        return masks;
    }

    /** Masks of ones for every dropout site: {@link #graph()} then computes the evaluation-mode output. */
    public Map<String, INDArray> noDropoutMasks(int batch) {
        Map<String, INDArray> masks = new LinkedHashMap<>();
        for (UNetBuilder.Block b : layout.allBlocks()) {
            for (Layer layer : b.layers()) {
                if (layer instanceof ResBlock r && r.dropout() > 0) masks.put(r.dropoutMaskName(), Nd4j.ones(dtype, r.dropoutShape(batch)));
            }
        }
        return masks;
    }

    /** Evaluation-mode output (no dropout), [N, out_channels, H, W]. */
    public synchronized INDArray forward(INDArray x, INDArray t, INDArray y) {
        Map<String, INDArray> ph = placeholders(x, t, y);
        SameDiff g = evalGraph();
        int shards = DataParallel.shardsFor(x.size(0), NativeRuntime.threads());
        if (shards > 1) {
            if (evalShards != null && evalShards.shards() != shards) {
                evalShards.close();
                evalShards = null;
            }
            if (evalShards == null) evalShards = DataParallel.withEqualShards(g, List.of("out"), shards, plans);
            INDArray out = Nd4j.createUninitialized(dtype, x.size(0), cfg.outChannels(), x.size(2), x.size(3));
            if (evalShards.run(ph, (k, from, to, got) -> out.get(NDArrayIndex.interval(from, to)).assign(got.get("out")))) return out;
            out.close();
            return g.output(ph, "out").get("out");
        }
        if (evalPlans == null) evalPlans = new PlannedGraph(g, List.of("out"), plans);
        Map<String, INDArray> planned = evalPlans.run(ph);
        // the plan's array is overwritten by the next pass: callers (samplers) keep what they get
        return planned != null ? planned.get("out").dup() : g.output(ph, "out").get("out");
    }

    /**
     * How many times {@link #forward} has made execution plans so far (the slow first pass at each
     * batch size: a SameDiff recording, or a kept one): the app's start-up preload is checked with it.
     */
    public synchronized int forwardPlansMade() {
        return (evalPlans == null ? 0 : evalPlans.plansMade()) + (evalShards == null ? 0 : evalShards.plansMade());
    }

    /** Every block output of one evaluation pass, keyed by block name ({@link UNetBuilder.Block#name}), plus both embeddings. */
    public Map<String, INDArray> activations(INDArray x, INDArray t, INDArray y) {
        List<String> names = new ArrayList<>(List.of("timestep_embedding", "time_embed"));
        for (UNetBuilder.Block b : layout.allBlocks()) names.add(b.name());
        Map<String, INDArray> got = run(x, t, y, names);
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String n : names) ordered.put(n, got.get(n));
        return ordered;
    }

    /**
     * One attention block's view of an evaluation pass: the softmax weights [N*heads, T, T] (row = query
     * position, column = key position, T = size*size in row-major order) and GroupNorm(x) [N, C, size, size].
     */
    public record Attention(String module, int heads, int size, INDArray weights, INDArray normed) {}

    /** Every attention block's weights for one evaluation pass, in forward order. */
    public List<Attention> attention(INDArray x, INDArray t, INDArray y) {
        List<AttentionBlock> blocks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (UNetBuilder.Block b : layout.allBlocks()) {
            for (Layer l : b.layers()) {
                if (l instanceof AttentionBlock a) {
                    blocks.add(a);
                    names.add(a.weightsName());
                    names.add(a.normedName());
                }
            }
        }
        if (blocks.isEmpty()) return List.of();
        Map<String, INDArray> got = run(x, t, y, names);
        List<Attention> out = new ArrayList<>();
        for (AttentionBlock a : blocks) {
            out.add(new Attention(a.prefix(), a.heads(), a.outSize(), got.get(a.weightsName()), got.get(a.normedName())));
        }
        return out;
    }

    private synchronized Map<String, INDArray> run(INDArray x, INDArray t, INDArray y, List<String> outputs) {
        Map<String, INDArray> ph = placeholders(x, t, y);
        return evalGraph().output(ph, outputs.toArray(new String[0]));
    }

    /** Checks and converts the inputs of one pass; every problem is reported with the expected form. */
    public Map<String, INDArray> placeholders(INDArray x, INDArray t, INDArray y) {
        int s = cfg.imageSize();
        if (x == null || x.rank() != 4 || x.size(1) != cfg.inChannels() || x.size(2) != s || x.size(3) != s) {
            throw new IllegalArgumentException("x must have shape [N, " + cfg.inChannels() + ", " + s + ", " + s + "], got "
                    + (x == null ? "null" : Arrays.toString(x.shape())));
        }
        long n = x.size(0);
        if (t == null || t.length() != n || t.rank() > 1 && !(t.rank() == 2 && t.size(1) == 1)) {
            throw new IllegalArgumentException("t must have shape [" + n + "] (one timestep per image), got "
                    + (t == null ? "null" : Arrays.toString(t.shape())));
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("x", x.dataType() == dtype ? x : x.castTo(dtype));
        ph.put("t", t.reshape(n).castTo(dtype));
        if (cfg.classConditional()) {
            if (y == null || y.length() != n) {
                throw new IllegalArgumentException("this model is class-conditional: y must hold " + n + " labels, got "
                        + (y == null ? "none" : Arrays.toString(y.shape())));
            }
            INDArray labels = y.reshape(n).castTo(DataType.INT64);
            long min = labels.minNumber().longValue(), max = labels.maxNumber().longValue();
            if (min < 0 || max >= cfg.numClasses()) {
                throw new IllegalArgumentException("labels must be in [0, " + cfg.numClasses() + "), got " + min + ".." + max);
            }
            ph.put("y", labels);
        } else if (y != null) {
            throw new IllegalArgumentException("this model is not class-conditional: pass no labels (y)");
        }
        return ph;
    }

    private SameDiff evalGraph() {
        if (eval == null) {
            // A separate instance even without dropout: inference never disturbs the training graph's
            // state (gradient functions, training config, listeners). Weights are shared, not copied.
            eval = SameDiff.create();
            evalGraph = UNetBuilder.build(layout, eval, dtype, params, false);
        }
        return eval;
    }

    /** Reference names -> the LIVE weight arrays (shared by both graphs; in-place updates allowed). */
    public Map<String, INDArray> stateDict() {
        return Collections.unmodifiableMap(params);
    }

    /** Names in the reference state_dict order. */
    public List<String> parameterNames() {
        return List.copyOf(params.keySet());
    }

    public long parameterCount() {
        return layout.params().stream().mapToLong(ParamSpec::numel).sum();
    }

    /**
     * Copies weights with reference names into the model. Nothing is written unless every name and
     * shape fits; otherwise one {@link WeightsMismatchException} lists all problems.
     */
    public void loadStateDict(Map<String, NpyArray> weights) {
        checkStateDict(layout, weights);
        for (ParamSpec p : layout.params()) {
            NpyArray a = weights.get(p.name());
            INDArray src = dtype == DataType.DOUBLE ? Nd4j.create(a.toDoubles(), p.shape(), 'c')
                    : Nd4j.create(a.toFloats(), p.shape(), 'c');
            params.get(p.name()).assign(src);
        }
    }

    /** Throws one {@link WeightsMismatchException} listing every name, shape and type in {@code weights} that does not fit. */
    private static void checkStateDict(UNetBuilder.Layout layout, Map<String, NpyArray> weights) {
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), shape = new ArrayList<>(),
                type = new ArrayList<>();
        for (ParamSpec p : layout.params()) {
            NpyArray a = weights.get(p.name());
            if (a == null) {
                missing.add(p.name());
                continue;
            }
            if (!Arrays.equals(a.shape(), p.shape())) {
                shape.add(p.name() + ": got " + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(p.shape()));
            }
            if (a.dtype() != NpyArray.DType.FLOAT32 && a.dtype() != NpyArray.DType.FLOAT64) {
                type.add(p.name() + ": " + a.dtype().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        Set<String> names = new HashSet<>();
        for (ParamSpec p : layout.params()) names.add(p.name());
        for (String k : weights.keySet()) if (!names.contains(k)) unexpected.add(k);
        if (!missing.isEmpty() || !unexpected.isEmpty() || !shape.isEmpty() || !type.isEmpty()) {
            throw new WeightsMismatchException(missing, unexpected, shape, type);
        }
    }

    /** The weights with reference names, in the model's float type, in state_dict order. */
    public Map<String, NpyArray> exportStateDict() {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : params.entrySet()) out.put(e.getKey(), NpyArray.of(e.getValue()));
        return out;
    }

    /** The model's blocks, layers and parameters as laid out for its config (one description, shared with the explorer's diagram). */
    public UNetBuilder.Layout layout() {
        return layout;
    }

    @Override
    public synchronized void close() {
        if (evalPlans != null) evalPlans.close();
        evalPlans = null;
        if (evalShards != null) evalShards.close();
        evalShards = null;
        eval = null;
        evalGraph = null;
        train = null;
        trainGraph = null;
    }
}
