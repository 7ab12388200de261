package org.ews.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ews.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Airflow DAG (jobs/airflow/ews_nightly.py), checked without Airflow by jobs/airflow/check_dag.py: its stages in
 * order, and every task's rendered command accepted by the launcher's {@code --dry-run}, in this JVM. The mutation
 * tests show the check failing on a misspelt stage, an unknown option, an unknown template, and on mistakes that
 * would fail every night at run time: Python callables whose arguments do not fit or that return the wrong thing,
 * a malformed cron expression or timezone, a start date that ignores EWS_DAG_START_DATE. Needs python3 on PATH
 * (CI has it); without it the tests fail, they are not skipped. Surefire runs in jobs/.
 */
class AirflowDagTest {
    private static final Path DAG = Path.of("airflow/ews_nightly.py");
    private static final Path CHECKER = Path.of("airflow/check_dag.py");
    private static final String CONFIG = Path.of("../conf/cluster.yaml").toAbsolutePath().normalize().toString();
    private static final List<String> TASKS = List.of("ingest", "conform", "metrics", "anomalies", "publish", "maintain");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {}

    @Test
    void bothPythonFilesCompile() throws Exception {
        for (Path source : List.of(DAG, CHECKER)) {
            Path compiled = tmp.resolve(source.getFileName() + "c");
            Result r = python("-c", "import sys, py_compile; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                    source.toString(), compiled.toString());
            assertEquals(0, r.exit(), source + " does not compile:\n" + r.err());
        }
    }

    @Test
    void theDagRunsTheStagesInOrderAndTheLauncherAcceptsEveryCommand() throws Exception {
        Result r = check(DAG);
        assertEquals(0, r.exit(), "check_dag.py found problems:\n" + r.err());
        JsonNode dag = JSON.readTree(r.out());
        assertEquals("ews_nightly", dag.path("dag_id").asText());
        assertEquals("2025-12-01", dag.path("start_date").asText(), "the default start date (no EWS_DAG_START_DATE)");

        List<String> commands = new ArrayList<>();
        List<String> upstream = new ArrayList<>();
        for (JsonNode task : dag.path("tasks")) {
            commands.add(task.path("application_args").path(0).asText());
            upstream.add(task.path("upstream").toString());
        }
        assertEquals(TASKS, commands, "spark-submit tasks in dependency order");
        assertEquals(List.of("[\"wait_for_customs\"]", "[\"ingest\"]", "[\"conform\"]", "[\"metrics\"]", "[\"anomalies\"]",
                "[\"weekly_maintenance_day\"]"), upstream);

        for (JsonNode task : dag.path("tasks")) {
            List<String> args = args(task);
            assertTrue(args.contains("scheduled__2025-12-01T02:00:00+00:00"), "run id handed on: " + args);
            Result launcher = dryRun(args);
            assertEquals(0, launcher.exit(), "task " + task.path("task_id").asText() + ": bin/ews " + String.join(" ", args)
                    + " --dry-run refused it: " + launcher.err());
        }
    }

    @Test
    void aMisspeltStageFailsTheCheckAndTheLauncher() throws Exception {
        Result r = check(mutated("(\"conform\",", "(\"conformx\","));
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("task 'conformx': first application argument 'conformx' is not a stage"), r.err());
        assertTrue(r.err().contains("no spark-submit task runs 'conform'"), r.err());

        JsonNode conformx = null;
        for (JsonNode task : JSON.readTree(r.out()).path("tasks")) {
            if (task.path("application_args").path(0).asText().equals("conformx")) {
                conformx = task;
            }
        }
        assertNotNull(conformx, r.out());
        Result launcher = dryRun(args(conformx));
        assertEquals(2, launcher.exit(), launcher.err());
        assertTrue(launcher.err().contains("unknown command 'conformx'"), launcher.err());
    }

    @Test
    void anUnknownOptionFailsTheLauncherCheck() throws Exception {
        Path dag = mutated("[stage, \"--date\", LANDING_DATE]", "[stage, \"--datex\", LANDING_DATE]");
        Result r = check(dag, "--launcher", launcherScript().toString());
        assertEquals(1, r.exit(), r.err());
        String ingestLine = r.err().lines().filter(l -> l.contains("task 'ingest':") && l.contains("--dry-run exited"))
                .findFirst().orElseThrow(() -> new AssertionError("no launcher line for ingest:\n" + r.err()));
        assertTrue(ingestLine.contains("exited 2: ews ingest: unknown option --datex"), ingestLine);

        List<String> ingest = args(JSON.readTree(r.out()).path("tasks").path(0));
        Result launcher = dryRun(ingest);
        assertEquals(2, launcher.exit(), launcher.err());
        assertTrue(launcher.err().contains("unknown option --datex"), launcher.err());
    }

