package org.ews.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes a synthetic landing zone (customs lines of KR, US, JP; corporate registry snapshots; FX rates) together
 * with the ground truth the later stages are judged against. Plain Java, single-threaded and streaming: a day is
 * generated, written and forgotten; only amendments due on later days are kept. The same arguments give
 * byte-identical files.
 *
 * <pre>
 * GenerationSummary s = LandingGenerator.builder().out(dir).from(from).to(to).linesPerDay(200).seed(42)
 *         .referenceDir(Path.of("conf/reference")).build().run();
 * </pre>
 */
public final class LandingGenerator {
    static final String STRATEGIC_FILE = "hs6_strategic_sectors.csv";
    static final String COUNTRY_FILE = "country_codes.csv";
    private static final double BAD_ROW_RATE = 0.003;
    private static final double AMENDMENT_RATE = 0.02;
    private static final double DUPLICATE_RATE = 0.003;
    /** Rows a single CSV part may hold before the reporter splits the day into more parts. */
    private static final int MAX_ROWS_PER_PART = 50_000;

    private final Path out;
    private final LocalDate from;
    private final LocalDate to;
    private final int linesPerDay;
    private final long seed;
    private final Path referenceDir;
    private final long firstDeclaration;

    private LandingGenerator(Builder b) {
        this.out = b.out;
        this.from = b.from;
        this.to = b.to;
        this.linesPerDay = b.linesPerDay;
        this.seed = b.seed;
        this.referenceDir = b.referenceDir;
        this.firstDeclaration = b.firstDeclaration;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Path out;
        private LocalDate from;
        private LocalDate to;
        private int linesPerDay = 200;
        private long seed = 42;
        private Path referenceDir = Path.of("conf/reference");
        private long firstDeclaration = 1;

        private Builder() {
        }

        public Builder out(Path out) {
            this.out = out;
            return this;
        }

        public Builder from(LocalDate from) {
            this.from = from;
            return this;
        }

        public Builder to(LocalDate to) {
            this.to = to;
            return this;
        }

        /** Average customs lines per reporter per landing day. */
        public Builder linesPerDay(int linesPerDay) {
            this.linesPerDay = linesPerDay;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Folder holding hs6_strategic_sectors.csv and country_codes.csv (the project's conf/reference). */
        public Builder referenceDir(Path referenceDir) {
            this.referenceDir = referenceDir;
            return this;
        }

        /**
         * The number each reporter's declaration ids count from (default 1). A zone generated to follow another one
         * (the benchmark's new day after its history) starts beyond the other's numbers, so its declarations are new ones
         * rather than later versions of old ones. Changes the ids only, not any other value drawn.
         */
        public Builder firstDeclaration(long firstDeclaration) {
            this.firstDeclaration = firstDeclaration;
            return this;
        }

        public LandingGenerator build() {
            if (out == null) {
                throw new IllegalArgumentException("out directory is required");
            }
            if (from == null || to == null) {
                throw new IllegalArgumentException("from and to dates are required");
            }
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("from " + from + " is after to " + to);
            }
            if (linesPerDay < 1) {
                throw new IllegalArgumentException("linesPerDay must be at least 1, got " + linesPerDay);
            }
            if (firstDeclaration < 1) {
                throw new IllegalArgumentException("firstDeclaration must be at least 1, got " + firstDeclaration);
            }
            if (referenceDir == null) {
                throw new IllegalArgumentException("referenceDir is required");
            }
            for (String f : List.of(STRATEGIC_FILE, COUNTRY_FILE)) {
                if (!Files.isRegularFile(referenceDir.resolve(f))) {
                    throw new IllegalArgumentException("reference file missing: " + referenceDir.resolve(f));
                }
            }
            return new LandingGenerator(this);
        }
    }

    private record Pending(LocalDate due, long order, CustomsRow row) {
    }

    /** Mutable run state; one per run() so a generator can be run twice with identical results. */
    private final class Run {
        final SplittableRandom rng = new SplittableRandom(seed);
        final List<LocalDate> days = new ArrayList<>();
        final Map<Reporter, DeclarationFactory> factories = new TreeMap<>();
        final Map<Reporter, PriorityQueue<Pending>> pending = new TreeMap<>();
        final Map<String, Long> lines = new TreeMap<>();
        final Set<String> brokenDays = new HashSet<>();
        final Set<String> crlfDays = new HashSet<>();
        FirmRegistry registry;
        SupplyEvents events;
        TruthWriter truth;
        CustomsFileWriter writer;
        long order;
        long amendments;
        long duplicates;
        long late;
        long otherFiles;
        int rotation;
    }

    public GenerationSummary run() {
        try {
            return doRun();
        } catch (IOException e) {
            throw new UncheckedIOException("landing zone generation failed under " + out, e);
        }
    }

    private GenerationSummary doRun() throws IOException {
        Run run = new Run();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            run.days.add(d);
        }
        // Independent streams per concern, split in a fixed order, so adding a draw in one place does not
        // reshuffle everything else.
        SplittableRandom registryRng = run.rng.split();
        SplittableRandom profileRng = run.rng.split();
        SplittableRandom planRng = run.rng.split();

        ProductCatalog catalog = new ProductCatalog(referenceDir.resolve(STRATEGIC_FILE));
        CountryNames countries = new CountryNames(referenceDir.resolve(COUNTRY_FILE));
        SupplierProfiles profiles = new SupplierProfiles();
        YearMonth firstMonth = YearMonth.from(from);
        YearMonth lastMonth = YearMonth.from(to);
        // Late filings reach back 30 days, so rates must exist for the month before the range too.
        FxRates fx = new FxRates(YearMonth.from(from.minusDays(31)), lastMonth);
        run.events = new SupplyEvents(firstMonth, lastMonth);
        run.registry = new FirmRegistry(registryRng);
        TraderNameMangler mangler = new TraderNameMangler();
        for (Reporter r : Reporter.values()) {
            List<TradeSeries> series = run.events.completeSeries(profiles.seriesFor(r, catalog, profileRng), r,
                    profiles, catalog);
            run.factories.put(r, new DeclarationFactory(r, series, run.events, fx, run.registry, countries, mangler,
                    run.rng.split()).numberFrom(firstDeclaration));
            run.pending.put(r, new PriorityQueue<>(Comparator.comparing(Pending::due)
                    .thenComparingLong(Pending::order)));
        }
        planSpecialDays(run, planRng);

        Files.createDirectories(out);
        fx.write(out.resolve("reference/fx_rates/fx_rates.csv"));
        run.otherFiles++;
        try (TruthWriter truth = new TruthWriter(out)) {
            run.truth = truth;
            run.writer = new CustomsFileWriter(out, truth);
            truth.events(run.events.all());
            for (int di = 0; di < run.days.size(); di++) {
                LocalDate day = run.days.get(di);
                if (di == 0 || (day.getDayOfMonth() == 1 && (day.getMonthValue() - 1) % 3 == 0)) {
                    run.registry.writeSnapshot(out, day);
                    run.otherFiles += 2;
                }
                for (Reporter r : Reporter.values()) {
                    generateDay(run, r, day, di);
                }
            }
            GenerationSummary summary = new GenerationSummary(seed, from, to, linesPerDay, run.lines,
                    run.writer.badRowsWritten(), run.brokenDays.size(), run.amendments, run.duplicates, run.late,
                    run.registry.size(), run.events.all().size(), run.writer.filesWritten() + run.otherFiles);
            truth.summary(summary);
            return summary;
        }
    }

