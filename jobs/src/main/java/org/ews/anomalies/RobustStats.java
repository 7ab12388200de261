package org.ews.anomalies;

import org.apache.commons.math3.special.Gamma;

import java.util.Arrays;

/** Median, MAD and the Poisson tail the detectors share. */
final class RobustStats {
    private RobustStats() {}

    /** 1.4826 x MAD estimates the standard deviation of normal data; z = (x - median) / (1.4826 MAD) is the modified z. */
    static final double MAD_TO_SIGMA = 1.4826;

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double mad(double[] values, double median) {
        double[] dev = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            dev[i] = Math.abs(values[i] - median);
        }
        return median(dev);
    }

    /** Robust spread of {@code values}: 1.4826 MAD, never below {@code floor} (a very regular series still has noise). */
    static double sigma(double[] values, double floor) {
        return values.length == 0 ? floor : Math.max(MAD_TO_SIGMA * mad(values, median(values)), floor);
    }

    /**
     * P(X <= k) for X ~ Poisson(lambda): how likely so few declarations are by chance. The regularized upper gamma
     * Q(k + 1, lambda), which stays exact for the thousands of declarations of a large flow (a product of e^-lambda
     * terms would underflow to 0 beyond lambda ~ 745).
     */
    static double poissonCdf(long k, double lambda) {
        if (lambda <= 0 || k < 0) {
            return k < 0 ? 0.0 : 1.0;
        }
        return Gamma.regularizedGammaQ(k + 1.0, lambda);
    }

    /** P(X >= k) for X ~ Poisson(lambda): how likely so many declarations are by chance; P(k, lambda) for k >= 1. */
    static double poissonUpperTail(long k, double lambda) {
        if (k <= 0) {
            return 1.0;
        }
        return lambda <= 0 ? 0.0 : Gamma.regularizedGammaP(k, lambda);
    }

    static double sum(double[] a, int from, int to) {
        double s = 0;
        for (int i = Math.max(0, from); i < to; i++) {
            s += a[i];
        }
        return s;
    }

    static double mean(double[] a, int from, int to) {
        return to > from ? sum(a, from, to) / (to - from) : Double.NaN;
    }

    static double[] slice(double[] a, int from, int to) {
        return Arrays.copyOfRange(a, Math.max(0, from), Math.max(Math.max(0, from), to));
    }
}
