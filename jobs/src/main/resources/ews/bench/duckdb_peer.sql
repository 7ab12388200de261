-- The benchmark's peer (issue 8): DuckDB computes gold.trade_monthly and gold.product_dependency from the landing
-- files, with the rules our ingest, conform and metrics stages apply, in plain SQL. org.ews.bench.DuckDbPeer runs it
-- in an in-memory database; it is not part of the pipeline.
--
-- Layout: "-- template: NAME" blocks are SELECTs that DuckDbPeer instantiates once per group of landing files (one
-- CSV header layout, the JSONL files, the Parquet files) and unions into the step trade_monthly. "-- step: NAME" blocks
-- are run in order, each statement ending in ";" at the end of a line; "if PARAM" runs a step only when PARAM is not
-- empty. Placeholders (a dollar sign and a name in braces) are literals DuckDbPeer fills in (file lists, settings from EwsConfig, the screens compiled to SQL).
--
-- Every landing column is read as VARCHAR, stated explicitly (no type inference), and typed here with the same
-- checks as org.ews.ingest.CustomsRules: a typed read would reject other rows than ours (DuckDB's DECIMAL cast takes
-- "1e5", its DATE cast "2024-1-5") and could not say which.

-- template: read_csv
SELECT reporter, "date" AS landing_date, filename AS source_file, ${select}
FROM read_csv(${files}, header = true, auto_detect = false, columns = ${columns},
              delim = ',', quote = '"', escape = '"',
              -- a row with fewer or more fields than the header, or bytes that are not UTF-8, is skipped: ingest
              -- quarantines it (short_row, long_row, invalid_encoding)
              ignore_errors = true,
              hive_partitioning = true, hive_types = {'reporter': 'VARCHAR', 'date': 'DATE'}, filename = true)

-- template: read_json
SELECT reporter, "date" AS landing_date, filename AS source_file, ${select}
FROM read_json(${files}, format = 'newline_delimited', columns = ${columns},
               -- a line that is not a JSON object becomes a row of nulls, rejected below as missing_required
               ignore_errors = true,
               hive_partitioning = true, hive_types = {'reporter': 'VARCHAR', 'date': 'DATE'}, filename = true)

-- template: read_parquet
SELECT reporter, "date" AS landing_date, filename AS source_file, ${select}
FROM read_parquet(${files}, union_by_name = true,
                  hive_partitioning = true, hive_types = {'reporter': 'VARCHAR', 'date': 'DATE'}, filename = true)

-- step: reference
SET threads = ${threads};
-- Nothing here depends on row order, and without it DuckDB needs less memory for large CREATE TABLE AS.
SET preserve_insertion_order = false;

-- Trimmed text, empty as null (RowRules.text): the same set of white-space and control characters, RowRules.BLANK,
-- passed in as chr() codes so that no NUL or line break sits in this file. As in RowRules.text, a value whose first
-- and last characters are printable ASCII is taken as it is: DuckDB's trim with a character set is 15 times slower
-- than its plain trim (2.2 s against 0.14 s for 3M values), and made the 1M peer run 55 s instead of 8.
CREATE MACRO txt(x) AS
    CASE WHEN x >= '!' AND x < chr(127) AND right(x, 1) >= '!' AND right(x, 1) < chr(127) THEN x
         ELSE nullif(trim(x, ${blank}), '') END;
-- RowRules.PLAIN_NUMBER, then DECIMAL(24,6) rounded half-up; null when it does not parse or has over 18 digits
-- before the point (ingest: unparsable_number, out_of_range).
CREATE MACRO plain_decimal(x) AS
    CASE WHEN regexp_full_match(x, '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)') THEN TRY_CAST(x AS DECIMAL(24, 6)) END;
-- RowRules.intOf: at most 9 digits.
CREATE MACRO whole_number(x) AS CASE WHEN regexp_full_match(x, '[+]?[0-9]{1,9}') THEN CAST(x AS INTEGER) END;
-- DECIMAL(24,6) x DECIMAL(24,12) as Spark computes it (TradeLineRules.withUsdValue, withQuantities): Spark types the
-- product DECIMAL(38,7), rounding half-up, then the cast to DECIMAL(24,6) rounds half-up again. The exact product
-- rounded once would differ by 0.000001 whenever its 7th decimal is 4 and the 8th 5 or more (about one line in 20).
-- Null when it does not fit (conform: value_out_of_range, quantity_out_of_range). round() rounds half away from zero,
-- which is half-up for these non-negative amounts, and is faster here than casts between scales.
CREATE MACRO spark_money_product(a, b) AS TRY_CAST(round(round(a * b, 7), 6) AS DECIMAL(24, 6));
-- org.ews.conform.reference.CountryKey.normalize: accents off, the letters NFKD leaves alone folded, upper case,
-- "&" as AND, anything but letters and digits a space, the word THE dropped, a numeric code without leading zeros.
-- DuckDB has no NFKD: full-width forms (U+FF01-FF5E, U+3000) are mapped by hand; other compatibility characters
-- (ligatures, superscripts) are not, so such a spelling is unknown to the peer (our conform resolves it).
CREATE MACRO country_key_words(x) AS array_to_string(list_filter(string_split(regexp_replace(replace(upper(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    strip_accents(translate(x,
        '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　',
        '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ')),
    'Ø', 'O'), 'ø', 'o'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ß', 'ss'), 'Ł', 'L'), 'ł', 'l'),
    'Đ', 'D'), 'đ', 'd'), 'Þ', 'TH'), 'þ', 'th'), 'ı', 'i')),
    '&', ' AND '), '[^\p{L}\p{Nd}]', ' ', 'g'), ' '), lambda w: w <> '' AND w <> 'THE'), ' ');
