package org.ews.generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Who supplies what to whom: turns the bundled trade_mix.csv (line rates per product) and supplier_profiles.csv
 * (partner shares) into the reporter's list of trade series. Kept as data so that concentration assumptions can be
 * read and changed without touching code.
 */
final class SupplierProfiles {
    private final Map<String, Map<String, Double>> profiles = new HashMap<>();
    private final Map<String, Double> mix = new HashMap<>();

    SupplierProfiles() {
        List<String[]> rows = Text.readResource("supplier_profiles.csv");
        for (String[] r : rows.subList(1, rows.size())) {
            Map<String, Double> shares = new LinkedHashMap<>();
            for (String part : r[3].split(";")) {
                String[] kv = part.split(":");
                shares.put(kv[0].trim(), Double.parseDouble(kv[1]));
            }
            profiles.put(r[0] + "|" + r[1] + "|" + r[2], shares);
        }
        List<String[]> m = Text.readResource("trade_mix.csv");
        for (String[] r : m.subList(1, m.size())) {
            mix.put(r[0] + "|" + r[1] + "|" + r[2], Double.parseDouble(r[3]));
            if (r[1].equals("X")) {
            }
        }
    }

    Map<String, Double> partners(Reporter reporter, char flow, Product p) {
        String[] keys = {p.hs6(), "sub:" + p.subsector(), "sector:" + p.sector(), "default"};
        for (String key : keys) {
            for (String who : new String[]{reporter.name(), "*"}) {
                Map<String, Double> found = profiles.get(who + "|" + flow + "|" + key);
                if (found != null) {
                    Map<String, Double> out = new LinkedHashMap<>(found);
                    out.remove(reporter.iso2());
                    return out;
                }
            }
        }
        throw new IllegalStateException("no default supplier profile for flow " + flow);
    }

    double productWeight(Reporter reporter, char flow, Product p) {
        Double w = mix.get(reporter.name() + "|" + flow + "|" + p.hs6());
        if (w == null) {
            w = mix.get("*|" + flow + "|" + p.hs6());
        }
        if (w != null) {
            return w;
        }
        if (flow == 'X') {
            return 0;
        }
        // Ordinary goods are a background: enough to be realistic, not enough to drown the strategic lines.
        return p.strategic() ? 1.0 : 0.8;
    }

    /** The reporter's series in a fixed order (products in catalog order, imports before exports). */
    List<TradeSeries> seriesFor(Reporter reporter, ProductCatalog catalog, SplittableRandom rng) {
        List<TradeSeries> out = new ArrayList<>();
        for (char flow : new char[]{'I', 'X'}) {
            for (Product p : catalog.all()) {
                double w = productWeight(reporter, flow, p);
                if (w <= 0) {
                    continue;
                }
                Map<String, Double> shares = partners(reporter, flow, p);
                double total = shares.values().stream().mapToDouble(Double::doubleValue).sum();
                for (Map.Entry<String, Double> e : shares.entrySet()) {
                    double share = e.getValue() / total;
                    double priceFactor = 0.85 + 0.3 * rng.nextDouble();
                    double lotScale = share < 0.05 ? 0.25 : 1.0;
                    out.add(new TradeSeries(reporter, flow, p, e.getKey(), w * share, priceFactor, lotScale));
                }
            }
        }
        return out;
    }
}
