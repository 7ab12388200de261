package org.ews.generate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The goods the landing zone trades: the project's strategic HS6 list plus the ordinary goods of the bundled
 * products.csv, so the later stages see strategic lines inside a realistic background.
 */
final class ProductCatalog {
    private final List<Product> products = new ArrayList<>();
    private final Map<String, Product> byHs6 = new HashMap<>();

    ProductCatalog(Path strategicCsv) {
        Map<String, String[]> economics = new HashMap<>();
        List<String[]> eco = Text.readResource("products.csv");
        String[] eh = eco.get(0);
        int eHs6 = Text.column(eh, "hs6");
        List<String[]> ordinary = new ArrayList<>();
        for (String[] r : eco.subList(1, eco.size())) {
            economics.put(r[eHs6], r);
            if ("ordinary".equals(r[Text.column(eh, "sector")])) {
                ordinary.add(r);
            }
        }
        List<String[]> rows = Text.readCsv(strategicCsv);
        String[] h = rows.get(0);
        int hs6 = Text.column(h, "hs6");
        int sector = Text.column(h, "sector");
        int sub = Text.column(h, "subsector");
        for (String[] r : rows.subList(1, rows.size())) {
            String code = r[hs6].trim();
            if (!code.matches("\\d{6}") || byHs6.containsKey(code)) {
                continue;
            }
            add(code, r[sector].trim(), r.length > sub ? r[sub].trim() : "", true, economics.get(code), eh);
        }
        if (products.isEmpty()) {
            throw new IllegalArgumentException(strategicCsv + " holds no HS6 codes");
        }
        for (String[] r : ordinary) {
            add(r[eHs6], "ordinary", "ordinary", false, r, eh);
        }
    }

    private void add(String hs6, String sector, String subsector, boolean strategic, String[] eco, String[] eh) {
        Product p;
        if (eco == null) {
            p = new Product(hs6, sector, subsector, strategic, "KG", 20, 0, 100000);
        } else {
            String kg = eco[Text.column(eh, "kg_per_unit")];
            p = new Product(hs6, sector, subsector, strategic, eco[Text.column(eh, "unit")],
                    Double.parseDouble(eco[Text.column(eh, "usd_per_unit")]),
                    kg.isEmpty() ? 0 : Double.parseDouble(kg), Double.parseDouble(eco[Text.column(eh, "lot_usd")]));
        }
        products.add(p);
        byHs6.put(hs6, p);
    }

    /** In file order: the iteration order the generator depends on. */
    List<Product> all() {
        return Collections.unmodifiableList(products);
    }

    Product get(String hs6) {
        Product p = byHs6.get(hs6);
        if (p == null) {
            throw new IllegalArgumentException("unknown product " + hs6);
        }
        return p;
    }

    boolean has(String hs6) {
        return byHs6.containsKey(hs6);
    }
}