CREATE MACRO country_key(x) AS
    CASE WHEN regexp_full_match(country_key_words(x), '[0-9]+')
         THEN coalesce(nullif(ltrim(country_key_words(x), '0'), ''), '0')
         ELSE nullif(country_key_words(x), '') END;
-- Periods.closedThrough: the latest month whose last day is at least lag days before the run date.
CREATE MACRO closed_through(run_date, lag_days) AS
    CASE WHEN run_date - lag_days = last_day(run_date - lag_days)
         THEN date_trunc('month', run_date - lag_days)::DATE
         ELSE (date_trunc('month', run_date - lag_days) - INTERVAL 1 MONTH)::DATE END;
-- The configured bloc (metrics.blocs, first listed first) holding a reporter; null for a reporter in none.
CREATE MACRO bloc_of(r) AS ${blocs}[list_position(list_transform(${blocs}, lambda b: list_contains(b, r)), true)];

-- Reference files as ReferenceData reads them: by header name, values trimmed. Our stage validates them and stops
-- the run on a bad row; the peer trusts them, and fails on a rate that is not a number.
CREATE TABLE partner_aliases AS
SELECT DISTINCT trim(alias) AS alias, trim(iso2) AS iso2
FROM read_csv(${aliases_file}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');

CREATE TABLE units AS
SELECT upper(trim(unit)) AS unit, trim(kind) AS kind,
       CASE WHEN trim(kind) = 'mass' THEN CAST(trim(kg_per_unit) AS DECIMAL(24, 12)) END AS kg_per_unit
FROM read_csv(${units_file}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');

CREATE TABLE fx_rates (currency VARCHAR, fx_month VARCHAR, usd_per_unit DECIMAL(24, 12), PRIMARY KEY (currency, fx_month));
INSERT INTO fx_rates
SELECT DISTINCT trim(currency), trim(month), CAST(trim(usd_per_unit) AS DECIMAL(24, 12))
FROM read_csv(${fx_reference_file}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');

-- step: fx_landing if fx_landing_files
-- <landing>/reference/fx_rates/*.csv wins month by month over the shipped rates, as in ReferenceData.
INSERT OR REPLACE INTO fx_rates
SELECT DISTINCT trim(currency), trim(month), CAST(trim(usd_per_unit) AS DECIMAL(24, 12))
FROM read_csv(${fx_landing_files}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');

-- step: trade_monthly
CREATE TABLE trade_monthly AS
WITH landed AS (
    ${customs_sources}
),
typed AS (
    SELECT reporter, landing_date, source_file,
           txt(declaration_id) AS declaration_id,
           txt(line_no) AS line_no_text,
           whole_number(txt(line_no)) AS line_no,
           CASE WHEN txt(version) IS NULL THEN 1 ELSE whole_number(txt(version)) END AS version,
           upper(txt(flow)) AS flow,
           txt(declaration_date) AS date_text,
           CASE WHEN regexp_full_match(txt(declaration_date), '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                THEN TRY_CAST(txt(declaration_date) AS DATE) END AS declaration_date,
           txt(hs_code) AS hs_code,
           txt(partner_country) AS partner_country,
           txt(trader_name) AS trader_name,
           txt(value) AS value_text,
           plain_decimal(txt(value)) AS value,
           upper(txt(currency)) AS currency,
           txt(quantity) AS quantity_text,
           plain_decimal(txt(quantity)) AS quantity,
           upper(txt(quantity_unit)) AS quantity_unit,
           txt(net_weight_kg) AS net_weight_text,
           plain_decimal(txt(net_weight_kg)) AS net_weight_kg
    FROM landed
),
-- What ingest keeps (bronze.customs_lines): every CustomsRules check passes. Read twice below (the distinct partner
-- spellings, then the lines), so DuckDB computes it once.
bronze AS MATERIALIZED (
    SELECT * FROM typed
    WHERE declaration_id IS NOT NULL AND line_no_text IS NOT NULL AND flow IS NOT NULL AND date_text IS NOT NULL
      AND hs_code IS NOT NULL AND partner_country IS NOT NULL AND trader_name IS NOT NULL AND value_text IS NOT NULL
      AND currency IS NOT NULL                                                    -- missing_required
      AND line_no >= 1 AND version >= 1                                           -- unparsable_number
      AND flow IN ('I', 'X')                                                      -- bad_flow
      AND declaration_date <= landing_date                                        -- unparsable_date, impossible_date
      AND declaration_date >= landing_date - ${max_filing_lag_days}               -- stale_date
      AND regexp_full_match(regexp_replace(hs_code, '[.\t\n\x{0B}\f\r ]', '', 'g'), '[0-9]{6,10}')  -- malformed_hs
      AND value >= 0                                                              -- unparsable, out of range, negative
      AND regexp_full_match(currency, '[A-Z]{3}')                                 -- malformed_currency
      AND (quantity_text IS NULL OR quantity >= 0)
      AND (net_weight_text IS NULL OR net_weight_kg >= 0)
),
-- Partner spellings are few: each is normalised once, as TradeLineRules.withPartner does. MATERIALIZED keeps the
-- optimizer from moving the alias join (and the key function with it) onto every line.
spellings AS MATERIALIZED (
    SELECT s.partner_country, a.iso2 AS partner
    FROM (SELECT DISTINCT partner_country FROM bronze) s
    LEFT JOIN partner_aliases a ON a.alias = country_key(s.partner_country)
),
conformed AS (
    SELECT b.reporter, b.landing_date, b.source_file, b.declaration_id, b.line_no, b.version, b.flow,
           date_trunc('month', b.declaration_date)::DATE AS month,
           substr(regexp_replace(b.hs_code, '[^0-9]', '', 'g'), 1, 6) AS hs6,   -- HS6: the first six digits
           p.partner,
           CASE WHEN b.currency = 'USD' THEN 1::DECIMAL(24, 12) ELSE fx.usd_per_unit END AS rate,
           spark_money_product(b.value, CASE WHEN b.currency = 'USD' THEN 1::DECIMAL(24, 12) ELSE fx.usd_per_unit END)
               AS value_usd,
           b.quantity,
           u.kind = 'mass' AS in_mass_unit,
           CASE WHEN u.kind = 'mass' AND b.quantity IS NOT NULL THEN spark_money_product(b.quantity, u.kg_per_unit) END
               AS quantity_kg
    FROM bronze b
    JOIN spellings p ON p.partner_country = b.partner_country
    LEFT JOIN fx_rates fx ON fx.currency = b.currency AND fx.fx_month = strftime(b.declaration_date, '%Y-%m')
    LEFT JOIN units u ON u.unit = b.quantity_unit
),
-- Conform's rules run before the version in force is chosen: a newer version that cannot be used leaves the older.
usable AS (
    SELECT * FROM conformed
    WHERE partner IS NOT NULL                                                     -- unknown_partner
      AND rate IS NOT NULL                                                        -- missing_fx_rate
      AND value_usd IS NOT NULL                                                   -- value_out_of_range
      AND NOT coalesce(quantity IS NOT NULL AND in_mass_unit AND quantity_kg IS NULL, false)  -- quantity_out_of_range
),
-- The version in force: the highest; of equal versions the first to land (then the first file by name). Silver's
-- MERGE over nightly runs keeps the same line.
in_force AS (
    SELECT * FROM usable
    QUALIFY row_number() OVER (PARTITION BY reporter, declaration_id, line_no
                               ORDER BY version DESC, landing_date, source_file) = 1
)
-- TradeCubes.monthly, without traders and top_trader_share (they need entity resolution: see PeerComparison).
SELECT reporter, flow, hs6, partner, month,
       year(month)::INTEGER AS year,
       sum(value_usd)::DECIMAL(24, 6) AS value_usd,
       sum(quantity_kg)::DECIMAL(24, 6) AS quantity_kg,
       (sum(value_usd) FILTER (WHERE quantity_kg IS NOT NULL))::DECIMAL(24, 6) AS value_usd_with_kg,
       count(DISTINCT declaration_id) AS declarations,
       count(*) AS lines,
       month <= closed_through(${run_date}, ${month_close_lag_days}) AS is_closed_month
FROM in_force
GROUP BY reporter, flow, hs6, partner, month;

-- step: product_dependency
-- ProductDependency.measure with Concentration.measure and Screens.apply, per calendar year, from the cube.
CREATE TABLE product_dependency AS
WITH firsts AS (
    SELECT reporter, min(month) AS first_month FROM trade_monthly GROUP BY reporter
),
imports AS (
    SELECT reporter, hs6, year, partner, sum(value_usd) AS value_usd, sum(quantity_kg) AS quantity_kg
    FROM trade_monthly WHERE flow = 'I'
    GROUP BY reporter, hs6, year, partner
),
kilograms AS (
    SELECT reporter, hs6, year, sum(quantity_kg) AS import_quantity_kg FROM imports GROUP BY reporter, hs6, year
),
exports AS (
    SELECT reporter, hs6, year, sum(value_usd) AS export_value_usd
    FROM trade_monthly WHERE flow = 'X'
    GROUP BY reporter, hs6, year
),
-- s_c = imports from c / imports of the product; rank 1 the top partner, ties to the first code alphabetically.
shares AS (
    SELECT reporter, hs6, year, partner, value_usd,
           value_usd::DOUBLE / (sum(value_usd) OVER slice)::DOUBLE AS share,
           row_number() OVER (slice ORDER BY value_usd DESC, partner) AS rank
    FROM imports
    WHERE value_usd > 0
    WINDOW slice AS (PARTITION BY reporter, hs6, year)
),
-- Sums of shares are taken as 18-decimal decimals, as Concentration's exactSum does.
measured AS (
    SELECT reporter, hs6, year,
           sum(value_usd) AS import_value_usd,
           count(*) AS partners,
           max(partner) FILTER (WHERE rank = 1) AS top_partner,
           max(value_usd) FILTER (WHERE rank = 1) AS top_partner_value_usd,
           max(share) FILTER (WHERE rank = 1) AS top_partner_share,
           max(partner) FILTER (WHERE rank = 2) AS second_partner,
           max(share) FILTER (WHERE rank = 2) AS second_partner_share,
           sum((share * share)::DECIMAL(38, 18))::DOUBLE AS hhi,
           coalesce((sum(share::DECIMAL(38, 18)) FILTER (WHERE list_contains(${concern}, partner)))::DOUBLE, 0.0)
               AS concern_share,
           CASE WHEN bloc_of(reporter) IS NOT NULL
                THEN 1.0 - coalesce((sum(share::DECIMAL(38, 18))
                                     FILTER (WHERE list_contains(bloc_of(reporter), partner)))::DOUBLE, 0.0) END
               AS extra_bloc_share
    FROM shares
    GROUP BY reporter, hs6, year
),
joined AS (
    SELECT m.*, k.import_quantity_kg, coalesce(e.export_value_usd, 0) AS exported, f.first_month,
           f.first_month <= make_date(m.year, 1, 1) AS counts_as_history
    FROM measured m
    JOIN kilograms k ON k.reporter = m.reporter AND k.hs6 = m.hs6 AND k.year = m.year
    LEFT JOIN exports e ON e.reporter = m.reporter AND e.hs6 = m.hs6 AND e.year = m.year
    JOIN firsts f ON f.reporter = m.reporter
),
measures AS (
    SELECT reporter, hs6, year,
           import_value_usd::DECIMAL(24, 6) AS import_value_usd,
           exported::DECIMAL(24, 6) AS export_value_usd,
           import_quantity_kg::DECIMAL(24, 6) AS import_quantity_kg,
           partners, top_partner,
           top_partner_value_usd::DECIMAL(24, 6) AS top_partner_value_usd,
           top_partner_share, second_partner, second_partner_share, hhi, concern_share, extra_bloc_share,
           CASE WHEN exported > 0 THEN import_value_usd::DOUBLE / exported::DOUBLE ELSE ${no_exports_ratio} END
               AS import_export_ratio,
           (exported - import_value_usd)::DECIMAL(24, 6) AS trade_balance_usd,
           first_month, counts_as_history
    FROM joined
),
-- metrics.screens compiled to SQL by DuckDbPeer: each condition, then the conditions held over N years, then
-- persistence (the same windows over earlier years as Screens.apply; a partial year does not count for later ones).
conditions AS (
    SELECT *${screen_conditions} FROM measures
),
passes AS (
    SELECT *${screen_passes} FROM conditions
),
screened AS (
    SELECT *${screen_results} FROM passes
)
SELECT reporter, hs6, year, import_value_usd, export_value_usd, import_quantity_kg, partners, top_partner,
       top_partner_value_usd, top_partner_share, second_partner, second_partner_share, hhi, concern_share,
       extra_bloc_share, import_export_ratio, trade_balance_usd,
       ${screen_list} AS screens,
       make_date(year, 12, 1) > closed_through(${run_date}, ${month_close_lag_days})
           OR first_month > make_date(year, 1, 1) AS is_partial_year
FROM screened;
