package org.ews.generate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** firstDeclaration moves the ids' numbers and nothing else (what the benchmark's new day relies on). */
class DeclarationNumberingTest {
    private static List<String[]> lines(Path out, long first) {
        LandingGenerator.builder().out(out).from(LocalDate.of(2025, 12, 30)).to(LocalDate.of(2025, 12, 31)).linesPerDay(40).seed(5)
                .referenceDir(LandingGeneratorTest.REFERENCE).firstDeclaration(first).build().run();
        List<String[]> t = LandingFiles.csvGz(out.resolve("truth/lines.csv.gz"));
        return t.subList(1, t.size());
    }

    @Test
    void idsCountFromTheFirstNumberAndEverythingElseStays(@TempDir Path dir) {
        List<String[]> plain = lines(dir.resolve("a"), 1);
        List<String[]> moved = lines(dir.resolve("b"), 10_000_000);
        assertEquals(plain.size(), moved.size());
        assertTrue(plain.size() > 100, "too few lines to say anything: " + plain.size());
        int id = LandingColumns.TRUTH_LINES.indexOf("declaration_id");
        Set<String> before = new HashSet<>();
        plain.forEach(r -> before.add(r[id]));
        // KR 045-25-0000012M, US FIL-0000012-3, JP 1450000012: the longest digit run is the number
        Pattern digits = Pattern.compile("\\d{7,}");
        for (int i = 0; i < plain.size(); i++) {
            String[] a = plain.get(i);
            String[] b = moved.get(i);
            for (int c = 0; c < a.length; c++) {
                if (c != id) {
                    assertEquals(a[c], b[c], "column " + LandingColumns.TRUTH_LINES.get(c) + " of line " + i);
                }
            }
            assertFalse(before.contains(b[id]), b[id] + " is also an id of the zone numbered from 1");
            Matcher m = digits.matcher(b[id]);
            assertTrue(m.find(), b[id]);
            String number = m.group();
            long n = Long.parseLong(number.length() > 8 ? number.substring(number.length() - 8) : number); // JP: office digits first
            assertTrue(n >= 10_000_000 && n < 10_100_000, b[id] + " numbered " + n);
        }
        assertThrows(IllegalArgumentException.class, () -> LandingGenerator.builder().out(dir).from(LocalDate.of(2025, 1, 1))
                .to(LocalDate.of(2025, 1, 1)).referenceDir(LandingGeneratorTest.REFERENCE).firstDeclaration(0).build());
    }
}
