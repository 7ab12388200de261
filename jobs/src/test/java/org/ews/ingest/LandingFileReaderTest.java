package org.ews.ingest;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.Row;
import org.ews.testing.Landing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@org.junit.jupiter.api.extension.ExtendWith(org.ews.testing.SharedSpark.class)
class LandingFileReaderTest {
    private static final String HEADER = "declaration_id,line_no,version,flow,declaration_date,hs_code,partner_country,"
            + "trader_id,trader_name,value,currency,quantity,quantity_unit,net_weight_kg";

    @TempDir
    Path dir;

    private final LandingFileReader reader = LandingFileReader.create(org.ews.testing.SharedSpark.session(), 10);

    private List<Row> read(Path file, String reporter) {
        LandingFile f = new LandingFile(Feed.CUSTOMS, reporter, LocalDate.parse("2024-03-01"), file.toUri().toString(),
                FileFormat.of(file.getFileName().toString()));
        List<Row> rows = new ArrayList<>();
        reader.read(f).forEachRemaining(rows::add);
        return rows;
    }

    private List<Row> read(Path file) {
        return read(file, "KR");
    }

    private static Object field(Row r, String name) {
        return r.get(RawRows.schema(Feed.CUSTOMS).fieldIndex(name));
    }

    @Test
    void csvColumnsAreFoundByNameInAnyOrderCaseAndWithBomAndCrlf() {
        String csv = "\uFEFFCurrency,Value,Trader Name,partner_country,HS_CODE,declaration_date,FLOW,line_no,declaration_id,port_code\r\n"
                + "KRW,1000.50,\"Samsung Electronics Co., Ltd.\",CN,8542.31.00,2024-03-01,I,1,D1,PUS\r\n"
                + "USD,7,\"Line one\nline two\",JP,250410,2024-02-28,I,2,D1,\r\n";
        List<Row> rows = read(new Landing(dir).customs("KR", "2024-03-01", "a.csv", csv));
        assertEquals(2, rows.size());
        Row first = rows.get(0);
        assertEquals("D1", field(first, "declaration_id"));
        assertEquals("Samsung Electronics Co., Ltd.", field(first, "trader_name"));
        assertEquals("1000.50", field(first, "value"));
        assertEquals("8542.31.00", field(first, "hs_code"));
        assertNull(field(first, "version"), "a column the file lacks is null");
        assertEquals(1L, field(first, "source_row"));
        assertEquals("KR", field(first, "reporter"));
        assertEquals(java.sql.Date.valueOf("2024-03-01"), field(first, "landing_date"));
        assertEquals(Map.of("port_code", "PUS"), scala.collection.JavaConverters.mapAsJavaMapConverter(
                (scala.collection.Map<String, String>) field(first, "extra_columns")).asJava());
        assertNull(field(first, RawRows.PROBLEM_CODE));

        Row second = rows.get(1);
        assertEquals(2L, field(second, "source_row"), "a record with an embedded newline is still one record");
        assertEquals("Line one\nline two", field(second, "trader_name"));
        assertEquals("USD,7,\"Line one\nline two\",JP,250410,2024-02-28,I,2,D1,", field(second, "row_text"));
        assertNull(field(second, "extra_columns"), "an empty extra column is not kept");
    }

    @Test
    void shortAndLongRowsAreFlaggedWithTheirFieldCounts() {
        String csv = HEADER + "\nD1,1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\nD2,1,1,I,2024-03-01,250410,CN,,ACME,10\n"
                + "D3,1,1,I,2024-03-01,250410,CN,,ACME,12,3x4,KRW,,,\n";
        List<Row> rows = read(new Landing(dir).customs("KR", "2024-03-01", "a.csv", csv));
        assertEquals(3, rows.size());
        assertNull(field(rows.get(0), RawRows.PROBLEM_CODE));
        assertEquals("short_row", field(rows.get(1), RawRows.PROBLEM_CODE));
        assertEquals("row has 10 fields, header has 14", field(rows.get(1), RawRows.PROBLEM));
        assertEquals("long_row", field(rows.get(2), RawRows.PROBLEM_CODE));
        assertEquals("row has 15 fields, header has 14", field(rows.get(2), RawRows.PROBLEM));
        assertEquals("D3,1,1,I,2024-03-01,250410,CN,,ACME,12,3x4,KRW,,,", field(rows.get(2), "row_text"));
        assertEquals(3L, field(rows.get(2), "source_row"));
    }

