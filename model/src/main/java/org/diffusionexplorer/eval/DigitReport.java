package org.diffusionexplorer.eval;

/**
 * The quality numbers of one set of generated digits, and issue 3's targets for them.
 *
 * @param counts         samples the classifier reads as each digit 0..9
 * @param confident      samples whose most probable digit has probability >= {@link #CONFIDENCE}
 * @param samples        Frechet distance (squared, as FID) of the samples' features to the real training digits'
 * @param heldOut        the same for held-out real digits: the value a perfect generator would get at that
 *                       sample size (the distance is biased upwards for small sets, so compare at equal n)
 * @param referenceCount training digits the reference statistics were computed from
 * @param heldOutCount   held-out digits (mnist-test)
 * @param heldOutConfident held-out real digits read with probability >= {@link #CONFIDENCE}: the confident share
 *                       a perfect generator would reach, so the 80% target can be read against it
 * @param asked          samples drawn for a requested class (all of a class-conditional model's, 0 otherwise)
 * @param agreeing       of those, the samples the classifier reads as the class they were asked for; with
 *                       asked-for classes the histogram follows the request, so this is the stronger test
 */
public record DigitReport(int[] counts, int confident, FrechetDistance.Result samples, FrechetDistance.Result heldOut,
        int referenceCount, int heldOutCount, int heldOutConfident, int asked, int agreeing) {

    public static final double CONFIDENCE = 0.9;
    /** Targets of issue 3 for the shipped digits model and 1000 samples. */
    public static final double MIN_CONFIDENT_SHARE = 0.80, MIN_DIGIT_SHARE = 0.05, MAX_DIGIT_SHARE = 0.15;

    /**
     * Scores a prediction of generated samples against the statistics of real training and held-out digits.
     *
     * @param asked the class each sample was drawn for, or null for an unconditional model
     */
    public static DigitReport of(Prediction p, long[] asked, FeatureStats train, Prediction heldOut) {
        if (asked != null && asked.length != p.size()) {
            throw new IllegalArgumentException(asked.length + " requested classes for " + p.size() + " samples");
        }
        int[] counts = new int[DigitClassifier.CLASSES];
        int agreeing = 0;
        for (int i = 0; i < p.size(); i++) {
            counts[p.digit(i)]++;
            if (asked != null && p.digit(i) == asked[i]) agreeing++;
        }
        FeatureStats s = FeatureStats.of(p.features()), h = FeatureStats.of(heldOut.features());
        return new DigitReport(counts, confident(p), FrechetDistance.terms(s, train), FrechetDistance.terms(h, train),
                train.count(), h.count(), confident(heldOut), asked == null ? 0 : asked.length, agreeing);
    }

    private static int confident(Prediction p) {
        int n = 0;
        for (int i = 0; i < p.size(); i++) if (p.confidence(i) >= CONFIDENCE) n++;
        return n;
    }

    public int n() {
        int n = 0;
        for (int c : counts) n += c;
        return n;
    }

    public double share(int digit) {
        return counts[digit] / (double) n();
    }

    public double confidentShare() {
        return confident / (double) n();
    }

    public double heldOutConfidentShare() {
        return heldOutConfident / (double) heldOutCount;
    }

    /** Share of the asked-for samples read as their class; NaN when no class was asked for. */
    public double agreementShare() {
        return asked == 0 ? Double.NaN : agreeing / (double) asked;
    }

    public boolean confidentTargetMet() {
        return confidentShare() >= MIN_CONFIDENT_SHARE;
    }

    /** The digit with the smallest (max = false) or largest share. */
    public int extremeDigit(boolean max) {
        int best = 0;
        for (int d = 1; d < counts.length; d++) if (max ? counts[d] > counts[best] : counts[d] < counts[best]) best = d;
        return best;
    }

    public boolean balanceTargetMet() {
        return share(extremeDigit(false)) >= MIN_DIGIT_SHARE && share(extremeDigit(true)) <= MAX_DIGIT_SHARE;
    }
}
