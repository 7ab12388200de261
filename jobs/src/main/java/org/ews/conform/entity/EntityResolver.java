package org.ews.conform.entity;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.ews.config.EwsConfig;
import org.ews.tables.Silver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Resolves customs traders to registry firms: by registration number where the number is unambiguous, otherwise by
 * name within the reporter's country, and otherwise to a synthetic firm so the trader's lines still group.
 *
 * <p>Built for a registry of millions of firms and hundreds of millions of declaration lines: names are resolved once
 * per distinct (reporter, normalised name), candidate pairs come from equi-joins on block keys (never a cartesian
 * product), blocks too common to tell names apart are purged, and nothing is broadcast or collected on purpose.
 *
 * <p>The two datasets of a {@link Resolution} are lazy plans over the inputs: writing both runs the matching twice
 * unless the caller persists them (or their inputs) first.
 */
public final class EntityResolver {
    /** {@link org.ews.tables.Columns#NAME_KIND} of the registered name; it wins over an alias that normalises alike. */
    public static final String NAME_KIND_NAME = "name";
    public static final String NAME_KIND_ALIAS = "alias";

    /**
     * Scores are sums of doubles: 1.0 - 0.98 is 0.020000000000000018, which must still count as "within a margin of
     * 0.02". Far below any difference a name score can meaningfully express.
     */
    private static final double SCORE_TOLERANCE = 1e-9;
    private static final String SYNTHETIC_PREFIX = "U-";
    private static final int SYNTHETIC_HASH_CHARS = 12;
    private static final String UNKNOWN_NAME_KEY = "?";
    private static final String FULL_WIDTH_DIGITS = "\uFF10\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18\uFF19";
    private static final String TOKEN_KEY_TAG = "t:";
    private static final String PREFIX_KEY_TAG = "p:";

    // Working columns; the leading underscore keeps them apart from the table columns they travel with.
    private static final String ID_FIRM = "_id_firm_id";
    private static final String NAME_FIRM = "_name_firm_id";
    private static final String BEST_SCORE = "_best_score";
    private static final String OUTCOME_REPORTER = "_outcome_reporter";
    private static final String OUTCOME_NAME_NORM = "_outcome_name_norm";
    private static final String REG_COUNTRY = "_reg_country";
    private static final String REG_NUMBER = "_reg_number";
    private static final String REG_NAME_NORM = "_reg_name_norm";
    private static final String REG_KEY = "_reg_key";
    private static final String FIRMS_WITH_NUMBER = "_firms_with_number";
    private static final String BLOCK_KEY = "_block_key";
    private static final String BLOCK_SIZE = "_block_size";
    private static final String PAIR_NAME_NORM = "_pair_name_norm";
    private static final String BEST = "_best";
    private static final String NEG_SCORE = "_neg_score";
    private static final String KIND_ORDER = "_kind_order";
    private static final String FIRMLESS = "_firmless";
    private static final String FIRM_SCORE = "_firm_score";
    private static final String TOP_SCORE = "_top_score";
    private static final String RUNNER_UP_SCORE = "_runner_up_score";

    private final EwsConfig.Entity settings;
    private final NameNormalizer normalizer;
    private final NameSimilarity similarity;

    public EntityResolver(EwsConfig.Entity settings) {
        this.settings = settings;
        this.normalizer = NameNormalizer.of(settings);
        this.similarity = new NameSimilarity(settings.nameWeight(), settings.tokenMatchMin());
    }

    /**
     * Result of {@link #resolve}: {@code traders} one row per distinct (reporter, trader_id, trader_name) with its
     * firm; {@code candidates} the name-matching candidates kept for review (silver.entity_matches). Both read the
     * scored and decided candidates, which are cached so that the matching runs once; {@link #release} frees them.
     */
    public record Resolution(Dataset<Row> traders, Dataset<Row> candidates, Dataset<Row> decided) {
        public void release() {
            decided.unpersist();
        }
    }