    /** Broken files once per reporter per calendar year; CRLF line ends on two reporter-days. */
    private void planSpecialDays(Run run, SplittableRandom rng) {
        for (int year = from.getYear(); year <= to.getYear(); year++) {
            LocalDate a = from.isAfter(LocalDate.of(year, 1, 1)) ? from : LocalDate.of(year, 1, 1);
            LocalDate b = to.isBefore(LocalDate.of(year, 12, 31)) ? to : LocalDate.of(year, 12, 31);
            long span = a.until(b, ChronoUnit.DAYS) + 1;
            for (Reporter r : Reporter.values()) {
                run.brokenDays.add(r.name() + "|" + a.plusDays(rng.nextLong(span)));
            }
        }
        int window = Math.min(run.days.size(), 60);
        run.crlfDays.add(Reporter.KR.name() + "|" + run.days.get(rng.nextInt(window)));
        run.crlfDays.add(Reporter.US.name() + "|" + run.days.get(rng.nextInt(window)));
    }

    private static double dayOfWeekFactor(LocalDate d) {
        // Normalised so a week averages 1: customs brokers file little at weekends.
        DayOfWeek w = d.getDayOfWeek();
        double f = w == DayOfWeek.SATURDAY ? 0.45 : w == DayOfWeek.SUNDAY ? 0.25 : 1.15;
        return f / ((5 * 1.15 + 0.45 + 0.25) / 7);
    }

