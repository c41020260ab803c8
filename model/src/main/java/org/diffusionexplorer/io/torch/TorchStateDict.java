package org.diffusionexplorer.io.torch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipException;
import org.diffusionexplorer.io.NpyArray;

/**
 * A PyTorch state_dict file (torch.save(model.state_dict(), f), as improved-diffusion writes
 * model*.pt and ema_*.pt) read without Python and without running its pickle: names to arrays in
 * file order, like the .npz reader. Tensors saved on a GPU load here all the same (the storage
 * location is only a label). The pre-1.6 format is recognised and refused with how to re-save it.
 */
public final class TorchStateDict {
    private TorchStateDict() {}

    /** Views beyond their storages' size that are still accepted: expanded biases and the like. */
    static final long VIEW_SLACK_BYTES = 16L << 20;

    /** Pickle protocol 2's first byte: the legacy format begins with a pickled magic number. */
    private static final int PICKLE_PROTO = 0x80;

    /** True when {@code file} looks like a PyTorch file (a zip with a data.pkl, or a bare pickle): the reader to use. */
    public static boolean looksLike(Path file) {
        byte[] head = head(file);
        if (head.length >= 1 && (head[0] & 0xff) == PICKLE_PROTO) return true;
        if (head.length < 4 || head[0] != 'P' || head[1] != 'K') return false;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            return TorchZip.pickleDir(zip, file.getFileName().toString()) != null;
        } catch (IOException | RuntimeException e) {
            String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            return n.endsWith(".pt") || n.endsWith(".pth"); // damaged: let this reader say what is wrong
        }
    }

    /**
     * The legacy format opens with a pickled magic number (protocol 2, LONG1 of 10 bytes,
     * 0x1950a86a20f9469cfc6c little-endian); a pickle without it is something else.
     */
    private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46,
        (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    private static boolean startsWithLegacyMagic(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(LEGACY_MAGIC.length), LEGACY_MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(4);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    public static Map<String, NpyArray> read(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) throw new TorchFormatException(file + ": no such file");
        byte[] head = head(file);
        if (head.length >= 1 && (head[0] & 0xff) == PICKLE_PROTO) {
            if (!startsWithLegacyMagic(file)) throw new TorchFormatException(name + ": a bare pickle, not a PyTorch checkpoint (not read: only torch.save's files are)");
            throw new TorchFormatException(name + ": saved in PyTorch's legacy format (before 1.6), which is not read here; re-save it in Python:"
                    + " torch.save(torch.load('" + name + "', map_location='cpu'), '" + name + "', _use_new_zipfile_serialization=True)");
        }
        try (TorchZip zip = TorchZip.open(file, name)) {
            Object root = new RestrictedUnpickler(zip.pickle(), name).load();
            if (!(root instanceof Map<?, ?> entries)) {
                throw new TorchFormatException(name + ": holds a " + RestrictedUnpickler.typeName(root) + ", not a state_dict (a dict of tensors)");
            }
            ByteOrder order = zip.byteOrder();
            Map<String, ByteBuffer> storages = new HashMap<>();
            Map<String, NpyArray> out = new LinkedHashMap<>();
            long storageBytes = 0, outputBytes = 0;
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                if (!(e.getKey() instanceof String key)) throw new TorchFormatException(name + ": a key is a " + RestrictedUnpickler.typeName(e.getKey()) + ", not a name");
                if (!(e.getValue() instanceof TensorSpec t)) {
                    throw new TorchFormatException(name + ": '" + printable(key) + "' is a " + RestrictedUnpickler.typeName(e.getValue())
                            + ", not a tensor (only a state_dict of tensors is read; e.g. an optimizer's opt*.pt is not one)");
                }
                String label = name + ": '" + printable(key) + "'";
                ByteBuffer data = storages.get(t.storage().key());
                if (data == null) {
                    data = zip.storage(t.storage(), order);
                    storages.put(t.storage().key(), data);
                    storageBytes += data.capacity();
                }
                // Views may repeat their storage (stride 0, or many views of one storage): a few bytes
                // of file could then ask for gigabytes. A state_dict's tensors are about its storages
                // (float16 doubles when widened), so the total is held to that with some slack.
                outputBytes += StridedCopy.outputBytes(t, label);
                if (outputBytes > 4 * storageBytes + VIEW_SLACK_BYTES) {
                    throw new TorchFormatException(label + ": the tensors' views add up to " + outputBytes + " bytes from "
                            + storageBytes + " bytes of storage (repeated views of a small storage)");
                }
                out.put(key, StridedCopy.toArray(t, data, label));
            }
            if (out.isEmpty()) throw new TorchFormatException(name + ": the state_dict holds no tensors");
            return out;
        } catch (ZipException | EOFException | IllegalArgumentException ex) {
            throw new TorchFormatException(name + ": not a readable PyTorch zip file (" + (ex instanceof EOFException ? "it ends early: truncated"
                    : ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()) + ")", ex);
        }
    }

    private static String printable(String key) {
        String s = key.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
