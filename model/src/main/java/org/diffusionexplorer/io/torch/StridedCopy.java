package org.diffusionexplorer.io.torch;

import java.nio.ByteBuffer;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;

/**
 * Turns a tensor view (storage, offset, size, stride) into a C-order array, as tensor.contiguous()
 * would: floating storages become float32 (float16 and bfloat16 widened exactly) except float64,
 * which stays float64; integer and bool storages become int64. Checks before copying that the view
 * stays inside its storage and that its element count cannot overflow or exceed {@link Npy#MAX_BYTES}.
 */
final class StridedCopy {
    private StridedCopy() {}

    /** Bytes of the array {@link #toArray} makes of {@code t}, after the same overflow and size checks. */
    static long outputBytes(TensorSpec t, String label) {
        return elementCount(t, label) * outBytes(t.storage().type());
    }

    private static int outBytes(StorageType type) {
        return type == StorageType.FLOAT || type == StorageType.HALF || type == StorageType.BFLOAT16 ? 4 : 8;
    }

    private static long elementCount(TensorSpec t, String label) {
        long count = 1, last = t.offset();
        long[] size = t.size(), stride = t.stride();
        try {
            if (t.offset() < 0) throw new TorchFormatException(label + ": negative storage offset " + t.offset());
            for (int d = 0; d < size.length; d++) {
                if (size[d] < 0 || stride[d] < 0) throw new TorchFormatException(label + ": negative size or stride in dimension " + d);
                count = Math.multiplyExact(count, size[d]);
                if (count > Npy.MAX_BYTES / outBytes(t.storage().type())) {
                    throw new TorchFormatException(label + ": tensor larger than " + (Npy.MAX_BYTES >> 20) + " MiB");
                }
                if (size[d] > 0) last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
            }
        } catch (ArithmeticException e) {
            throw new TorchFormatException(label + ": shape or strides overflow", e);
        }
        if (count > 0 && last >= t.storage().numel()) {
            throw new TorchFormatException(label + ": the view reaches element " + last + " of a storage of " + t.storage().numel());
        }
        return count;
    }

    /** {@code data} holds the whole storage in the file's byte order; {@code label} names the tensor in messages. */
    static NpyArray toArray(TensorSpec t, ByteBuffer data, String label) {
        StorageType type = t.storage().type();
        long[] size = t.size(), stride = t.stride();
        long count = elementCount(t, label);
        int n = (int) count;
        if (type == StorageType.DOUBLE) {
            double[] v = new double[n];
            Walk w = new Walk(t);
            for (int i = 0; i < n; i++) v[i] = data.getDouble(Math.toIntExact(w.next() * 8));
            return NpyArray.of(v, size);
        }
        if (type.floating) {
            float[] v = new float[n];
            if (isContiguous(size, stride) && type == StorageType.FLOAT) {
                data.duplicate().order(data.order()).position(Math.toIntExact(t.offset() * 4)).slice().order(data.order()).asFloatBuffer().get(v);
            } else {
                Walk w = new Walk(t);
                for (int i = 0; i < n; i++) v[i] = floatAt(type, data, w.next());
            }
            return NpyArray.of(v, size);
        }
        long[] v = new long[n];
        Walk w = new Walk(t);
        for (int i = 0; i < n; i++) v[i] = longAt(type, data, w.next());
        return NpyArray.of(v, size);
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expect = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expect) return false;
            expect *= size[d];
        }
        return true;
    }

    private static float floatAt(StorageType type, ByteBuffer b, long index) {
        int at = Math.toIntExact(index * type.bytes);
        switch (type) {
            case FLOAT: return b.getFloat(at);
            case HALF: return halfToFloat(b.getShort(at));
            case BFLOAT16: return Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16); // the high half of a float32
            default: throw new IllegalStateException(type.name());
        }
    }

    private static long longAt(StorageType type, ByteBuffer b, long index) {
        int at = Math.toIntExact(index * type.bytes);
        switch (type) {
            case LONG: return b.getLong(at);
            case INT: return b.getInt(at);
            case SHORT: return b.getShort(at);
            case CHAR: return b.get(at); // torch's int8
            case BYTE: return b.get(at) & 0xff; // uint8
            case BOOL: return b.get(at) != 0 ? 1 : 0;
            default: throw new IllegalStateException(type.name());
        }
    }

    /** IEEE 754 binary16 to float32, exactly: every half value is a float. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff, sign = (bits & 0x8000) << 16, exp = (bits >>> 10) & 0x1f, mant = bits & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f80_0000 | mant << 13); // inf, NaN
        if (exp == 0) { // zero or subnormal: mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
    }

    /** Storage indices of a view's elements in C order, like nested loops over the dimensions. */
    private static final class Walk {
        private final long[] size, stride, idx;
        private long at;
        private boolean first = true;

        Walk(TensorSpec t) {
            size = t.size();
            stride = t.stride();
            idx = new long[size.length];
            at = t.offset();
        }

        long next() {
            if (first) {
                first = false;
                return at;
            }
            for (int d = size.length - 1; d >= 0; d--) {
                if (++idx[d] < size[d]) {
                    at += stride[d];
                    return at;
                }
                at -= stride[d] * (idx[d] - 1);
                idx[d] = 0;
            }
            throw new IllegalStateException("walked past the end");
        }
    }
}
