package org.pps2phc.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.pps2phc.config.LoggingSettings;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback for the daemon (programmatically, so that the journal/console choice follows the environment) and
 * changes the level and tag on reload.
 */
public final class LogControl {
    private final SyslogLayout layout;
    private final Logger root;
    private volatile int maxPriority;

    private LogControl(SyslogLayout layout, Logger root) {
        this.layout = layout;
        this.root = root;
    }

    /** True when standard error goes to the journal: systemd sets JOURNAL_STREAM for a service. */
    public static boolean underJournal(Map<String, String> env) {
        String s = env.get("JOURNAL_STREAM");
        return s != null && !s.isEmpty();
    }

    public static LogControl install(Map<String, String> env, LoggingSettings settings) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        SyslogLayout layout = new SyslogLayout(underJournal(env));
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LogControl control = new LogControl(layout, root);
        appender.addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return Priorities.of(event) <= control.maxPriority ? FilterReply.NEUTRAL : FilterReply.DENY;
            }
        });
        appender.start();
        root.addAppender(appender);
        control.apply(settings);
        return control;
    }

    /** Applies the level and tag (at start and on SIGHUP). */
    public void apply(LoggingSettings settings) {
        maxPriority = settings.syslogLevel();
        layout.setTag(settings.messageTag());
        root.setLevel(maxPriority >= Priorities.DEBUG ? Level.DEBUG
                : maxPriority >= Priorities.NOTICE_PRIORITY ? Level.INFO
                : maxPriority >= Priorities.WARNING ? Level.WARN : Level.ERROR);
    }
}
