/**
 * Training images: image folders read as improved-diffusion reads them, the bundled datasets, and
 * shuffled batches decoded ahead of the trainer. No JavaFX here.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * ImageDataset ds = Datasets.open("mnist", 32, 1, true);          // or "emoji", "mnist-test", a folder
 * try (BatchIterator it = BatchIterator.start(ds, 64, seed, step, BatchIterator.DEFAULT_PREFETCH)) {
 *     Batch b = it.next();   // b.x() float32 [64, 1, 32, 32] in [-1, 1], b.y() int64 [64]
 * }
 * }</pre>
 *
 * <h2>Fidelity to the reference (image_datasets.py with Pillow)</h2>
 * {@link org.diffusionexplorer.data.PilResample} reimplements Pillow's resampling arithmetic, and
 * the whole pipeline agrees with Pillow 9.4 byte for byte on the synthetic cases of PilGoldenTest
 * (RGB, L, RGBA, LA, palette, CMYK; odd sizes; up- and downscaling; convert to L), and, decoding
 * included, on the files of PilFilesTest (JPEG baseline, progressive, 4:4:4, gray and Adobe CMYK
 * written by Pillow; palette PNG and GIF; gray-ramp GIF; 1-, 2-, 4- and 16-bit PNG; tRNS colour keys;
 * RGBA; LA). The RGBA Noto emoji were checked the same way by hand. Known differences:
 * <ul>
 *   <li>16-bit grayscale PNG: Pillow opens it in mode "I" and convert("RGB") clips every value above
 *       255 to white; we keep the high byte (as Pillow itself does for 16-bit RGB), which is what the
 *       picture means.</li>
 *   <li>Images above {@link org.diffusionexplorer.data.ImageDecoder#DEFAULT_MAX_PIXELS} pixels are
 *       decoded with ImageIO subsampling (every 2nd/4th.. pixel) before the box halving, to avoid
 *       400 MB rasters; Pillow decodes the full image, so such images differ slightly (aliasing).
 *       Images above {@link org.diffusionexplorer.data.ImageDecoder#MAX_IMAGE_PIXELS} (Pillow's
 *       DecompressionBombError limit) are skipped from their header, as Pillow refuses them too.</li>
 *   <li>JPEG is decoded by ImageIO (IJG libjpeg 6b), Pillow uses libjpeg-turbo: identical on the
 *       baseline files tested; progressive or unusual files may differ by a level or two. CMYK JPEGs
 *       (plain and Adobe-inverted) are read and converted as Pillow does (checked against Pillow);
 *       YCCK or other files ImageIO cannot read are skipped and counted.</li>
 *   <li>Truncated or corrupt files (including JPEGs for which ImageIO only warns) are skipped and
 *       counted; the reference would stop with an exception.</li>
 *   <li>Class labels are computed over the readable files only, so no class is left without images.</li>
 *   <li>Pillow's modes are followed where ImageIO differs: 2/4-bit gray PNGs and GIFs with the
 *       identity gray palette are L (ImageIO gives a colour map), other palette images are P
 *       (nearest-neighbour resizing), and a tRNS colour key of an RGB or gray PNG is ignored (ImageIO
 *       makes it an alpha channel, which would change the resize).</li>
 *   <li>GIF: the first frame only, as ImageIO returns it; a first frame smaller than the GIF's
 *       logical screen is not placed on that screen as Pillow does (untested).</li>
 * </ul>
 * One-channel datasets use Pillow's convert("L") (ITU-R 601-2 luma) where the reference has
 * convert("RGB"). Sharding over MPI ranks is not needed (one process).
 *
 * <h2>Bundled MNIST at the model size</h2>
 * The 28x28 digits go through the same pipeline as any small image: a bicubic upscale of the short
 * side to the model size (32 by default) and a centre crop. That is exactly what the reference does
 * with a folder of the 28x28 PNGs; padding by 2 pixels was the alternative and was not chosen.
 * At size 28 the digits are passed through unchanged.
 */
package org.diffusionexplorer.data;
