package org.ews.generate;

/**
 * A reporter x flow x product x partner stream of declaration lines. baseWeight is its share of the reporter's
 * line rate before season, trend and events; priceFactor keeps the unit value of a product-partner pair stable
 * over time (partners differ in grade and contract price); lotScale makes minor suppliers ship smaller lots.
 */
record TradeSeries(Reporter reporter, char flow, Product product, String partner, double baseWeight,
                   double priceFactor, double lotScale) {

    String key() {
        return key(reporter, flow, product.hs6(), partner);
    }

    static String key(Reporter reporter, char flow, String hs6, String partner) {
        return reporter.name() + "|" + flow + "|" + hs6 + "|" + partner;
    }
}
