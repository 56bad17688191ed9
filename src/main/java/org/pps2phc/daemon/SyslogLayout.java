package org.pps2phc.daemon;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One log line per event. Under systemd (journal mode) each line starts with its syslog priority as {@code <N>} and
 * has no timestamp (the journal adds its own); on a terminal a line reads "2026-11-21 09:40:00.123 notice  text".
 */
final class SyslogLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final boolean journal;
    private volatile String tag = "";

    SyslogLayout(boolean journal) {
        this.journal = journal;
    }

    void setTag(String tag) {
        this.tag = tag.isEmpty() ? "" : tag + " ";
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        int priority = Priorities.of(event);
        String prefix = journal ? "<" + priority + ">"
                : TIME.format(Instant.ofEpochMilli(event.getTimeStamp())) + " "
                + String.format("%-8s", Priorities.label(priority));
        StringBuilder sb = new StringBuilder(128);
        sb.append(prefix).append(tag).append(event.getFormattedMessage()).append('\n');
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            // Only our own bugs carry a throwable; each line keeps the priority so the journal files it together.
            for (String line : ThrowableProxyUtil.asString(t).split("\n")) {
                sb.append(journal ? "<" + priority + ">" : "    ").append(line.replace("\t", "    ")).append('\n');
            }
        }
        return sb.toString();
    }
}
