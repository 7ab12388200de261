package org.ews.publish;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ews.config.PublishConfig;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The threshold and dominance rules on hand-worked cells, on the driver and in Spark alike. */
@ExtendWith(SharedSpark.class)
class DisclosureRuleTest {
    private final DisclosureRule rule = new DisclosureRule(new PublishConfig.Disclosure(3, 0.85));

    /** Cell name -> its firms' values, and the reason a person works out from the rule (null: publishable). */
    private static final Map<String, List<Object[]>> CELLS = new TreeMap<>(Map.of(
            "two firms", List.of(new Object[]{"A", 50.0}, new Object[]{"B", 30.0}),
            "one firm at 90%", List.of(new Object[]{"A", 90.0}, new Object[]{"B", 5.0}, new Object[]{"C", 5.0}),
            "largest at exactly 85%", List.of(new Object[]{"A", 85.0}, new Object[]{"B", 10.0}, new Object[]{"C", 5.0}),
            "three balanced", List.of(new Object[]{"A", 50.0}, new Object[]{"B", 30.0}, new Object[]{"C", 20.0}),
            // A firm in two lines of the cell counts once: A is 40 + 50 = 90 of 100.
            "a firm twice", List.of(new Object[]{"A", 40.0}, new Object[]{"A", 50.0}, new Object[]{"B", 5.0}, new Object[]{"C", 5.0})));
    private static final Map<String, String> EXPECTED = new TreeMap<>();

    static {
        EXPECTED.put("two firms", "fewer than 3 traders");
        EXPECTED.put("one firm at 90%", "one trader above 85% of the value");
        EXPECTED.put("largest at exactly 85%", null); // the rule is "above", as in the EU's and UN's practice
        EXPECTED.put("three balanced", null);
        EXPECTED.put("a firm twice", "one trader above 85% of the value");
    }

    @Test
    void onTheDriver() {
        CELLS.forEach((name, firms) -> {
            List<Map.Entry<String, Double>> values = firms.stream().map(f -> (Map.Entry<String, Double>) new SimpleEntry<>((String) f[0], (Double) f[1])).toList();
            assertEquals(Optional.ofNullable(EXPECTED.get(name)), rule.reason(values), name);
        });
    }

    @Test
    void inSpark() {
        List<Row> rows = new ArrayList<>();
        CELLS.forEach((name, firms) -> firms.forEach(f -> rows.add(RowFactory.create(name, f[0], f[1]))));
        StructType schema = new StructType().add("cell", DataTypes.StringType).add("firm", DataTypes.StringType).add("v", DataTypes.DoubleType);
        Map<String, String> got = new TreeMap<>();
        rule.cells(SharedSpark.session().createDataFrame(rows, schema), "firm", "v", "cell").collectAsList()
                .forEach(r -> got.put(r.getString(r.fieldIndex("cell")), r.getString(r.fieldIndex(DisclosureRule.REASON))));
        assertEquals(EXPECTED, got);
    }
}
