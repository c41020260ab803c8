/**
 * Measuring generated digits instead of eyeballing them (issue 3): a fixed digit classifier reads
 * the samples; the class histogram, the share read with confidence, and a Frechet distance between
 * classifier features of samples and of real digits (FID's recipe with an MNIST classifier in place
 * of Inception) summarise quality.
 *
 * <ul>
 * <li>{@link org.diffusionexplorer.eval.DigitClassifier}: the small CNN (SameDiff), trained once by
 *     {@code train-classifier} and kept in assets/models/digit-classifier ({@link org.diffusionexplorer.eval.ClassifierFiles}).</li>
 * <li>{@link org.diffusionexplorer.eval.DigitImages}: any run's images to 28x28 gray, so 32x32 or RGB runs can be read.</li>
 * <li>{@link org.diffusionexplorer.eval.Digits}: labelled real digits from the bundled MNIST splits.</li>
 * <li>{@link org.diffusionexplorer.eval.FeatureStats}, {@link org.diffusionexplorer.eval.FrechetDistance}:
 *     the distance, in float64 (eigendecompositions by commons-math3).</li>
 * <li>{@link org.diffusionexplorer.eval.SampleBatches}: N samples in seeded batches;
 *     {@link org.diffusionexplorer.eval.DigitReport}: the numbers and issue 3's targets.</li>
 * </ul>
 *
 * <p>Reading the Frechet distance: it is biased upwards for small sets, so it is only comparable at
 * equal set sizes. The command therefore reports, next to the samples' value, the value of the
 * 1000 held-out real digits against the same training statistics: what a perfect generator scores
 * with 1000 samples. Real digits are taken through the model's data pipeline at its size and then
 * the same resize as the samples, so a 32x32 model is not penalised for the resize itself.
 */
package org.diffusionexplorer.eval;
