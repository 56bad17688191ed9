package org.pps2phc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.Observation;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.SampleSink;

/** Every metric the alert rules and the Grafana dashboard name is one the daemon exports, by that exact name. */
class MetricNamesTest {
    private static final Pattern METRIC = Pattern.compile("\\bpps2phc_[a-z0-9_]+");

    /** The names a daemon with an output and ptp4l_update exports, its time of day untrusted: the most it has. */
    static Set<String> exported() {
        DaemonMetrics metrics = new DaemonMetrics("test", OptionalDouble.of(100));
        metrics.counting(List.of(new SampleSink() {
            @Override
            public String name() {
                return "ntpshm unit 70";
            }

            @Override
            public void publish(PhcSample sample) {
            }

            @Override
            public void withdraw() {
            }

            @Override
            public void close() {
            }
        }), () -> 0);
        metrics.ptp4l(6, true);
        metrics.observe(new Observation.TodChange(TodVerdict.untrusted("chronyd is not synchronised",
                LeapState.fixed(37, "test"), "none")));
        return Exposition.names(Exposition.text(metrics.registry()));
    }

    @Test
    void theRulesNameOnlyExportedMetrics() throws Exception {
        List<String> exprs = MonitoringFiles.ruleExpressions();
        assertEquals(9, exprs.size(), "one expression per rule: " + exprs);
        assertOnlyExported(exprs, 7);
    }

    @Test
    void theDashboardNamesOnlyExportedMetrics() throws Exception {
        List<String> exprs = MonitoringFiles.dashboardExpressions();
        assertTrue(exprs.size() >= 20, "the dashboard's queries: " + exprs);
        assertOnlyExported(exprs, 15);
    }

    private static void assertOnlyExported(List<String> exprs, int atLeast) {
        Set<String> exported = exported();
        Set<String> named = new TreeSet<>();
        for (String e : exprs) {
            Matcher m = METRIC.matcher(e);
            boolean any = e.contains("up{job=\"pps2phc\"}");
            while (m.find()) {
                named.add(m.group());
                any = true;
            }
            assertTrue(any, "names no pps2phc metric: " + e);
        }
        Set<String> unknown = new TreeSet<>(named);
        unknown.removeAll(exported);
        assertEquals(Set.of(), unknown, "named but not exported (exported: " + exported + ")");
        assertTrue(named.size() >= atLeast, "too few metrics named: " + named);
    }
}
