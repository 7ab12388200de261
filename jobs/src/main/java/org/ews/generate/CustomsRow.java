package org.ews.generate;

import org.ews.tables.Columns;

import java.time.LocalDate;

import static org.ews.generate.LandingColumns.customsIndex;

/**
 * One declaration line as written (values, indexed like LandingColumns.CUSTOMS) together with the facts behind it
 * that go into the ground truth. Keeping both together is what lets an amendment change the written value and the
 * truth consistently.
 */
final class CustomsRow {
    static final int DECLARATION_ID = customsIndex(Columns.DECLARATION_ID);
    static final int LINE_NO = customsIndex(Columns.LINE_NO);
    static final int VERSION = customsIndex(Columns.VERSION);
    static final int FLOW = customsIndex(Columns.FLOW);
    static final int DECLARATION_DATE = customsIndex(Columns.DECLARATION_DATE);
    static final int HS_CODE = customsIndex(Columns.HS_CODE);
    static final int PARTNER_COUNTRY = customsIndex(Columns.PARTNER_COUNTRY);
    static final int TRADER_ID = customsIndex(Columns.TRADER_ID);
    static final int TRADER_NAME = customsIndex(Columns.TRADER_NAME);
    static final int VALUE = customsIndex(Columns.VALUE);
    static final int CURRENCY = customsIndex(Columns.CURRENCY);
    static final int QUANTITY = customsIndex(Columns.QUANTITY);
    static final int QUANTITY_UNIT = customsIndex(Columns.QUANTITY_UNIT);
    static final int NET_WEIGHT_KG = customsIndex(Columns.NET_WEIGHT_KG);
    static final int PORT_CODE = customsIndex(LandingColumns.PORT_CODE);

    final String[] values = new String[LandingColumns.CUSTOMS.size()];
    Reporter reporter;
    String declarationId;
    int lineNo;
    int version = 1;
    char flow;
    LocalDate declarationDate;
    boolean late;
    String hs6;
    String partner;
    String firmId;
    double valueUsd;
    /** USD per unit of the line currency for the declaration month. */
    double usdPerUnit;
    String currency;
    /** Quantity in the written unit; NaN when the quantity column is empty. */
    double quantity = Double.NaN;
    /** Kilograms per written quantity unit; NaN for units without mass (U, L). */
    double kgPerQuantityUnit = Double.NaN;
    int quantityScale;
    BadRowKind bad;
    String badColumn = "";

    CustomsRow copy() {
        CustomsRow c = new CustomsRow();
        System.arraycopy(values, 0, c.values, 0, values.length);
        c.reporter = reporter;
        c.declarationId = declarationId;
        c.lineNo = lineNo;
        c.version = version;
        c.flow = flow;
        c.declarationDate = declarationDate;
        c.late = late;
        c.hs6 = hs6;
        c.partner = partner;
        c.firmId = firmId;
        c.valueUsd = valueUsd;
        c.usdPerUnit = usdPerUnit;
        c.currency = currency;
        c.quantity = quantity;
        c.kgPerQuantityUnit = kgPerQuantityUnit;
        c.quantityScale = quantityScale;
        c.bad = bad;
        c.badColumn = badColumn;
        return c;
    }

    void setValueUsd(double usd) {
        valueUsd = Text.round(usd, 2);
        values[VALUE] = Text.fixed(valueUsd / usdPerUnit, FxRates.decimals(currency));
    }

    /** Null when there is no quantity or its unit has no mass, as the truth contract says. */
    Double quantityKg() {
        if (Double.isNaN(quantity) || Double.isNaN(kgPerQuantityUnit)) {
            return null;
        }
        return quantity * kgPerQuantityUnit;
    }

    String get(String column) {
        String v = values[customsIndex(column)];
        return v == null ? "" : v;
    }
}