    @Test
    void headerWithoutARequiredColumnRejectsTheWholeFileNamingTheColumn() {
        String csv = "declaration_id,line_no,flow,declaration_date,hs_code,partner_country,trader_name,currency\nD1,1,I,2024-03-01,250410,CN,A,KRW\n";
        List<Row> rows = read(new Landing(dir).customs("KR", "2024-03-01", "a.csv", csv));
        assertEquals(1, rows.size());
        assertEquals("missing_column", field(rows.get(0), RawRows.PROBLEM_CODE));
        assertTrue(((String) field(rows.get(0), RawRows.PROBLEM)).startsWith("header lacks required column(s) value "),
                (String) field(rows.get(0), RawRows.PROBLEM));
        assertNull(field(rows.get(0), "source_row"), "a file-level entry has no row number");
    }

    @Test
    void semicolonSeparatedFileIsRejectedWithAHint() {
        List<Row> rows = read(new Landing(dir).customs("KR", "2024-03-01", "a.csv", HEADER.replace(',', ';') + "\n"));
        assertEquals("missing_column", field(rows.get(0), RawRows.PROBLEM_CODE));
        assertTrue(((String) field(rows.get(0), RawRows.PROBLEM)).endsWith("does not look comma-separated"));
    }

    @Test
    void anUnclosedQuoteCostsOneRowNotTheRestOfTheFile() {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        csv.append("D0,1,1,I,2024-03-01,250410,CN,,\"ACME Co,10,KRW,,,\n");          // quote never closes
        for (int i = 1; i <= 49; i++) {
            csv.append("D").append(i).append(",1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\n");
        }
        csv.append("E1,1,1,I,2024-03-01,250410,CN,,\"Two\nlines\",10,KRW,,,\n");       // a legitimate multi-line field
        List<Row> rows = read(new Landing(dir).customs("KR", "2024-03-01", "a.csv", csv.toString()));
        assertEquals(51, rows.size(), "1 bad row, 49 good ones, 1 multi-line record");
        assertEquals("unbalanced_quote", field(rows.get(0), RawRows.PROBLEM_CODE));
        assertEquals("D0,1,1,I,2024-03-01,250410,CN,,\"ACME Co,10,KRW,,,", field(rows.get(0), "row_text"));
        for (int i = 1; i <= 49; i++) {
            assertNull(field(rows.get(i), RawRows.PROBLEM_CODE), "row " + i);
            assertEquals("D" + i, field(rows.get(i), "declaration_id"));
            assertEquals((long) i + 1, field(rows.get(i), "source_row"));
        }
        assertEquals("Two\nlines", field(rows.get(50), "trader_name"));
        assertNull(field(rows.get(50), RawRows.PROBLEM_CODE));
    }

    @Test
    void aQuoteInsideAnUnquotedValueIsAPlainCharacter() {
        String csv = HEADER + "\nD1,1,1,I,2024-03-01,250410,CN,,Pipe 12\" x 4,10,KRW,,,\n"
                + "D2,1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\n"
                + "D3,1,1,I,2024-03-01,250410,CN,,Bolt 3\" long,10,KRW,,,\n"
                + "D4,1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\n";
        List<Row> rows = read(new Landing(dir).customs("KR", "2024-03-01", "a.csv", csv));
        assertEquals(List.of("D1", "D2", "D3", "D4"), rows.stream().map(r -> (String) field(r, "declaration_id")).toList());
        assertEquals("Pipe 12\" x 4", field(rows.get(0), "trader_name"));
        assertEquals(List.of(1L, 2L, 3L, 4L), rows.stream().map(r -> (Long) field(r, "source_row")).toList());
        rows.forEach(r -> assertNull(field(r, RawRows.PROBLEM_CODE)));
    }

    @Test
    void lineEndsInsideQuotedValuesAreKeptAsReceived() {
        String csv = HEADER + "\r\nD1,1,1,I,2024-03-01,250410,CN,,\"Line one\r\nline two\",10,KRW,,,\r\n"
                + "D2,1,1,I,2024-03-01,250410,CN,,\"He said \"\"no\"\"\",10,KRW,,,\r\n";
        List<Row> rows = read(new Landing(dir).customs("KR", "2024-03-01", "a.csv", csv));
        assertEquals(2, rows.size());
        assertEquals("Line one\r\nline two", field(rows.get(0), "trader_name"));
        assertEquals("D1,1,1,I,2024-03-01,250410,CN,,\"Line one\r\nline two\",10,KRW,,,", field(rows.get(0), "row_text"));
        assertEquals("He said \"no\"", field(rows.get(1), "trader_name"));
        assertEquals("KRW", field(rows.get(1), "currency"), "the CRLF line end is not part of the last value");
        assertNull(field(rows.get(1), "net_weight_kg"));
    }

