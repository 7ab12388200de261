package org.ews.sql;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.util.function.Supplier;

/**
 * Makes a process's SQL read-only in a way its SQL clients cannot switch off: listed in {@code spark.sql.extensions}
 * (after Delta's, so it wraps Delta's parser and sees VACUUM, OPTIMIZE, RESTORE), it wraps the parser of every session
 * of the process; when the SparkContext was started with {@code spark.ews.read_only=true}, {@code parsePlan} refuses
 * what {@link ReadOnlyPlans} refuses. The flag is read from the SparkContext's configuration, which no SQL statement,
 * {@code SET} or JDBC URL setting can change (those reach the session's SQL configuration only). Without the flag the
 * wrapper only delegates.
 *
 * <p>The process's own setup statements (registering the warehouse's tables) run inside {@link #trusted}, a scope
 * bound to the calling thread: statements of JDBC clients run on the server's threads and never inside it.
 */
public final class ReadOnlySqlExtension extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {
    /** SparkContext setting that turns the guard on. */
    public static final String FLAG = "spark.ews.read_only";

    private static final ThreadLocal<Integer> TRUSTED = ThreadLocal.withInitial(() -> 0);

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        extensions.injectParser(new AbstractFunction2<SparkSession, ParserInterface, ParserInterface>() {
            @Override
            public ParserInterface apply(SparkSession session, ParserInterface delegate) {
                boolean on = session.sparkContext().getConf().getBoolean(FLAG, false);
                return on ? new ReadOnlyParser(delegate, "this server is read-only") : delegate;
            }
        });
        return BoxedUnit.UNIT;
    }

    /** Runs {@code work} on this thread with the guard lifted: for the process's own setup, never for client SQL. */
    public static <T> T trusted(Supplier<T> work) {
        TRUSTED.set(TRUSTED.get() + 1);
        try {
            return work.get();
        } finally {
            TRUSTED.set(TRUSTED.get() - 1);
        }
    }

    static boolean isTrusted() {
        return TRUSTED.get() > 0;
    }

    /** A refused statement. The message starts with who refused it ("this server is read-only: refused DropTable"). */
    public static final class ReadOnlyException extends IllegalArgumentException {
        private final String refused;

        ReadOnlyException(String who, String refused) {
            super(who + ": refused " + refused + " (" + ReadOnlyPlans.ALLOWED + ")");
            this.refused = refused;
        }

        /** The refused plan node or function. */
        public String refused() {
            return refused;
        }
    }

    /**
     * Delegates every method of Spark 3.5's {@code ParserInterface} (and {@code DataTypeParserInterface}); plans are
     * checked against {@link ReadOnlyPlans} unless the calling thread is {@link #trusted}.
     */
    public static final class ReadOnlyParser implements ParserInterface {
        private final ParserInterface delegate;
        private final String who;

        public ReadOnlyParser(ParserInterface delegate, String who) {
            this.delegate = delegate;
            this.who = who;
        }

        private LogicalPlan check(LogicalPlan plan) {
            if (!isTrusted()) {
                ReadOnlyPlans.refusal(plan).ifPresent(r -> {
                    throw new ReadOnlyException(who, r);
                });
            }
            return plan;
        }

        @Override
        public LogicalPlan parsePlan(String sqlText) throws ParseException {
            return check(delegate.parsePlan(sqlText));
        }

        @Override
        public LogicalPlan parseQuery(String sqlText) throws ParseException {
            return check(delegate.parseQuery(sqlText));
        }

        @Override
        public Expression parseExpression(String sqlText) throws ParseException {
            return delegate.parseExpression(sqlText);
        }

        @Override
        public TableIdentifier parseTableIdentifier(String sqlText) throws ParseException {
            return delegate.parseTableIdentifier(sqlText);
        }

        @Override
        public FunctionIdentifier parseFunctionIdentifier(String sqlText) throws ParseException {
            return delegate.parseFunctionIdentifier(sqlText);
        }

        @Override
        public scala.collection.Seq<String> parseMultipartIdentifier(String sqlText) throws ParseException {
            return delegate.parseMultipartIdentifier(sqlText);
        }

        @Override
        public StructType parseTableSchema(String sqlText) throws ParseException {
            return delegate.parseTableSchema(sqlText);
        }

        @Override
        public DataType parseDataType(String sqlText) throws ParseException {
            return delegate.parseDataType(sqlText);
        }
    }
}
