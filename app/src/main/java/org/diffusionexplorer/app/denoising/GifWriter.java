package org.diffusionexplorer.app.denoising;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.diffusionexplorer.app.view.PixelGrid;
import org.diffusionexplorer.io.AtomicFiles;

/**
 * An animated GIF with the JDK's own GIF writer: every frame carries a delay (graphic control
 * extension) and the NETSCAPE2.0 extension makes viewers loop it, which the writer does not do by default.
 */
public final class GifWriter {
    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private GifWriter() {
    }

    /**
     * @param delayMs time each frame stays, rounded to the GIF's 1/100 s
     * @param lastDelayMs time the last frame stays before the loop starts again
     */
    public static void write(List<PixelGrid> frames, int delayMs, int lastDelayMs, Path file) throws IOException {
        if (frames.isEmpty()) throw new IllegalArgumentException("no frames to write");
        // Through AtomicFiles, as every output of the project: never half a GIF, never an old file's tail.
        AtomicFiles.write(file, os -> {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(os)) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < frames.size(); i++) {
                    boolean last = i == frames.size() - 1;
                    var image = frames.get(i).toAwt();
                    ImageWriteParam param = writer.getDefaultWriteParam();
                    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
                    describe(meta, last ? lastDelayMs : delayMs, i == 0);
                    writer.writeToSequence(new IIOImage(image, null, meta), param);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
        });
    }

    private static void describe(IIOMetadata meta, int delayMs, boolean first) throws IOException {
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(Math.max(1, Math.round(delayMs / 10f))));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) { // loop forever: application extension NETSCAPE2.0, sub-block 1, loop count 0
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0});
            apps.appendChild(app);
        }
        meta.setFromTree(FORMAT, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode n = new IIOMetadataNode(name);
        root.appendChild(n);
        return n;
    }
}