    private void generateDay(Run run, Reporter r, LocalDate day, int di) throws IOException {
        DeclarationFactory factory = run.factories.get(r);
        SplittableRandom rng = run.rng;
        List<CustomsRow> rows = new ArrayList<>();
        PriorityQueue<Pending> queue = run.pending.get(r);
        while (!queue.isEmpty() && !queue.peek().due().isAfter(day)) {
            rows.add(queue.poll().row());
        }
        // Every third landing day one reporter gets a scheduled bad row, rotating through the kinds, so any 30
        // days contain every kind even at tiny volumes; the random rate adds the rest.
        BadRowKind forced = null;
        if (di % 3 == 0 && Reporter.values()[(di / 3) % 3] == r) {
            forced = BadRowKind.values()[(di / 3) % BadRowKind.values().length];
        }
        int target = Pick.poisson(linesPerDay * dayOfWeekFactor(day) * factory.volumeRatio(YearMonth.from(day)),
                rng);
        if (forced != null) {
            target = Math.max(target, 1);
        }
        int produced = 0;
        while (produced < target) {
            List<CustomsRow> declaration = factory.declaration(day);
            for (CustomsRow row : declaration) {
                BadRowKind kind = null;
                if (forced != null) {
                    kind = forced;
                    forced = null;
                } else if (rng.nextDouble() < BAD_ROW_RATE) {
                    kind = BadRowKind.values()[rng.nextInt(BadRowKind.values().length)];
                }
                if (kind != null) {
                    kind.apply(row, run.rotation++, rng);
                    rows.add(row);
                    continue;
                }
                rows.add(row);
                double u = rng.nextDouble();
                CustomsRow finalState = row;
                if (u < AMENDMENT_RATE + DUPLICATE_RATE) {
                    boolean amend = u < AMENDMENT_RATE;
                    int delay = rng.nextBoolean() ? 0 : 1 + rng.nextInt(20);
                    LocalDate due = day.plusDays(delay);
                    if (!due.isAfter(to)) {
                        CustomsRow resend = amend ? factory.amend(row) : row.copy();
                        if (amend) {
                            finalState = resend;
                            run.amendments++;
                        } else {
                            run.duplicates++;
                        }
                        if (delay == 0) {
                            rows.add(resend);
                        } else {
                            queue.add(new Pending(due, run.order++, resend));
                        }
                    }
                }
                run.truth.line(finalState);
                run.lines.merge(r.name(), 1L, Long::sum);
                if (row.late) {
                    run.late++;
                }
            }
            produced += declaration.size();
        }
        writeDay(run, r, day, di, rows);
        if (run.brokenDays.contains(r.name() + "|" + day)) {
            List<CustomsRow> lost = new ArrayList<>();
            while (lost.size() < 60 + rng.nextInt(60)) {
                lost.addAll(factory.declaration(day));
            }
            run.writer.truncatedCsvGz(r, day, lost);
        }
    }

    /** Splits the day's rows over the reporter's files: the habits that make each reporter's landing differ. */
    private void writeDay(Run run, Reporter r, LocalDate day, int di, List<CustomsRow> rows) throws IOException {
        SplittableRandom rng = run.rng;
        String eol = run.crlfDays.contains(r.name() + "|" + day) ? "\r\n" : "\n";
        List<CustomsRow> csv = new ArrayList<>(rows.size());
        List<CustomsRow> side = new ArrayList<>();
        boolean jsonDay = r == Reporter.US && di % 7 == 3;
        boolean parquetDay = r == Reporter.JP && (di == 0 || day.getDayOfMonth() == 1);
        double sideShare = jsonDay ? 0.3 : parquetDay ? 0.2 : 0;
        for (CustomsRow row : rows) {
            boolean fits = row.bad == null || (jsonDay && !row.bad.structural());
            if (sideShare > 0 && fits && rng.nextDouble() < sideShare) {
                side.add(row);
            } else {
                csv.add(row);
            }
        }
        // KR sends the day in two batches now and then; everyone splits very large days.
        int parts = Math.max(1, (csv.size() + MAX_ROWS_PER_PART - 1) / MAX_ROWS_PER_PART);
        if (r == Reporter.KR && parts == 1 && csv.size() > 1 && rng.nextDouble() < 0.1) {
            parts = 2;
        }
        int per = (csv.size() + parts - 1) / parts;
        int part = 0;
        for (int start = 0; start < Math.max(1, csv.size()); start += Math.max(1, per)) {
            List<CustomsRow> chunk = csv.subList(start, Math.min(csv.size(), start + Math.max(1, per)));
            run.writer.csvGz(r, day, String.format("part-%04d.csv.gz", ++part), chunk, eol);
        }
        if (!side.isEmpty()) {
            String name = String.format("part-%04d", ++part);
            if (jsonDay) {
                run.writer.jsonl(r, day, name + ".jsonl", side);
            } else {
                run.writer.parquet(r, day, name + ".parquet", side);
            }
        }
    }
}
