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

    /** "<0>" ... "<7>": a journal line's priority prefix, made once. */
    private static final String[] JOURNAL_PREFIX = {"<0>", "<1>", "<2>", "<3>", "<4>", "<5>", "<6>", "<7>"};
    /** A builder's capacity beyond which it is not kept for the next line (a stack trace made it grow). */
    private static final int KEPT_CAPACITY = 1024;

    private final boolean journal;
    private volatile String tag = "";
    /**
     * One builder per logging thread (the event loop writes a line a pulse), reused for its next line: Logback may
     * lay out lines of several threads at once.
     */
    private final ThreadLocal<StringBuilder> builders = ThreadLocal.withInitial(() -> new StringBuilder(256));

    SyslogLayout(boolean journal) {
        this.journal = journal;
    }

    void setTag(String tag) {
        this.tag = tag.isEmpty() ? "" : tag + " ";
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        int priority = Priorities.of(event);
        StringBuilder sb = builders.get();
        sb.setLength(0);
        if (journal) {
            sb.append(journalPrefix(priority));
        } else {
            sb.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ')
                    .append(String.format("%-8s", Priorities.label(priority)));
        }
        sb.append(tag).append(event.getFormattedMessage()).append('\n');
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            // Only our own bugs carry a throwable; each line keeps the priority so the journal files it together.
            for (String line : ThrowableProxyUtil.asString(t).split("\n")) {
                sb.append(journal ? journalPrefix(priority) : "    ").append(line.replace("\t", "    ")).append('\n');
            }
        }
        String text = sb.toString();
        if (sb.capacity() > KEPT_CAPACITY) {
            builders.remove();
        }
        return text;
    }

    private static String journalPrefix(int priority) {
        return priority >= 0 && priority < JOURNAL_PREFIX.length ? JOURNAL_PREFIX[priority] : "<" + priority + ">";
    }
}