    @Test
    void quoteStateFollowsTheParsersRule() {
        assertFalse(LandingFileReader.CsvRows.endsInsideQuotes("a,b,c", false));
        assertTrue(LandingFileReader.CsvRows.endsInsideQuotes("a,\"b", false), "a quote at a field's start opens it");
        assertFalse(LandingFileReader.CsvRows.endsInsideQuotes("a,b\"c", false), "a quote inside a value is literal");
        assertFalse(LandingFileReader.CsvRows.endsInsideQuotes("a,\"b\"\"c\",d", false), "\"\" is an escaped quote");
        assertTrue(LandingFileReader.CsvRows.endsInsideQuotes("a,\"b\"\"", false), "an escaped quote does not close");
        assertFalse(LandingFileReader.CsvRows.endsInsideQuotes("still inside\",x", true), "a continuation line can close");
        assertTrue(LandingFileReader.CsvRows.endsInsideQuotes("still, inside", true));
    }

    @Test
    void aQuoteAtTheEndOfTheFileNeverSwallowsValidRowsBeforeIt() {
        String csv = HEADER + "\nD1,1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\nD2,1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\"x\n";
        List<Row> rows = read(new Landing(dir).customs("KR", "2024-03-01", "a.csv", csv));
        assertEquals(2, rows.size());
        assertNull(field(rows.get(0), RawRows.PROBLEM_CODE));
        assertEquals("unbalanced_quote", field(rows.get(1), RawRows.PROBLEM_CODE));
    }

    @Test
    void aFieldTooLongToParseCostsItsRowOnly() {
        String huge = "x".repeat(100_001);
        String csv = HEADER + "\nD1,1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\nD2,1,1,I,2024-03-01,250410,CN,," + huge
                + ",10,KRW,,,\nD3,1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\n";
        List<Row> rows = read(new Landing(dir).customs("KR", "2024-03-01", "a.csv", csv));
        assertEquals(3, rows.size());
        assertNull(field(rows.get(0), RawRows.PROBLEM_CODE));
        assertEquals("unparsable_row", field(rows.get(1), RawRows.PROBLEM_CODE));
        assertEquals(2L, field(rows.get(1), "source_row"));
        assertEquals("D3", field(rows.get(2), "declaration_id"));
        assertEquals(3L, field(rows.get(2), "source_row"));
    }

    @Test
    void headerProblems() {
        Landing l = new Landing(dir);
        Row duplicate = read(l.customs("KR", "2024-03-01", "dup.csv", HEADER + ",value\n")).get(0);
        assertEquals("bad_header", field(duplicate, RawRows.PROBLEM_CODE));
        assertEquals("column 'value' appears twice in the header", field(duplicate, RawRows.PROBLEM));
        Row unnamed = read(l.customs("KR", "2024-03-01", "unnamed.csv", HEADER + ",\n")).get(0);
        assertEquals("bad_header", field(unnamed, RawRows.PROBLEM_CODE));
    }

    @Test
    void emptyFileAndHeaderOnlyFile() {
        Landing l = new Landing(dir);
        List<Row> empty = read(l.customs("KR", "2024-03-01", "empty.csv", ""));
        assertEquals(1, empty.size());
        assertEquals("empty_file", field(empty.get(0), RawRows.PROBLEM_CODE));
        assertEquals(0, read(l.customs("KR", "2024-03-01", "header.csv", HEADER + "\n")).size(), "a header alone is zero rows");
    }

    @Test
    void truncatedGzipIsOneEntryAndNoneOfItsRows() {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= 3000; i++) {
            csv.append("D").append(i).append(",1,1,I,2024-03-01,250410,CN,,Trader ").append(i).append(",").append(i).append(",KRW,,,\n");
        }
        Landing l = new Landing(dir);
        List<Row> whole = read(l.customsGzip("KR", "2024-03-01", "whole.csv.gz", csv.toString(), 0));
        assertEquals(3000, whole.size());
        assertEquals(3000L, field(whole.get(2999), "source_row"));

