package org.diffusionexplorer.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ops of {@link GroupNorm} whose backward is GroupNorm's whole backward in one place, instead of
 * the one SameDiff's autodiff composes op by op.
 *
 * <p>Why: composed, the backward of the statistics (the mean, the centring, the square, the
 * variance) spreads each group's gradient back to full size by outer products, multiplies and adds
 * it to the other contributions: about eighteen reads and nine writes of the full tensor per
 * GroupNorm, where the closed form needs about nine and five. With s1 and s2 the sums over a channel's
 * pixels of dy and of dy * xc, a = rstd * weight per (sample, channel), and M the group's size:
 * <pre>
 *   dx = a dy + beta xc + gamma,   gamma = -sum_{c in g}(a s1) / M,   beta = -rstd^2 sum_{c in g}(a s2) / M
 * </pre>
 * {@link Shift} (xc * a + b, its last step) returns that dx as the gradient of xc, together with a's
 * and b's, from one row sum of dy that both need; {@link Centre} passes dx on to x, and the scaling
 * and the statistics ({@link Scale}, {@link Mean}, {@link Square}, {@link MeanOfSquares}) return
 * nothing. SameDiff
 * M2.1 adds up what each op's {@code doDiff} returns for its first inputs, as many as the returned
 * list holds ({@code DifferentialFunction.diff}), so a statistic of x takes x as its last input and
 * returns a shorter list; a variable that must have a gradient but passes none on gets a scalar zero
 * nothing reads. The weight's and bias's gradients still come from SameDiff through the small tensors
 * (a's gradient is s2), so only x's path is written here; GroupNormTest checks all three against
 * finite differences.
 */
public final class GroupNormOps {
    private GroupNormOps() {}

    /** Makes SameDiff's FlatBuffers copy of a graph map these ops' names back to their classes ({@link OpRegistration}). */
    static void register() {
        NativeOp.register(new Mean(), new MeanOfSquares(), new Centre(), new Square(), new Scale(), new Shift());
    }

    /** The mean of each row of x [R, M], as [1, R]: a [1, M] row of 1/M times x transposed. */
    static SDVariable mean(SDVariable x, long columns) {
        return new Mean(x.getSameDiff(), meanRow(x, columns), x).outputVariable();
    }

    /** The mean of each row of squares [R, M], as [1, R]. */
    static SDVariable meanOfSquares(SDVariable squares, long columns) {
        return new MeanOfSquares(squares.getSameDiff(), meanRow(squares, columns), squares).outputVariable();
    }

    /** x - mean: x [R, M], mean [R, 1]. */
    static SDVariable centre(SDVariable mean, SDVariable x) {
        return new Centre(x.getSameDiff(), mean, x).outputVariable();
    }

    /** xc * xc. */
    static SDVariable square(SDVariable xc) {
        return new Square(xc.getSameDiff(), xc).outputVariable();
    }

    /** xc * a: xc viewed as [N * C, HW], a [N * C, 1] = rstd * weight. */
    static SDVariable scale(SDVariable xc, SDVariable a) {
        return new Scale(xc.getSameDiff(), xc, a).outputVariable();
    }

    /**
     * scaled + b, b [N * C, 1]: GroupNorm's output. xc, a and rstd [N * G, 1] ride along for the
     * backward.
     */
    static SDVariable shift(SDVariable scaled, SDVariable b, SDVariable xc, SDVariable a, SDVariable rstd, long pixels,
            long perGroup) {
        return new Shift(scaled.getSameDiff(), scaled, b, xc, a, rstd, pixels, perGroup).outputVariable();
    }

    private static SDVariable meanRow(SDVariable x, long columns) {
        return x.getSameDiff().constant(Nd4j.valueArrayOf(new long[] {1, columns}, 1.0 / columns, x.dataType()));
    }

    /** A gradient for a variable that must have one but passes nothing on: never computed. */
    private static SDVariable unused(SameDiff sd, SDVariable like) {
        return sd.constant(Nd4j.scalar(like.dataType(), 0));
    }

    /** libnd4j's matmul of a [1, M] row and x transposed: one matrix-vector product. */
    abstract static class RowMean extends NativeOp {
        RowMean() {}

        RowMean(SameDiff sd, SDVariable row, SDVariable x) {
            super(sd, row, x);
            addIArgument(0, 1, 0); // transpose x, as matmul reads its flags
            addTArgument(1.0, 0.0);
        }

        @Override
        String nativeName() {
            return "matmul";
        }
    }

    /** A group's mean: x gets nothing back (its part is in Scale's dx). */
    public static final class Mean extends RowMean {
        public Mean() {}

        Mean(SameDiff sd, SDVariable row, SDVariable x) {
            super(sd, row, x);
        }

        @Override
        public String opName() {
            return "group_norm_mean";
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            return List.of(unused(sameDiff, arg(0)));
        }
    }

    /** A group's variance from the squares: the squares need a gradient, and get one nothing reads. */
    public static final class MeanOfSquares extends RowMean {
        public MeanOfSquares() {}

        MeanOfSquares(SameDiff sd, SDVariable row, SDVariable squares) {
            super(sd, row, squares);
        }

        @Override
        public String opName() {
            return "group_norm_mean_of_squares";
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            return List.of(unused(sameDiff, arg(0)), unused(sameDiff, arg(1)));
        }
    }

    /** x - mean, as libnd4j's reversesubtract(mean, x): x is the last input, and gets the gradient as it is. */
    public static final class Centre extends NativeOp {
        public Centre() {}

        Centre(SameDiff sd, SDVariable mean, SDVariable x) {
            super(sd, mean, x);
        }

        @Override
        public String opName() {
            return "group_norm_centre";
        }

        @Override
        String nativeName() {
            return "reversesubtract";
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            return List.of(sameDiff.zerosLike(arg(0)), grad.get(0));
        }
    }

    /** xc * xc, for the variance: xc gets nothing back. */
    public static final class Square extends NativeOp {
        public Square() {}

        Square(SameDiff sd, SDVariable xc) {
            super(sd, xc, xc);
        }

        @Override
        public String opName() {
            return "group_norm_square";
        }

        @Override
        String nativeName() {
            return "multiply";
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            return List.of();
        }
    }

    /** xc * a per row: xc and a get their gradients from {@link Shift}. */
    public static final class Scale extends NativeOp {
        public Scale() {}

        Scale(SameDiff sd, SDVariable xc, SDVariable a) {
            super(sd, xc, a);
        }

        @Override
        public String opName() {
            return "group_norm_scale";
        }

        @Override
        String nativeName() {
            return "multiply";
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            return List.of();
        }
    }

    /** scaled + b per row, whose backward is GroupNorm's (class comment). */
    public static final class Shift extends NativeOp {
        public Shift() {}

        Shift(SameDiff sd, SDVariable scaled, SDVariable b, SDVariable xc, SDVariable a, SDVariable rstd, long pixels,
                long perGroup) {
            super(sd, scaled, b, xc, a, rstd);
            addIArgument(pixels, perGroup); // for the backward; libnd4j's add reads neither, nor the last three inputs
        }

        @Override
        public String opName() {
            return "group_norm_shift";
        }

        @Override
        String nativeName() {
            return "add";
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            SDVariable dy = grad.get(0), xc = arg(2), a = arg(3), rstd = arg(4);
            long pixels = iArguments.get(0), perGroup = iArguments.get(1), m = pixels * perGroup;
            SDVariable s1 = rowSums(dy, pixels, 1.0);                           // [N * C, 1], b's gradient
            SDVariable s2 = rowSums(dy.mul(xc), pixels, 1.0);                   // [N * C, 1], a's gradient
            SDVariable gamma = groupSums(a.mul(s1), perGroup, -1.0 / m);        // [N * G, 1]
            SDVariable beta = groupSums(a.mul(s2), perGroup, -1.0 / m).mul(rstd.mul(rstd));
            SDVariable perGroupPart = RowBroadcast.add(RowBroadcast.multiply(xc.reshape(-1, m), beta, m), gamma, m);
            SDVariable dx = RowBroadcast.multiply(dy, a, pixels).add(perGroupPart.reshape(-1, pixels));
            return List.of(dy, s1, dx, s2, sameDiff.zerosLike(rstd));
        }

        /** [N * C, 1] summed over each group's channels, times {@code factor}: [N * G, 1]. */
        private SDVariable groupSums(SDVariable perChannel, long perGroup, double factor) {
            return rowSums(perChannel.reshape(-1, perGroup), perGroup, factor); // a matmul: a legacy sum here found no input when recorded
        }
    }
}
