package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Where the receiver's benchmark section goes in docs/benchmarks.md, so that scripts/benchmark.sh keeps it. */
class GnssBenchmarkTest {
    private static final String SECTION = GnssBenchmark.BEGIN + "\n## Receiver as the time of day\nnew\n"
            + GnssBenchmark.END;

    @Test
    void itGoesAfterThePeerBenchmarkAndBeforeTheFootprint() {
        String doc = "# Benchmarks\n\n<!-- peer-benchmark: x -->\npeer\n<!-- /peer-benchmark -->\n\n## Footprint\n\nf\n";
        assertEquals("# Benchmarks\n\n<!-- peer-benchmark: x -->\npeer\n<!-- /peer-benchmark -->\n\n" + SECTION
                + "\n\n## Footprint\n\nf\n", GnssBenchmark.replaced(doc, SECTION));
        assertEquals("# B\n\n" + SECTION + "\n\n## Footprint\n\nf\n",
                GnssBenchmark.replaced("# B\n\n## Footprint\n\nf\n", SECTION));
    }

    @Test
    void aSecondRunReplacesItsSectionAndNothingElse() {
        String old = "# B\n\ntext\n\n" + GnssBenchmark.BEGIN + "\nold\n" + GnssBenchmark.END + "\n\n## Footprint\n";
        assertEquals("# B\n\ntext\n\n" + SECTION + "\n\n## Footprint\n", GnssBenchmark.replaced(old, SECTION));
        assertEquals(GnssBenchmark.replaced(old, SECTION),
                GnssBenchmark.replaced(GnssBenchmark.replaced(old, SECTION), SECTION));
    }
}
