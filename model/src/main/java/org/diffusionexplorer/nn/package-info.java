/**
 * Building blocks of the improved-diffusion UNet as SameDiff op sequences, one class per idea of
 * the paper/reference code: {@link org.diffusionexplorer.nn.TimestepEmbedding},
 * {@link org.diffusionexplorer.nn.GroupNorm}, {@link org.diffusionexplorer.nn.ResBlock},
 * {@link org.diffusionexplorer.nn.AttentionBlock}, {@link org.diffusionexplorer.nn.Downsample},
 * {@link org.diffusionexplorer.nn.Upsample}, plus the plain layers they use.
 *
 * <p>Every block declares its parameters ({@link org.diffusionexplorer.nn.ParamSpec}: reference
 * state_dict name, shape, PyTorch initialisation) without ND4J, and adds its ops to a graph given a
 * {@link org.diffusionexplorer.nn.BuildContext}.
 *
 * <p>ND4J 1.0.0-M2.1 facts found while writing them (each has a test or a comment where it matters):
 * <ul>
 *   <li>conv2d_bp fails ("Op validation failed") for OIYX and OYXI weights; only the default YXIO
 *       works, so training graphs permute the stored [out, in, kH, kW] weights (forward-only graphs
 *       use OIYX directly).</li>
 *   <li>The backward of gather failed for the label embedding ("assign ... did not match expected
 *       shape"); one_hot(y) x W is used instead.</li>
 *   <li>The gradient of the variance reduction (sd.variance, biased) is wrong: GroupNorm built on
 *       it failed the float64 finite-difference check by 2.8%; mean of squared deviations is used.</li>
 *   <li>DropOut / DropOutInverted have no derivative and RandomBernoulli reuses one mask per graph,
 *       so dropout multiplies by a mask placeholder the caller draws for every pass.</li>
 *   <li>The backward of a broadcasting op reduces with a generic reduction (a [1024, 1024] by
 *       [1024, 1] multiply_bp: 33 ms against 0.16 ms forward); GroupNorm's per-row steps are
 *       {@link org.diffusionexplorer.nn.RowBroadcast} and {@link org.diffusionexplorer.nn.GroupNormOps}
 *       ops ({@link org.diffusionexplorer.nn.NativeOp}), which keep the native forward and write
 *       their own backward. SameDiff adds up the gradients a doDiff returns for as many of the op's
 *       first inputs as the list holds, so an input that should get nothing goes last. A custom op with its own backward must survive SameDiff's FlatBuffers
 *       copy of the graph (made before differentiating): it needs a name of its own registered
 *       with ImportClassMapping, a public no-argument constructor, and any state as op arguments.</li>
 *   <li>swish's backward is NaN for x >= 45 in float32 (inf / inf in SwishDerivative);
 *       {@link org.diffusionexplorer.nn.SiLU} differentiates h (1 + tanh h), h = x / 2, instead.</li>
 *   <li>sigmoid, swish and the legacy tanh transform run one element at a time; the declarable
 *       tanh / tanh_bp run on oneDNN and are 5-10x faster ({@link org.diffusionexplorer.nn.NativeTanh}).</li>
 *   <li>SameDiff spends roughly as long per op outside the kernels as inside them on small tensors,
 *       so the op count matters as much as the arithmetic.</li>
 * </ul>
 */
package org.diffusionexplorer.nn;
