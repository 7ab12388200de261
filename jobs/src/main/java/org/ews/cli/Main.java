package org.ews.cli;

import org.ews.Messages;
import org.ews.config.ConfigException;
import org.ews.run.EwsException;
import org.ews.run.RunLockedException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * {@code bin/ews <command> [options] [--dry-run]}. Exit status: 0 success, 1 the run failed, 2 wrong usage or
 * configuration, 3 another run holds the warehouse's run lock (nothing was done; try again when it has ended). On
 * failure one line on stderr names the cause.
 */
public final class Main {
    private Main() {}

    /**
     * Checks the command, its options and values and the configuration, says what would run, and stops before Spark
     * starts: exit 0, or 2 with the usage error. What the Airflow DAG's check asks of every task's arguments.
     */
    public static final String DRY_RUN = "--dry-run";

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /**
     * Runs one command and returns its exit status. With {@value ProcessMetrics#ENV} set, also writes the process's wall
     * time and peak heap to that file when the command ends ({@link ProcessMetrics}; what {@code bin/ews bench} reads).
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        ProcessMetrics metrics = ProcessMetrics.startIfAsked(env);
        int exit = runCommand(args, out, err, env);
        if (metrics != null) {
            metrics.write(args.length == 0 ? "" : args[0], exit, err);
        }
        return exit;
    }

    private static int runCommand(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(Commands.usage());
            return args.length == 0 ? 2 : 0;
        }
        Optional<Commands.Command> command = Commands.find(args[0]);
        if (command.isEmpty()) {
            err.println("ews: unknown command '" + args[0] + "'; commands: " + String.join(", ", Commands.names())
                    + " (bin/ews --help)");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        boolean dryRun = Arrays.asList(rest).contains(DRY_RUN);
        if (Arrays.asList(rest).contains("--help")) {
            if (dryRun) { // a scheduled task carrying --help would otherwise pass the DAG check and do nothing at night
                err.println("ews " + args[0] + ": --help and " + DRY_RUN + " together: nothing to check");
                return 2;
            }
            out.print(command.get().help());
            return 0;
        }
        try {
            Commands.Prepared prepared = command.get().action().prepare(
                    Args.parse(command.get().name(), Arrays.stream(rest).filter(w -> !w.equals(DRY_RUN)).toArray(String[]::new),
                            command.get().options(), Commands.FLAGS), env);
            if (dryRun) {
                out.println("ews " + args[0] + " (dry run): would run " + prepared.plan());
            } else {
                prepared.run(out);
            }
            return 0;
        } catch (UsageException | ConfigException e) {
            err.println("ews " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (RunLockedException e) {
            err.println("ews " + args[0] + ": " + e.getMessage());
            return RunLockedException.EXIT_CODE;
        } catch (EwsException e) {
            err.println("ews " + args[0] + ": " + Messages.firstLine(e.getMessage()) + (e.getCause() == null ? "" : traceNote(e)));
            return 1;
        } catch (Exception | Error e) { // includes Spark's checked AnalysisException, thrown undeclared from Scala
            err.println("ews " + args[0] + ": failed: " + e.getClass().getSimpleName() + ": " + Messages.firstLine(e.getMessage())
                    + traceNote(e));
            return 1;
        }
    }

    /** The stack trace goes to a file, so stderr keeps its one line and the detail is not lost. */
    private static String traceNote(Throwable e) {
        try {
            Path f = Files.createTempFile("ews-failure-", ".txt");
            try (PrintStream p = new PrintStream(Files.newOutputStream(f))) {
                e.printStackTrace(p);
            }
            return " (stack trace: " + f + ")";
        } catch (Exception ignored) {
            return "";
        }
    }
}
