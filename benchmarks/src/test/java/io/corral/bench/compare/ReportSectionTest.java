package io.corral.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportSectionTest {
    private final ReportSection a = new ReportSection("a-compare", ReportSectionTest.class);
    private final ReportSection b = new ReportSection("b-compare", ReportSectionTest.class);

    @Test
    void appendsWhenAbsentThenReplacesInPlace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("RESULTS.md");
        Files.writeString(file, "# Results\n\nmain table\n");
        a.write(file, a.wrap("## A\n\nfirst"));
        b.write(file, b.wrap("## B\n\nonly"));
        a.write(file, a.wrap("## A\n\nsecond"));

        String text = Files.readString(file);
        assertThat(text).startsWith("# Results\n\nmain table\n\n" + a.begin);
        assertThat(text).contains("second").doesNotContain("first");
        assertThat(text.indexOf(a.begin)).isLessThan(text.indexOf(b.begin));
        assertThat(text).endsWith(b.end + "\n");
        assertThat(text.indexOf(a.begin)).isEqualTo(text.lastIndexOf(a.begin)); // replaced, not added again
    }

    @Test
    void theTopIsReplacedAndEverythingFromTheFirstSectionOnKept() {
        String rest = a.wrap("## A\n\nx") + "\n## Written by hand\n\nnotes\n\n" + b.wrap("## B\n\ny") + "trailing\n";
        String text = "# Results\n\nold table\n<!-- a comment, no section -->\n\n## Old targets\n\n" + rest;

        assertThat(ReportSection.keepingSectionsOf(text, "# Results\n\nnew table\n"))
                .isEqualTo("# Results\n\nnew table\n\n" + rest);
        assertThat(ReportSection.keepingSectionsOf("# Results\n\nold table\n", "# Results\n\nnew\n"))
                .isEqualTo("# Results\n\nnew\n");
        assertThat(ReportSection.keepingSectionsOf(rest, "top")).isEqualTo("top\n\n" + rest);
    }

    @Test
    void theClientSectionKeepsItsMarkers() {
        assertThat(ReportSection.CLIENT_COMPARE.begin)
                .isEqualTo("<!-- client-compare:begin (written by io.corral.bench.compare.ClientCompare) -->");
        assertThat(ReportSection.CLIENT_COMPARE.end).isEqualTo("<!-- client-compare:end -->");
    }
}
