package org.ews.anomalies;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The judge's input must not depend on how Spark split the rows: a cluster and a local run of the same data (make
 * cluster-test) must judge the same bits. Each case feeds the same rows in two orders.
 */
class AnomalyInputsTest {
    private static final String CUBE_COLUMNS =
            "reporter, flow, hs6, partner, month, value_usd, quantity_kg, value_usd_with_kg, declarations";

    private static Dataset<Row> cube(SparkSession spark, String rows) {
        return spark.sql("SELECT reporter, flow, hs6, partner, CAST(month AS DATE) month, CAST(value_usd AS DECIMAL(20,6)) value_usd,"
                + " CAST(quantity_kg AS DECIMAL(20,6)) quantity_kg, CAST(value_usd_with_kg AS DECIMAL(20,6)) value_usd_with_kg,"
                + " CAST(declarations AS BIGINT) declarations FROM VALUES " + rows + " AS t(" + CUBE_COLUMNS + ")").coalesce(1);
    }

    private static Dataset<Row> groups(SparkSession spark, String cubeRows) {
        Dataset<Row> firms = spark.sql("SELECT 'KR' reporter, 'I' flow, '000000' hs6, 'CN' partner, 'F1' firm_id,"
                + " DATE'2024-01-01' month, CAST(1 AS DECIMAL(20,6)) value_usd").where("false");
        Dataset<Row> bridge = spark.sql("SELECT * FROM VALUES ('280530', 'rare_earths', 1.0D), ('280540', 'rare_earths', 1.0D),"
                + " ('280550', 'rare_earths', 1.0D) AS b(hs6, sector, weight)");
        return AnomalyInputs.groups(cube(spark, cubeRows), firms, List.of("KR"), bridge).orderBy("level", "series_key");
    }

    @Test
    void aSectorMonthAddsItsProductsExactlyWhateverTheirOrder() {
        SparkSession spark = SharedSpark.session();
        // 0.1 + 0.2 + 0.3 in doubles is 0.6000000000000001 added in this order and 0.6 in the reverse one; exactly it is 0.6.
        String forward = "('KR','I','280530','CN','2024-01-01',0.1,0,0,1), ('KR','I','280540','CN','2024-01-01',0.2,0,0,1),"
                + " ('KR','I','280550','CN','2024-01-01',0.3,0,0,1)";
        String backward = "('KR','I','280550','CN','2024-01-01',0.3,0,0,1), ('KR','I','280540','CN','2024-01-01',0.2,0,0,1),"
                + " ('KR','I','280530','CN','2024-01-01',0.1,0,0,1)";
        for (String rows : List.of(forward, backward)) {
            Row sector = groups(spark, rows).where("level = 'sector'").head();
            List<Row> cells = sector.getList(sector.fieldIndex(AnomalyInputs.CELLS));
            assertEquals(1, cells.size());
            assertEquals(0.6, cells.get(0).<Double>getAs("value"), 0.0, "exact sum of 0.1, 0.2 and 0.3");
        }
    }

    @Test
    void aProductsCellsComeInOneOrderWhateverOrderTheRowsArriveIn() {
        SparkSession spark = SharedSpark.session();
        String a = "('KR','I','280530','CN','2024-02-01',5,0,0,1), ('KR','I','280530','VN','2024-01-01',7,0,0,2),"
                + " ('KR','I','280530','CN','2024-01-01',3,0,0,1)";
        String b = "('KR','I','280530','CN','2024-01-01',3,0,0,1), ('KR','I','280530','VN','2024-01-01',7,0,0,2),"
                + " ('KR','I','280530','CN','2024-02-01',5,0,0,1)";
        for (String rows : List.of(a, b)) {
            Row product = groups(spark, rows).where("level = 'hs6'").head();
            List<String> order = product.<Row>getList(product.fieldIndex(AnomalyInputs.CELLS)).stream()
                    .map(c -> c.getAs("partner") + " " + c.getAs("month")).toList();
            assertEquals(List.of("CN 2024-01-01", "CN 2024-02-01", "VN 2024-01-01"), order, rows);
        }
    }
}
