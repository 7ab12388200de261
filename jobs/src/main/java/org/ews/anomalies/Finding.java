package org.ews.anomalies;

/**
 * What a detector found in month {@code t} of one series, before the group judge adds severity, contributors and the
 * detector's parameters. {@code lower}/{@code upper} are the band the observation fell outside (null where a
 * detector has no band on that side); {@code score} and {@code threshold} are in the detector's own unit, so
 * score / threshold says how far past its threshold a finding is.
 */
record Finding(String partner, int t, String metric, double observed, double expected, Double lower, Double upper,
               double score, double threshold, Direction direction, String detector, double valueAtStakeUsd,
               String explanation, Basis basis) {

    enum Direction {
        up, down
    }

    /** What the contributors to a change of the all-partners series are measured on. */
    enum Basis {
        /** The month against the member's median month over the trailing level window. */
        MONTH,
        /** The last 12 months against the 12 before. */
        TWELVE_MONTHS,
        /**
         * The member's unit value in the month against its median over the trailing level window; the change is the
         * price effect in USD (unit value change x the member's kilograms in the month).
         */
        UNIT_VALUE
    }

    double strength() {
        return threshold > 0 ? score / threshold : score;
    }
}
