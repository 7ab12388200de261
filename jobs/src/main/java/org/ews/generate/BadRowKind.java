package org.ews.generate;

import org.ews.tables.Columns;

import java.util.SplittableRandom;

/**
 * The ways a customs row is broken in real landing files. Quarantine in ingest is judged against rows corrupted
 * in exactly these ways (truth/bad_rows.csv).
 */
enum BadRowKind {
    missing_required, unparsable_number, unparsable_date, impossible_date, negative_value, bad_flow, malformed_hs,
    short_row, long_row;

    /** Breaks the record's shape, so only possible in CSV (a JSON object cannot have too few fields). */
    boolean structural() {
        return this == short_row || this == long_row;
    }

    /** Corrupts the row in place; structural kinds are realised by the CSV writer. */
    void apply(CustomsRow row, int rotation, SplittableRandom rng) {
        String[] v = row.values;
        row.bad = this;
        switch (this) {
            case missing_required: {
                String column = LandingColumns.BLANKED_REQUIRED.get(
                        Math.floorMod(rotation, LandingColumns.BLANKED_REQUIRED.size()));
                v[LandingColumns.customsIndex(column)] = "";
                row.badColumn = column;
                break;
            }
            case unparsable_number:
                v[CustomsRow.VALUE] = Pick.of(new String[]{"12,3x4", "1.2.3", "12O45", "n/a"}, rng);
                row.badColumn = Columns.VALUE;
                break;
            case unparsable_date:
                v[CustomsRow.DECLARATION_DATE] = Pick.of(new String[]{"2023/13/45", "yesterday", "31.12.20x3"}, rng);
                row.badColumn = Columns.DECLARATION_DATE;
                break;
            case impossible_date: {
                int year = row.declarationDate.getYear();
                v[CustomsRow.DECLARATION_DATE] = year + Pick.of(new String[]{"-02-30", "-04-31", "-13-05", "-11-31"},
                        rng);
                row.badColumn = Columns.DECLARATION_DATE;
                break;
            }
            case negative_value:
                v[CustomsRow.VALUE] = "-" + v[CustomsRow.VALUE];
                row.badColumn = Columns.VALUE;
                break;
            case bad_flow:
                v[CustomsRow.FLOW] = Pick.of(new String[]{"Z", "IX", "0"}, rng);
                row.badColumn = Columns.FLOW;
                break;
            case malformed_hs:
                v[CustomsRow.HS_CODE] = rng.nextBoolean()
                        ? row.hs6.substring(0, 2) + "A" + row.hs6.substring(3) : row.hs6.substring(0, 2);
                row.badColumn = Columns.HS_CODE;
                break;
            default:
                row.badColumn = "";
                break;
        }
    }
}