    /**
     * Registration numbers are written with dashes, spaces or dots ("356-84-85498"), in Korean and Japanese forms also
     * with full-width digits; only the digits identify the firm. Null when there is no digit, so an id of "N/A" never
     * matches anything.
     */
    public static Column registrationNumberNorm(Column c) {
        Column digits = regexp_replace(translate(c, FULL_WIDTH_DIGITS, "0123456789"), "[^0-9]", "");
        return when(length(digits).gt(0), digits);
    }

    /**
     * Stable id of an unresolved trader: the same name from the same reporter groups under one id in every run,
     * without a lookup table. Must agree with {@link #syntheticIdColumn}.
     */
    public static String syntheticId(String reporter, String nameNorm) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((reporter + "|" + nameNorm).getBytes(StandardCharsets.UTF_8));
            return SYNTHETIC_PREFIX + reporter + "-" + HexFormat.of().formatHex(hash).substring(0, SYNTHETIC_HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /**
     * Every name of every firm, normalised: the index trader names are matched against. Runs once per registry name,
     * so normalisation may be a UDF.
     */
    public Dataset<Row> firmNames(Dataset<Row> firms) {
        Dataset<Row> registered = firms.select(col(FIRM_ID), col(COUNTRY), col(NAME),
                lit(NAME_KIND_NAME).as(NAME_KIND), lit(0).as(KIND_ORDER));
        Dataset<Row> aliases = firms.select(col(FIRM_ID), col(COUNTRY), explode(col(ALIASES)).as(NAME),
                lit(NAME_KIND_ALIAS).as(NAME_KIND), lit(1).as(KIND_ORDER));
        Dataset<Row> named = registered.unionByName(aliases)
                .withColumn(NAME_NORM, normalizeUdf().apply(col(NAME)))
                .filter(col(NAME_NORM).isNotNull());
        // One row per (firm, normalised name): the registered name first, then the smallest spelling, for stable output.
        return named.groupBy(col(FIRM_ID), col(NAME_NORM))
                .agg(min(struct(col(KIND_ORDER), col(NAME), col(NAME_KIND), col(COUNTRY))).as(BEST))
                .select(col(FIRM_ID), col(BEST).getField(COUNTRY).as(COUNTRY), col(BEST).getField(NAME).as(NAME),
                        col(BEST).getField(NAME_KIND).as(NAME_KIND), col(NAME_NORM));
    }

    /**
     * @param traders   {@code reporter, trader_id, trader_name}, one row per declaration line or already distinct
     * @param firms     {@code firm_id, country, registration_number_norm}
     * @param firmNames the output of {@link #firmNames}
     */
    public Resolution resolve(Dataset<Row> traders, Dataset<Row> firms, Dataset<Row> firmNames) {
        Dataset<Row> distinctTraders = traders.select(col(REPORTER), col(TRADER_ID), col(TRADER_NAME)).distinct()
                .withColumn(TRADER_ID_NORM, registrationNumberNorm(col(TRADER_ID)))
                .withColumn(TRADER_NAME_NORM, normalizeUdf().apply(col(TRADER_NAME)));
        Dataset<Row> byId = matchById(distinctTraders, firms);
        Dataset<Row> decided = decide(firmScores(scoredPairs(namesToMatch(byId), firmNames), firmNames))
                .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        return new Resolution(resolvedTraders(byId, nameOutcomes(decided)), candidates(decided), decided);
    }

    /** Adds the firm whose registration number is the trader's, when exactly one firm of the country holds it. */
    private Dataset<Row> matchById(Dataset<Row> traders, Dataset<Row> firms) {
        // A number held by two firms says nothing about which one declared: it is left to the name.
        Dataset<Row> unambiguousNumbers = firms.filter(col(REGISTRATION_NUMBER_NORM).isNotNull())
                .groupBy(col(COUNTRY).as(REG_COUNTRY), col(REGISTRATION_NUMBER_NORM).as(REG_NUMBER))
                .agg(countDistinct(col(FIRM_ID)).as(FIRMS_WITH_NUMBER), min(col(FIRM_ID)).as(ID_FIRM))
                .filter(col(FIRMS_WITH_NUMBER).equalTo(1))
                .drop(FIRMS_WITH_NUMBER);
        return traders.join(unambiguousNumbers,
                        col(REPORTER).equalTo(col(REG_COUNTRY)).and(col(TRADER_ID_NORM).equalTo(col(REG_NUMBER))),
                        "left")
                .drop(REG_COUNTRY, REG_NUMBER);
    }

    /**
     * Distinct (reporter, normalised name) of the traders the id did not resolve, with one raw spelling for review.
     * Work from here on scales with distinct names, not with declaration lines.
     */
    private static Dataset<Row> namesToMatch(Dataset<Row> byId) {
        return byId.filter(col(ID_FIRM).isNull().and(col(TRADER_NAME_NORM).isNotNull()))
                .groupBy(col(REPORTER), col(TRADER_NAME_NORM))
                .agg(min(col(TRADER_NAME)).as(TRADER_NAME));
    }

    /**
     * Trader names paired with the registry names of the reporter's country they share a block key with, scored.
     * Columns: reporter, trader_name_norm, trader_name, {@link #PAIR_NAME_NORM}, score.
     */
    private Dataset<Row> scoredPairs(Dataset<Row> names, Dataset<Row> firmNames) {
        Dataset<Row> traderKeys = names.withColumn(BLOCK_KEY, explode(blockKeys(col(TRADER_NAME_NORM))));
        return traderKeys.join(registryBlocks(firmNames),
                        col(REPORTER).equalTo(col(REG_COUNTRY)).and(col(BLOCK_KEY).equalTo(col(REG_KEY))))
                .select(col(REPORTER), col(TRADER_NAME_NORM), col(TRADER_NAME), col(REG_NAME_NORM).as(PAIR_NAME_NORM))
                // Two names sharing several keys are one pair, scored once.
                .distinct()
                .withColumn(SCORE, scoreUdf().apply(col(TRADER_NAME_NORM), col(PAIR_NAME_NORM)));
    }

    /**
     * Block keys of each distinct registry name per country, without the keys shared by more than max_block_size
     * names: a key like "electronics" would pair every trader with thousands of names and say little about any.
     * Block size counts distinct normalised names, the unit pairs are scored in.
     */
    private Dataset<Row> registryBlocks(Dataset<Row> firmNames) {
        WindowSpec block = Window.partitionBy(col(REG_COUNTRY), col(REG_KEY));
        return firmNames.select(col(COUNTRY).as(REG_COUNTRY), col(NAME_NORM).as(REG_NAME_NORM)).distinct()
                .withColumn(REG_KEY, explode(blockKeys(col(REG_NAME_NORM))))
                .withColumn(BLOCK_SIZE, count(lit(1)).over(block))
                .filter(col(BLOCK_SIZE).leq(settings.maxBlockSize()))
                .drop(BLOCK_SIZE);
    }

    /**
     * Each word long enough to mean something, plus the first prefix_length letters of the name without spaces (which
     * still meets a name whose words were run together or misspelt). Tagged so a word never meets a prefix by chance.
     */
    private Column blockKeys(Column nameNorm) {
        int minLength = settings.tokenMinLength();
        Column tokens = filter(split(nameNorm, " "), t -> length(t).geq(minLength));
        Column tokenKeys = transform(tokens, t -> concat(lit(TOKEN_KEY_TAG), t));
        Column prefix = substring(regexp_replace(nameNorm, " ", ""), 1, settings.prefixLength());
        return array_distinct(concat(tokenKeys, array(concat(lit(PREFIX_KEY_TAG), prefix))));
    }

    /**
     * Best score per (trader name, firm), with the firm's name that scored it; a firm has several names. Pairs below
     * the lowest score any decision looks at find no firm but stay as one firm-less row per name, so the name's best
     * score survives for an unresolved trader without a second pass over the pairs.
     */
    private Dataset<Row> firmScores(Dataset<Row> pairs, Dataset<Row> firmNames) {
        Dataset<Row> registry = firmNames.select(col(COUNTRY).as(REG_COUNTRY), col(NAME_NORM).as(REG_NAME_NORM),
                col(FIRM_ID), col(NAME), when(col(NAME_KIND).equalTo(NAME_KIND_NAME), 0).otherwise(1).as(KIND_ORDER));
        Column joinsFirm = col(REPORTER).equalTo(col(REG_COUNTRY))
                .and(col(PAIR_NAME_NORM).equalTo(col(REG_NAME_NORM)))
                .and(col(SCORE).geq(lowestScoreOfInterest()));
        return pairs.join(registry, joinsFirm, "left")
                .groupBy(col(REPORTER), col(TRADER_NAME_NORM), col(TRADER_NAME), col(FIRM_ID))
                .agg(min(struct(negate(col(SCORE)).as(NEG_SCORE), col(KIND_ORDER), col(NAME))).as(BEST))
                .select(col(REPORTER), col(TRADER_NAME_NORM), col(TRADER_NAME), col(FIRM_ID).as(CANDIDATE_FIRM_ID),
                        col(BEST).getField(NAME).as(CANDIDATE_NAME),
                        negate(col(BEST).getField(NEG_SCORE)).as(SCORE));
    }

    /** Below this a candidate is neither kept for review nor close enough to make the best match ambiguous. */
    private double lowestScoreOfInterest() {
        return Math.min(settings.possibleScore(), settings.acceptScore() - settings.ambiguityMargin());
    }

    /**
     * Ranks each name's firms and decides: the best firm is accepted when it reaches accept_score and no other firm
     * comes within ambiguity_margin of it; when one does, the firms within the margin of the best are ambiguous, so
     * a reviewer sees why a high score was not used.
     */
    private Dataset<Row> decide(Dataset<Row> firmScores) {
        // Firm-less rows (all pairs below the lowest score of interest) rank after every firm. The flag is a column
        // of its own, like the firm score, so the window functions share one ordering and one sort.
        WindowSpec byScore = Window.partitionBy(col(REPORTER), col(TRADER_NAME_NORM))
                .orderBy(col(FIRMLESS), col(SCORE).desc(), col(CANDIDATE_FIRM_ID));
        WindowSpec wholeName = byScore.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
        Dataset<Row> ranked = firmScores
                .withColumn(FIRMLESS, col(CANDIDATE_FIRM_ID).isNull())
                .withColumn(FIRM_SCORE, when(col(CANDIDATE_FIRM_ID).isNotNull(), col(SCORE)))
                .withColumn(CANDIDATE_RANK, row_number().over(byScore))
                .withColumn(TOP_SCORE, max(col(SCORE)).over(wholeName))
                .withColumn(RUNNER_UP_SCORE, nth_value(col(FIRM_SCORE), 2).over(wholeName));
        Column topAcceptable = col(TOP_SCORE).geq(settings.acceptScore());
        Column contested = col(RUNNER_UP_SCORE).isNotNull()
                .and(col(TOP_SCORE).minus(col(RUNNER_UP_SCORE)).leq(settings.ambiguityMargin() + SCORE_TOLERANCE));
        Column withinMarginOfTop = col(SCORE).geq(col(TOP_SCORE).minus(settings.ambiguityMargin() + SCORE_TOLERANCE));
        Column decision = when(col(CANDIDATE_FIRM_ID).isNull(), lit(null).cast(DataTypes.StringType))
                .when(topAcceptable.and(not(contested)).and(col(CANDIDATE_RANK).equalTo(1)), Silver.DECISION_ACCEPTED)
                .when(topAcceptable.and(contested).and(withinMarginOfTop), Silver.DECISION_AMBIGUOUS)
                .otherwise(Silver.DECISION_POSSIBLE);
        return ranked.withColumn(DECISION, decision).drop(FIRMLESS, FIRM_SCORE, TOP_SCORE, RUNNER_UP_SCORE);
    }

    /**
     * Per name: the accepted firm (or null) and the best score of any pair, from the rank-1 row. Keys are renamed
     * because the outcomes descend from the traders they are joined back to, and Spark cannot tell the two sides'
     * same-named columns apart in such a self-join.
     */
    private static Dataset<Row> nameOutcomes(Dataset<Row> decided) {
        return decided.filter(col(CANDIDATE_RANK).equalTo(1))
                .select(col(REPORTER).as(OUTCOME_REPORTER), col(TRADER_NAME_NORM).as(OUTCOME_NAME_NORM),
                        when(col(DECISION).equalTo(Silver.DECISION_ACCEPTED), col(CANDIDATE_FIRM_ID)).as(NAME_FIRM),
                        col(SCORE).as(BEST_SCORE));
    }

    private Dataset<Row> candidates(Dataset<Row> decided) {
        return decided.filter(col(CANDIDATE_FIRM_ID).isNotNull().and(col(SCORE).geq(settings.possibleScore())))
                .select(col(REPORTER), col(TRADER_NAME_NORM), col(TRADER_NAME), col(CANDIDATE_FIRM_ID),
                        col(CANDIDATE_NAME), col(SCORE), col(CANDIDATE_RANK), col(DECISION));
    }

    /** The id decides first, then an accepted name; everything else gets its synthetic firm. */
    private static Dataset<Row> resolvedTraders(Dataset<Row> byId, Dataset<Row> outcomes) {
        // A null trader_name_norm finds no outcome (outcomes have none) and keeps its row, like any unmatched trader.
        Dataset<Row> joined = byId.join(outcomes,
                col(REPORTER).equalTo(col(OUTCOME_REPORTER)).and(col(TRADER_NAME_NORM).equalTo(col(OUTCOME_NAME_NORM))),
                "left");
        Column byIdFound = col(ID_FIRM).isNotNull();
        Column byNameFound = col(NAME_FIRM).isNotNull();
        Column synthetic = syntheticIdColumn(col(REPORTER), col(TRADER_NAME_NORM), col(TRADER_NAME));
        return joined.select(
                col(REPORTER),
                col(TRADER_ID),
                col(TRADER_NAME),
                col(TRADER_ID_NORM),
                col(TRADER_NAME_NORM),
                coalesce(col(ID_FIRM), col(NAME_FIRM), synthetic).as(FIRM_ID),
                when(byIdFound, Silver.METHOD_ID).when(byNameFound, Silver.METHOD_NAME)
                        .otherwise(Silver.METHOD_UNRESOLVED).as(MATCH_METHOD),
                when(byIdFound, lit(1.0)).when(byNameFound, col(BEST_SCORE))
                        .otherwise(coalesce(col(BEST_SCORE), lit(0.0))).cast(DataTypes.DoubleType).as(MATCH_SCORE));
    }

    /**
     * {@link #syntheticId} with Spark functions, so unresolved traders need no UDF. A name that normalises to nothing
     * (only a marker, only punctuation) still deserves its own id, so its raw spelling stands in.
     */
    private static Column syntheticIdColumn(Column reporter, Column nameNorm, Column rawName) {
        Column rawKey = lower(trim(rawName));
        Column key = coalesce(nameNorm, when(length(rawKey).gt(0), rawKey), lit(UNKNOWN_NAME_KEY));
        Column hash = sha2(concat(reporter, lit("|"), key), 256);
        return concat(lit(SYNTHETIC_PREFIX), reporter, lit("-"), substring(hash, 1, SYNTHETIC_HASH_CHARS));
    }

    private UserDefinedFunction normalizeUdf() {
        NameNormalizer n = normalizer;
        return udf((UDF1<String, String>) n::normalize, DataTypes.StringType);
    }

    private UserDefinedFunction scoreUdf() {
        NameSimilarity s = similarity;
        return udf((UDF2<String, String, Double>) s::score, DataTypes.DoubleType);
    }
}
