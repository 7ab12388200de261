package org.ews.generate;

import java.util.SplittableRandom;

/** Random draws used across the generator; all take the caller's stream so runs stay reproducible. */
final class Pick {
    private Pick() {
    }

    static int index(double[] shares, SplittableRandom rng) {
        double total = 0;
        for (double s : shares) {
            total += s;
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < shares.length; i++) {
            u -= shares[i];
            if (u < 0) {
                return i;
            }
        }
        return shares.length - 1;
    }

    /** Index into a cumulative weight array (strictly increasing where weights are positive). */
    static int cumulative(double[] cumulative, SplittableRandom rng) {
        double u = rng.nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Rank with weight 1/(rank+1): a few big traders, a long tail of small ones. */
    static int zipf(int n, SplittableRandom rng) {
        double h = 0;
        for (int i = 0; i < n; i++) {
            h += 1.0 / (i + 1);
        }
        double u = rng.nextDouble() * h;
        for (int i = 0; i < n; i++) {
            u -= 1.0 / (i + 1);
            if (u < 0) {
                return i;
            }
        }
        return n - 1;
    }

    /** Mean-one log-normal factor. StrictMath throughout: byte-identical output must not hinge on JIT intrinsics. */
    static double logNormal(double sigma, SplittableRandom rng) {
        return StrictMath.exp(sigma * rng.nextGaussian() - sigma * sigma / 2);
    }

    static int poisson(double lambda, SplittableRandom rng) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 40) {
            return Math.max(0, (int) Math.round(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
        }
        double l = StrictMath.exp(-lambda);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= rng.nextDouble();
        } while (p > l);
        return k - 1;
    }

    static <T> T of(T[] items, SplittableRandom rng) {
        return items[rng.nextInt(items.length)];
    }
}