    @Test
    void anUnknownTemplateExpressionFailsTheRenderer() throws Exception {
        Result r = check(mutated("RUN_ID = \"{{ run_id }}\"", "RUN_ID = \"{{ dag_run.conf['id'] }}\""));
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("task 'ingest': application_args: unknown template expression {{ dag_run.conf['id'] }}"),
                r.err());
    }

    @Test
    void opKwargsThatDoNotFitTheCallableFailTheCheck() throws Exception {
        Result r = check(mutated("op_kwargs={\"landing_uri\": ", "op_kwargs={\"landing\": "));
        assertEquals(1, r.exit(), r.err());
        assertLine(r, "task 'wait_for_customs': op_kwargs {'landing': ",
                "do not fit customs_landed(landing_uri, landing_date): missing a required argument: 'landing_uri'");
    }

    @Test
    void theMaintenanceGateIsCalledForEveryWeekday() throws Exception {
        Result undefined = check(mutated("== MAINTENANCE_WEEKDAY", "== MAINTENANCE_WEEKDAYS"));
        assertEquals(1, undefined.exit(), undefined.err());
        assertLine(undefined, "task 'weekly_maintenance_day': is_maintenance_day for landing date 2025-12-01 (Monday) "
                + "raised NameError: name 'MAINTENANCE_WEEKDAYS' is not defined (ews_nightly.py line ");

        Result monday = check(mutated("MAINTENANCE_WEEKDAY = 6", "MAINTENANCE_WEEKDAY = 0"));
        assertEquals(1, monday.exit(), monday.err());
        assertLine(monday, "task 'weekly_maintenance_day': is_maintenance_day for landing date 2025-12-01 (Monday) "
                + "returned True; expected False");
        assertLine(monday, "task 'weekly_maintenance_day': is_maintenance_day for landing date 2025-12-07 (Sunday) "
                + "returned False; expected True");
    }

    @Test
    void theSensorIsCalledOnSampleLandingZones() throws Exception {
        Result success = check(mutated("startswith((\".\", \"_\"))", "startswith(\".\")"));
        assertEquals(1, success.exit(), success.err());
        assertLine(success, "task 'wait_for_customs': customs_landed on a landing zone with only _SUCCESS and "
                + ".part-0001.csv in customs/reporter=KR/date=2025-12-01/ returned True; expected False");

        Result blind = check(mutated("            return True\n", "            return False\n"));
        assertEquals(1, blind.exit(), blind.err());
        assertLine(blind, "task 'wait_for_customs': customs_landed on a landing zone with "
                + "customs/reporter=KR/date=2025-12-01/part-0001.csv returned False; expected True");

        Result noCustoms = check(mutated("    if not customs.exists():\n        return False\n", ""));
        assertEquals(1, noCustoms.exit(), noCustoms.err());
        assertLine(noCustoms, "task 'wait_for_customs': customs_landed on a landing zone with no customs/ folder",
                "raised FileNotFoundError");

        // The stand-in for ObjectStoragePath is strict: a sensor that uses more of it is noticed.
        Result stat = check(mutated("f.is_file() and", "f.is_file() and f.stat().st_size > 0 and"));
        assertEquals(1, stat.exit(), stat.err());
        assertLine(stat, "task 'wait_for_customs': customs_landed on a landing zone with ",
                "raised AttributeError: ObjectStoragePath.stat is not implemented by check_dag.py's stub");
    }

    @Test
    void theTimetableIsAFiveFieldCronExpressionInUtc() throws Exception {
        Result fields = check(mutated("\"0 2 * * *\"", "\"0 2 * *\""));
        assertEquals(1, fields.exit(), fields.err());
        assertLine(fields, "DAG 'ews_nightly': the timetable's cron expression '0 2 * *' has 4 fields; expected 5");

        Result paris = check(mutated("timezone=\"UTC\"", "timezone=\"Europe/Paris\""));
        assertEquals(1, paris.exit(), paris.err());
        assertLine(paris, "DAG 'ews_nightly': the timetable's timezone is 'Europe/Paris'; expected \"UTC\"");
    }

    @Test
    void theStartDateComesFromTheEnvironmentAtParseTime() throws Exception {
        Result later = check(Map.of("EWS_DAG_START_DATE", "2026-01-05"), DAG);
        assertEquals(0, later.exit(), later.err());
        assertEquals("2026-01-05", JSON.readTree(later.out()).path("start_date").asText());

        Result bad = check(Map.of("EWS_DAG_START_DATE", "2026-1-5"), DAG);
        assertEquals(1, bad.exit(), bad.err());
        assertLine(bad, "the DAG file failed to load under Airflow 3's modules: line ",
                "ValueError: EWS_DAG_START_DATE='2026-1-5' is not a date YYYY-MM-DD");

        Result ignored = check(mutated("os.environ.get(\"EWS_DAG_START_DATE\", default)", "default"));
        assertEquals(1, ignored.exit(), ignored.err());
        assertLine(ignored, "DAG 'ews_nightly': with EWS_DAG_START_DATE=2026-01-05 the start_date is "
                + "2025-12-01T00:00:00+00:00; expected 2026-01-05T00:00:00+00:00");
        assertLine(ignored, "DAG 'ews_nightly': with EWS_DAG_START_DATE=2026-02-30 (no such day) the DAG file loads; "
                + "expected the parse to fail");
    }

    // ---- helpers ----

    /** One line of the checker's stderr holds all the pieces, in order. */
    private static void assertLine(Result r, String... pieces) {
        boolean found = r.err().lines().anyMatch(line -> {
            int at = 0;
            for (String piece : pieces) {
                at = line.indexOf(piece, at);
                if (at < 0) {
                    return false;
                }
                at += piece.length();
            }
            return true;
        });
        assertTrue(found, "no line with " + List.of(pieces) + " in:\n" + r.err());
    }

    private Result check(Path dag, String... more) throws Exception {
        return check(Map.of(), dag, more);
    }

    private Result check(Map<String, String> env, Path dag, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(CHECKER.toString(), dag.toString(), "--json", "--var", "ews_config=" + CONFIG));
        args.addAll(List.of(more));
        return python(env, args.toArray(String[]::new));
    }

    /** A copy of the DAG with one piece of text changed (which must be there, so the test cannot pass vacuously). */
    private Path mutated(String from, String to) throws IOException {
        String source = Files.readString(DAG);
        assertTrue(source.contains(from), "the DAG no longer contains " + from + "; update this test");
        Path copy = tmp.resolve("ews_nightly.py");
        Files.writeString(copy, source.replace(from, to));
        return copy;
    }

    private static List<String> args(JsonNode task) {
        List<String> args = new ArrayList<>();
        task.path("application_args").forEach(a -> args.add(a.asText()));
        return args;
    }

    /** The launcher's contract, in this JVM: the command's words plus --dry-run, with no EWS_* from the developer. */
    private static Result dryRun(List<String> args) {
        List<String> words = new ArrayList<>(args);
        words.add("--dry-run");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(words.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), org.ews.testing.TestEnv.CLUSTER_SECRETS);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A stand-in for bin/ews (which needs the packaged jar): this test run's classes, org.ews.cli.Main. */
    private Path launcherScript() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may put only a manifest jar on java.class.path; its test class path is the real one.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path script = tmp.resolve("ews");
        Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -Xmx256m -cp '" + classpath + "' org.ews.cli.Main \"$@\"\n");
        assertTrue(script.toFile().setExecutable(true));
        return script;
    }

    private Result python(String... args) throws Exception {
        return python(Map.of(), args);
    }

    private Result python(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "python", ".out");
        Path err = Files.createTempFile(tmp, "python", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("EWS_")); // the developer's settings stay out
        pb.environment().putAll(org.ews.testing.TestEnv.CLUSTER_SECRETS); // stand-ins for cluster.yaml's ${...} secrets
        pb.environment().putAll(env);                                    // the test's own
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");            // no __pycache__ in the repository
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return fail("python3 is not on PATH (" + e.getMessage() + "): the Airflow DAG check needs Python 3.9+; CI has it");
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("python3 " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
