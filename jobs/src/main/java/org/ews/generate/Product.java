package org.ews.generate;

/** One HS6 product and the economics the generator needs to make plausible quantities and values. */
record Product(String hs6, String sector, String subsector, boolean strategic, String unit, double usdPerUnit,
               double kgPerUnit, double lotUsd) {

    /** Units that count things rather than weigh them get whole-number quantities. */
    boolean countable() {
        return unit.equals("U") || unit.equals("L");
    }

    /** Yearly growth of line volume: battery and AI supply chains grew fast in 2022-2024. */
    double yearlyGrowth() {
        switch (sector) {
            case "batteries":
                return 0.15;
            case "ai_compute":
                return 0.20;
            case "clean_energy":
                return 0.08;
            case "semiconductors":
                return 0.04;
            case "critical_minerals":
                return 0.03;
            default:
                return 0.01;
        }
    }
}
