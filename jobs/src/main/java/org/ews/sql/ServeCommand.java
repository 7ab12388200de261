package org.ews.sql;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.ews.Messages;
import org.ews.config.EwsConfig;
import org.ews.run.EwsException;
import org.ews.spark.SparkSessions;
import org.ews.spark.Warehouse;
import org.ews.tables.Tables;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/ews serve}: the warehouse's tables over JDBC/ODBC for BI tools, through Spark's Thrift server (the
 * HiveServer2 protocol), started in this process on 127.0.0.1.
 *
 * <p>Read-only: the session is built with {@code spark.ews.read_only=true}, so every JDBC session's parser refuses
 * writes ({@link ReadOnlySqlExtension}); only the warehouse registration at start runs in the trusted scope. The catalog
 * stays in-memory, as everywhere else: no metastore, so a nightly run can write while this serves (each query reads
 * the tables' latest Delta commit), and the tables served are those registered at start.
 */
public final class ServeCommand {
    public static final int DEFAULT_PORT = 10000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);
    private static final String HOST = "127.0.0.1";

    private ServeCommand() {}

    /** Starts the server and blocks until the process is killed. */
    public static void run(EwsConfig config, int port, PrintStream out) {
        for (String var : List.of("HIVE_SERVER2_THRIFT_PORT", "HIVE_SERVER2_THRIFT_BIND_HOST")) {
            if (System.getenv(var) != null) { // Hive's Thrift service prefers them to our settings
                throw new EwsException("environment variable " + var + " is set and would override serve's "
                        + (var.endsWith("PORT") ? "--port" : "bind address " + HOST) + "; unset it");
            }
        }
        requirePortFree(port);
        Path scratch = scratchDir();
        Map<String, String> settings = new LinkedHashMap<>(SparkSessions.READ_ONLY);
        // Read by the Thrift server from the Hadoop configuration when it starts; must be set before.
        settings.put("spark.hadoop.hive.server2.thrift.bind.host", HOST);
        settings.put("spark.hadoop.hive.server2.thrift.port", Integer.toString(port));
        settings.put("spark.hadoop.hive.server2.transport.mode", "binary");
        // Hive's per-session folders (scratch, downloaded resources, operation logs) under one folder of this process.
        settings.put("spark.hadoop.hive.exec.scratchdir", scratch.resolve("hive").toString());
        settings.put("spark.hadoop.hive.exec.local.scratchdir", scratch.resolve("local").toString());
        settings.put("spark.hadoop.hive.downloaded.resources.dir", scratch.resolve("resources").toString());
        settings.put("spark.hadoop.hive.server2.logging.operation.log.location", scratch.resolve("operation_logs").toString());
        SparkSession spark = SparkSessions.create(config, settings);
        if (!spark.sparkContext().getConf().getBoolean(ReadOnlySqlExtension.FLAG, false)) {
            // getOrCreate handed back a context started elsewhere in this JVM, without the flag: never serve that.
            deleteQuietly(scratch);
            throw new EwsException("serve needs a Spark context of its own; this JVM already runs one without "
                    + ReadOnlySqlExtension.FLAG + "=true");
        }
        HiveThriftServer2 server;
        List<String> tables;
        try {
            ReadOnlySqlExtension.trusted(() -> Warehouse.of(spark, config).registerExisting());
            tables = registeredTables(spark);
            server = start(spark, port);
        } catch (RuntimeException e) {
            spark.stop();
            deleteQuietly(scratch);
            throw e;
        }
        HiveThriftServer2 started = server;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.stop();
            } finally {
                spark.stop();
                deleteQuietly(scratch);
                stopped.countDown();
            }
        }, "ews-serve-stop"));
        out.println("serving " + tables.size() + (tables.size() == 1 ? " table" : " tables") + " of "
                + Warehouse.qualify(config.paths().warehouse()) + " read-only at jdbc:hive2://" + HOST + ":" + port
                + "/default: " + (tables.isEmpty() ? "(none yet)" : String.join(", ", tables)) + " (stop with Ctrl-C or kill)");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HiveThriftServer2 start(SparkSession spark, int port) {
        try {
            return HiveThriftServer2.startWithContext(spark.sqlContext());
        } catch (RuntimeException e) {
            if (bindFailure(e)) {
                throw new EwsException("port " + port + " on " + HOST + " is already in use; choose another with --port", e);
            }
            throw new EwsException("the Thrift server did not start: " + Messages.firstLine(e.getMessage()), e);
        }
    }

    private static boolean bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Could not create ServerSocket"))) {
                return true;
            }
        }
        return false;
    }

    /** Fails in a second, not after Spark's start, when something already listens on the port. */
    private static void requirePortFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new EwsException("port " + port + " on " + HOST + " is already in use (" + e.getMessage()
                    + "); choose another with --port");
        }
    }

    /**
     * A folder for what Hive's session machinery writes (its in-memory Derby's derby.log, scratch folders), removed at
     * shutdown; without it these land in the working directory and /tmp.
     */
    private static Path scratchDir() {
        try {
            Path dir = Files.createTempDirectory("ews-serve-");
            Files.createDirectories(dir.resolve("local")); // a closing JDBC session lists it
            if (System.getProperty("derby.stream.error.file") == null) {
                System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
            }
            return dir;
        } catch (IOException e) {
            throw new EwsException("cannot create a temporary folder in " + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not remove {}: {}", dir, e.getMessage());
        }
    }

    /** {@code schema.table} of every table the session knows, in the warehouse's schema order. */
    static List<String> registeredTables(SparkSession spark) {
        List<String> names = new ArrayList<>();
        for (String schema : Tables.SCHEMAS) {
            if (!spark.sessionState().catalog().databaseExists(schema)) {
                continue;
            }
            for (TableIdentifier t : scala.collection.JavaConverters.seqAsJavaList(spark.sessionState().catalog().listTables(schema))) {
                names.add(schema + "." + t.table());
            }
        }
        return names;
    }
}