        List<Row> cut = read(l.customsGzip("KR", "2024-03-01", "cut.csv.gz", csv.toString(), 5000));
        assertEquals(1, cut.size());
        assertEquals("unreadable_file", field(cut.get(0), RawRows.PROBLEM_CODE));
        assertTrue(((String) field(cut.get(0), RawRows.PROBLEM)).startsWith("truncated gzip"));
    }

    @Test
    void plainTextNamedGzIsUnreadable() {
        List<Row> rows = read(new Landing(dir).customs("KR", "2024-03-01", "x.csv.gz", HEADER + "\n"));
        assertEquals("unreadable_file", field(rows.get(0), RawRows.PROBLEM_CODE));
        assertTrue(((String) field(rows.get(0), RawRows.PROBLEM)).startsWith("not a gzip file"));
    }

    @Test
    void bytesThatAreNotUtf8FlagTheRowOnly() throws IOException {
        Path p = new Landing(dir).customs("KR", "2024-03-01", "latin1.csv", "");
        byte[] head = (HEADER + "\nD1,1,1,I,2024-03-01,250410,CN,,M").getBytes();
        byte[] tail = "ller GmbH,10,EUR,,,\nD2,1,1,I,2024-03-01,250410,CN,,OK,10,EUR,,,\n".getBytes();
        byte[] all = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xFC; // 'ü' in Latin-1, invalid alone in UTF-8
        System.arraycopy(tail, 0, all, head.length + 1, tail.length);
        Files.write(p, all);
        List<Row> rows = read(p);
        assertEquals("invalid_encoding", field(rows.get(0), RawRows.PROBLEM_CODE));
        assertNull(field(rows.get(1), RawRows.PROBLEM_CODE));
    }

    @Test
    void jsonLinesKeepNumbersExactlyAndNumberLines() {
        String jsonl = "{\"declaration_id\":\"J1\",\"line_no\":1,\"value\":123.4500,\"Trader Name\":\"X\",\"meta\":{\"a\":1}}\n"
                + "\n"
                + "not json\n"
                + "[1,2]\n";
        List<Row> rows = read(new Landing(dir).customs("US", "2024-03-01", "a.jsonl", jsonl), "US");
        assertEquals(3, rows.size());
        assertEquals("123.4500", field(rows.get(0), "value"));
        assertEquals("1", field(rows.get(0), "line_no"));
        assertEquals("X", field(rows.get(0), "trader_name"));
        assertEquals(1L, field(rows.get(0), "source_row"));
        assertEquals("unparsable_json", field(rows.get(1), RawRows.PROBLEM_CODE));
        assertEquals(3L, field(rows.get(1), "source_row"), "line numbers count the blank line");
        assertEquals("line is not a JSON object", field(rows.get(2), RawRows.PROBLEM));
    }

    @Test
    void parquetValuesOfAnyTypeBecomeText() throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType("message line { "
                + "required binary declaration_id (UTF8); required int32 line_no; required binary flow (UTF8); "
                + "required int32 declaration_date (DATE); required binary hs_code (UTF8); "
                + "required binary partner_country (UTF8); required binary trader_name (UTF8); "
                + "required int64 value (DECIMAL(18,2)); required binary currency (UTF8); optional binary trader_id (UTF8); }");
        Path p = dir.resolve("customs/reporter=JP/date=2024-03-01/p.parquet");
        Files.createDirectories(p.getParent());
        Configuration conf = new Configuration();
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(p.toUri()))
                .withType(schema).withConf(conf).build()) {
            SimpleGroupFactory g = new SimpleGroupFactory(schema);
            w.write(g.newGroup().append("declaration_id", "P1").append("line_no", 3).append("flow", "I")
                    .append("declaration_date", (int) LocalDate.parse("2024-02-29").toEpochDay())
                    .append("hs_code", "370790").append("partner_country", "JP").append("trader_name", "JSR")
                    .append("value", 123456L).append("currency", "JPY"));
        }
        List<Row> rows = read(p, "JP");
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("3", field(r, "line_no"));
        assertEquals("2024-02-29", field(r, "declaration_date"));
        assertEquals("1234.56", field(r, "value"));
        assertNull(field(r, "trader_id"));
        assertEquals(1L, field(r, "source_row"));
    }

    @Test
    void corruptParquetIsOneEntry() throws IOException {
        Path p = new Landing(dir).customs("JP", "2024-03-01", "bad.parquet", "PAR1 this is not parquet PAR1");
        List<Row> rows = read(p, "JP");
        assertEquals(1, rows.size());
        assertEquals("unreadable_file", field(rows.get(0), RawRows.PROBLEM_CODE));
    }

    @Test
    void unsupportedFormatAndBadReporterFolderAreRejected() {
        Landing l = new Landing(dir);
        assertEquals("unsupported_format", field(read(l.customs("KR", "2024-03-01", "a.xlsx", "x")).get(0), RawRows.PROBLEM_CODE));
        assertEquals("bad_reporter", field(read(l.customs("Korea", "2024-03-01", "a.csv", HEADER + "\n"), "Korea").get(0),
                RawRows.PROBLEM_CODE));
    }

    /** The fast split gives what RFC 4180 parsing gives; anything unusual is left to the parser (null). */
    @Test
    void recordsSplitLikeTheParserAndTrickyOnesAreLeftToIt() {
        assertArrayEquals(new String[]{"D1", "1", null, "I", " spaced ", null}, LandingFileReader.CsvRows.splitPlain("D1,1,,I, spaced ,"));
        assertArrayEquals(new String[]{null, null}, LandingFileReader.CsvRows.splitPlain(","));
        assertArrayEquals(new String[]{"a;b;c"}, LandingFileReader.CsvRows.splitPlain("a;b;c"));
        assertArrayEquals(new String[]{"D1", "Acme, Inc", "say \"hi\"", null, "x\ny", null},
                LandingFileReader.CsvRows.splitPlain("D1,\"Acme, Inc\",\"say \"\"hi\"\"\",\"\",\"x\ny\","));
        assertNull(LandingFileReader.CsvRows.splitPlain("D1,ab\"c,3"), "a quote inside an unquoted value");
        assertNull(LandingFileReader.CsvRows.splitPlain("D1,\"ab\"c,3"), "text after a closing quote");
        assertNull(LandingFileReader.CsvRows.splitPlain("D1, \"ab\",3"), "a quote after a space");
        assertNull(LandingFileReader.CsvRows.splitPlain("D1,\"never closes"), "a quote that does not close");
        assertNull(LandingFileReader.CsvRows.splitPlain("# a comment"), "the parser's comment marker");
        assertNull(LandingFileReader.CsvRows.splitPlain("\uFEFFD1,2"), "a byte-order mark");
        assertNull(LandingFileReader.CsvRows.splitPlain("D1\t,2"), "control characters");
        assertNull(LandingFileReader.CsvRows.splitPlain(",".repeat(4096)), "more columns than the parser allows");
        assertNotNull(LandingFileReader.CsvRows.splitPlain(",".repeat(4095)), "exactly as many columns as it allows");
        assertNull(LandingFileReader.CsvRows.splitPlain(""));
    }

    /** Wherever the fast split answers, univocity's parser (with the reader's settings) answers the same. */
    @Test
    void theFastSplitAgreesWithTheParserWhereverItAnswers() {
        com.univocity.parsers.csv.CsvParser parser =
                new com.univocity.parsers.csv.CsvParser(LandingFileReader.CsvRows.parserSettings());
        List<String> records = List.of("a,b,c", ",,", "a,", ",a", "\"a,b\",c", "\"\"", "\"\",x", "x,\"\"",
                "\"a\"\"b\",\"\"\"\"\"\"", " a , b ", "\"  \",\" x \"", "\"line\nbreak\",\"cr\r\"",
                "Samsung Electronics Co.,\"Samsung Electronics Co., Ltd.\",KRW,1000.50", "\u00e9t\u00e9,\uD55C\uAD6D,\uFFFD");
        for (String r : records) {
            String[] fast = LandingFileReader.CsvRows.splitPlain(r);
            assertNotNull(fast, r);
            List<String[]> parsed = parser.parseAll(new java.io.StringReader(r));
            assertEquals(1, parsed.size(), r);
            assertArrayEquals(parsed.get(0), fast, r);
        }
    }

    /** A file read through the fast split and one read through the parser hold the same rows. */
    @Test
    void quoteFreeAndQuotedFilesOfTheSameRowsReadAlike() {
        String plain = HEADER + "\nD1,1,1,I,2024-02-01,854231,CN,T1,Acme Ltd,100.5,USD,,,3\nD1,2,,X,2024-02-02,850760,JP,,Beta,7,KRW,1,u,\n";
        String quoted = HEADER + "\n\"D1\",1,1,I,2024-02-01,854231,CN,T1,\"Acme Ltd\",100.5,USD,,,3\n"
                + "D1,\"2\",,X,2024-02-02,850760,JP,,Beta,7,KRW,1,u,\"\"\n";
        List<Row> a = read(new Landing(dir).customs("KR", "2024-03-01", "plain.csv", plain));
        List<Row> b = read(new Landing(dir).customs("KR", "2024-03-01", "quoted.csv", quoted));
        assertEquals(2, a.size());
        for (String c : List.of("declaration_id", "line_no", "version", "flow", "trader_id", "trader_name", "value",
                "quantity", "quantity_unit", "net_weight_kg", "problem_code")) {
            assertEquals(field(b.get(0), c), field(a.get(0), c), c);
            assertEquals(field(b.get(1), c), field(a.get(1), c), c);
        }
        assertNull(field(a.get(1), "version"));
        assertNull(field(a.get(1), "net_weight_kg"));
        assertEquals("Acme Ltd", field(a.get(0), "trader_name"));
    }
}
