package org.diffusionexplorer.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One numpy array as stored in a .npy file: dtype, C-order shape and little-endian bytes.
 * Kept independent of ND4J so that schedules and file checks do not need native code;
 * {@link #toINDArray()} and {@link #of(INDArray)} bridge to ND4J when wanted.
 */
public final class NpyArray {

    /** The numpy dtypes this project reads and writes. */
    public enum DType {
        FLOAT32("<f4", 4), FLOAT64("<f8", 8), INT64("<i8", 8), INT32("<i4", 4), UINT8("|u1", 1), BOOL("|b1", 1);

        public final String descr;
        public final int size;

        DType(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }

        /** Parses a numpy descr; '=' and '<' both mean little-endian here (numpy writes '<' on x86). */
        static DType fromDescr(String d) {
            String norm = d.replace('=', '<');
            if (norm.equals("<u1") || norm.equals("u1")) norm = "|u1";
            if (norm.equals("<b1") || norm.equals("b1")) norm = "|b1";
            for (DType t : values()) if (t.descr.equals(norm)) return t;
            throw new NpyFormatException("unsupported dtype '" + d + "' (supported: float32, float64, int64, int32, uint8, bool, little-endian)");
        }
    }

    private final DType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    NpyArray(DType dtype, long[] shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long expected = length() * dtype.size;
        if (this.data.remaining() != expected) {
            throw new NpyFormatException("array data has " + this.data.remaining() + " bytes, shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
        }
    }

    public static NpyArray of(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NpyArray(DType.FLOAT32, shapeOrVector(shape, values.length), b);
    }

    public static NpyArray of(double[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return new NpyArray(DType.FLOAT64, shapeOrVector(shape, values.length), b);
    }

    public static NpyArray of(long[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new NpyArray(DType.INT64, shapeOrVector(shape, values.length), b);
    }

    public static NpyArray ofBytes(byte[] values) {
        return new NpyArray(DType.UINT8, new long[] {values.length}, ByteBuffer.wrap(values.clone()));
    }

    /** Copies an ND4J array (float, double, long or int) into numpy layout. */
    public static NpyArray of(INDArray arr) {
        long[] shape = arr.shape();
        INDArray c = arr.dup('c');
        switch (arr.dataType()) {
            case FLOAT: return of(c.data().asFloat(), shape);
            case DOUBLE: return of(c.data().asDouble(), shape);
            case LONG: case INT: return of(c.data().asLong(), shape);
            default: throw new IllegalArgumentException("cannot store ND4J dtype " + arr.dataType() + " as .npy");
        }
    }

    private static long[] shapeOrVector(long[] shape, int n) {
        return shape.length == 0 && n != 1 ? new long[] {n} : shape;
    }

    public DType dtype() { return dtype; }

    public long[] shape() { return shape.clone(); }

    public long length() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /** Raw little-endian bytes (a read-only view). */
    public ByteBuffer rawData() { return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN); }

    public double[] toDoubles() {
        int n = Math.toIntExact(length());
        double[] out = new double[n];
        ByteBuffer b = rawData();
        for (int i = 0; i < n; i++) {
            switch (dtype) {
                case FLOAT32: out[i] = b.getFloat(i * 4); break;
                case FLOAT64: out[i] = b.getDouble(i * 8); break;
                case INT64: out[i] = b.getLong(i * 8); break;
                case INT32: out[i] = b.getInt(i * 4); break;
                case UINT8: out[i] = b.get(i) & 0xff; break;
                case BOOL: out[i] = b.get(i) != 0 ? 1 : 0; break;
            }
        }
        return out;
    }

    public float[] toFloats() {
        if (dtype == DType.FLOAT32) { // the weights' case: a bulk copy, not a conversion per element
            float[] out = new float[Math.toIntExact(length())];
            rawData().asFloatBuffer().get(out);
            return out;
        }
        double[] d = toDoubles();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    public long[] toLongs() {
        if (dtype == DType.INT64) {
            long[] out = new long[Math.toIntExact(length())];
            rawData().asLongBuffer().get(out);
            return out;
        }
        double[] d = toDoubles();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (long) d[i];
        return out;
    }

    /** The raw bytes of a uint8 array (e.g. text stored inside an .npz). */
    public byte[] toBytes() {
        if (dtype != DType.UINT8) throw new NpyFormatException("expected a uint8 array, found " + dtype);
        byte[] out = new byte[Math.toIntExact(length())];
        rawData().get(out);
        return out;
    }

    /** An ND4J array of the same shape; floats stay float32, doubles float64, integers int64. */
    public INDArray toINDArray() {
        long[] s = shape.length == 0 ? new long[0] : shape;
        switch (dtype) {
            case FLOAT32: return Nd4j.create(toFloats(), s, 'c');
            case FLOAT64: return Nd4j.create(toDoubles(), s, 'c');
            default: return Nd4j.createFromArray(toLongs()).reshape(s).castTo(DataType.INT64);
        }
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
