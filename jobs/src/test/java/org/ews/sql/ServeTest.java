package org.ews.sql;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ews.spark.SparkSessions;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;
import org.ews.testing.Dirs;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bin/ews serve} as BI tools meet it: a separate JVM serving a tiny warehouse, queried over JDBC with the Hive
 * driver. It answers the hand-made rows and refuses writes, SET included, whatever the client sends.
 */
@ExtendWith(SharedSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeTest {
    private static final int START_TIMEOUT_S = 120;

    /** reporter, flow, hs6, partner, month, value_usd, declarations: the rows written, in the order the query sorts. */
    private static final Object[][] ROWS = {
            {"KR", "I", "854231", "CN", "2024-01-01", new BigDecimal("1500000.50"), 12L},
            {"KR", "I", "854231", "TW", "2024-01-01", new BigDecimal("800000.25"), 3L},
            {"US", "X", "870380", "MX", "2024-02-01", new BigDecimal("42.000001"), 1L},
    };

    private Path warehouse;
    private Process server;
    private Path serverErr;
    private int port;
    private final StringBuilder serverOut = new StringBuilder();

    @BeforeAll
    void writeAWarehouseAndServeIt() throws Exception {
        warehouse = Files.createTempDirectory("ews-serve-wh-");
        List<Row> rows = new ArrayList<>();
        for (Object[] r : ROWS) {
            java.sql.Date month = java.sql.Date.valueOf((String) r[4]);
            rows.add(RowFactory.create(r[0], r[1], r[2], r[3], month, month.toLocalDate().getYear(), r[5], null, null,
                    r[6], r[6], 1L, 1.0, true, "serve-test"));
        }
        new Warehouse(SharedSpark.session(), warehouse.toString())
                .replace(Gold.TRADE_MONTHLY, SharedSpark.session().createDataFrame(rows, Gold.TRADE_MONTHLY.columns()), null);

        port = freePort();
        serverErr = Files.createTempFile("ews-serve-err-", ".txt");
        server = serve(port, serverErr);
        waitForUrl(server, serverOut);
        Class.forName("org.apache.hive.jdbc.HiveDriver");
    }

    @AfterAll
    void stopTheServer() throws Exception {
        try {
            if (server != null) {
                server.destroy(); // SIGTERM: the shutdown hook stops the Thrift server and Spark
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (warehouse != null) {
                Dirs.delete(warehouse);
            }
            if (serverErr != null) {
                Files.deleteIfExists(serverErr);
            }
        }
    }

    @Test
    void selectAnswersTheRowsWritten() throws Exception {
        assertTrue(serverOut.toString().contains("jdbc:hive2://127.0.0.1:" + port + "/default"), serverOut.toString());
        assertTrue(serverOut.toString().contains("gold.trade_monthly"), "the startup line names the tables: " + serverOut);
        try (Connection c = connect("default")) {
            assertEquals(expectedRows(), rows(c));
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*), sum(value_usd) FROM gold.trade_monthly")) {
                assertTrue(r.next());
                BigDecimal sum = BigDecimal.ZERO;
                for (Object[] row : ROWS) {
                    sum = sum.add((BigDecimal) row[5]);
                }
                assertEquals(ROWS.length, r.getLong(1));
                assertEquals(0, sum.compareTo(r.getBigDecimal(2)), "sum " + r.getBigDecimal(2) + " vs " + sum);
            }
        }
    }

    @Test
    void theDatabaseInTheUrlIsUsed() throws Exception {
        try (Connection c = connect("gold"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM trade_monthly")) {
            assertTrue(r.next());
            assertEquals(ROWS.length, r.getLong(1));
        }
    }

    @Test
    void writesAndSetAreRefusedAndTheTableIsUnchanged() throws Exception {
        // A setting in the URL reaches the session's SQL conf only; the guard reads the SparkContext's.
        for (String url : List.of(url("default"), url("default") + ";?" + ReadOnlySqlExtension.FLAG + "=false")) {
            try (Connection c = DriverManager.getConnection(url)) {
                for (String write : List.of("DROP TABLE gold.trade_monthly", "DELETE FROM gold.trade_monthly",
                        "SET spark.ews.read_only=false", "INSERT INTO gold.trade_monthly SELECT * FROM gold.trade_monthly",
                        "VACUUM gold.trade_monthly RETAIN 0 HOURS", "RESTORE TABLE gold.trade_monthly TO VERSION AS OF 0")) {
                    try (Statement s = c.createStatement()) {
                        SQLException e = assertThrows(SQLException.class, () -> s.execute(write), write + " via " + url);
                        assertTrue(e.getMessage().contains("this server is read-only: refused"), write + ": " + e.getMessage());
                    }
                }
                assertEquals(expectedRows(), rows(c), "the table answers as before");
            }
        }
        assertTrue(server.isAlive(), "the server survives refused statements");
    }

    @Test
    void aPortInUseIsOneClearLineAndANonZeroExit() throws Exception {
        Path err = Files.createTempFile("ews-serve-err2-", ".txt");
        Process second = serve(port, err); // the first server holds it
        try {
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "a second server on a taken port must exit, not hang");
            String stderr = Files.readString(err);
            assertNotEquals(0, second.exitValue());
            assertTrue(stderr.contains("port " + port + " on 127.0.0.1 is already in use"), stderr);
            assertEquals(1, stderr.lines().filter(l -> l.startsWith("ews serve:")).count(), stderr);
        } finally {
            second.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }

    private static List<String> expectedRows() {
        List<String> expected = new ArrayList<>();
        for (Object[] r : ROWS) {
            expected.add(String.join("|", (String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    ((BigDecimal) r[5]).stripTrailingZeros().toPlainString(), String.valueOf(r[6])));
        }
        return expected;
    }

    private static List<String> rows(Connection c) throws SQLException {
        List<String> got = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT reporter, flow, hs6, partner, month, value_usd, declarations FROM gold.trade_monthly ORDER BY reporter, partner")) {
            while (r.next()) {
                got.add(String.join("|", r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getDate(5).toString(), r.getBigDecimal(6).stripTrailingZeros().toPlainString(),
                        String.valueOf(r.getLong(7))));
            }
        }
        return got;
    }

    private String url(String database) {
        return "jdbc:hive2://127.0.0.1:" + port + "/" + database;
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database));
    }

    /** {@code serve} in a JVM of its own, as {@code bin/ews} starts it: same classpath and Java 17 flags. */
    private Process serve(int port, Path stderr) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may put only a manifest jar on java.class.path; its test class path is the real one.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(Arrays.asList(SparkSessions.jvmFlags().split("\\s+")));
        cmd.addAll(List.of("-Xmx1g", "-Duser.timezone=UTC", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", classpath, "org.ews.cli.Main", "serve", "--port", Integer.toString(port), "--warehouse", warehouse.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().remove("HIVE_SERVER2_THRIFT_PORT"); // it would override --port
        return pb.start();
    }

    /** Reads the server's stdout until the line with the JDBC URL; fails with its stderr when it does not come. */
    private void waitForUrl(Process p, StringBuilder out) throws Exception {
        CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            try { // not closed here: after the URL line a daemon thread keeps reading
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    if (line.contains("jdbc:hive2://")) {
                        // Keep draining stdout in the background so the server never blocks on a full pipe.
                        Thread drain = new Thread(() -> r.lines().forEach(l -> { }));
                        drain.setDaemon(true);
                        drain.start();
                        return true;
                    }
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        });
        Boolean ok;
        try {
            ok = seen.get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            ok = false;
        }
        if (!ok) {
            fail("serve did not print its JDBC URL within " + START_TIMEOUT_S + " s (alive: " + p.isAlive() + "); stdout:\n"
                    + out + "\nstderr:\n" + Files.readString(serverErr));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
