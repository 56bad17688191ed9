package org.pps2phc.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL expressions of the shipped alert rules and Grafana dashboard, for the tests that check them. */
public final class MonitoringFiles {
    public static final Path RULES = Path.of("conf/prometheus/pps2phc-rules.yml");
    public static final Path DASHBOARD = Path.of("conf/grafana/pps2phc.json");
    private static final Pattern RULE_EXPR = Pattern.compile("(?m)^\\s+expr: (\\|\\n(?:\\s{10,}.*\\n)+|.*)");
    private static final Pattern DASHBOARD_EXPR =
            Pattern.compile("\"(?:expr|definition)\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    private MonitoringFiles() {
    }

    public static List<String> ruleExpressions() throws Exception {
        List<String> exprs = new ArrayList<>();
        Matcher m = RULE_EXPR.matcher(Files.readString(RULES));
        while (m.find()) {
            exprs.add(m.group(1).replace("|\n", "").strip());
        }
        return exprs;
    }

    /** Every "expr" of the dashboard's panels, and its variable's query ("definition"). */
    public static List<String> dashboardExpressions() throws Exception {
        List<String> exprs = new ArrayList<>();
        Matcher m = DASHBOARD_EXPR.matcher(Files.readString(DASHBOARD));
        while (m.find()) {
            exprs.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return exprs;
    }
}
