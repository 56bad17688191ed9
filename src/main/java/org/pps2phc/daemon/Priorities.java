package org.pps2phc.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Syslog priorities for log lines. SLF4J has no NOTICE level, so a notice is an INFO line with the {@link #NOTICE}
 * marker; journald then files it at priority 5, which {@code journalctl -p notice} selects.
 */
public final class Priorities {
    /** Marks an INFO line as a syslog notice (state changes and other events an operator wants to see). */
    public static final Marker NOTICE = MarkerFactory.getMarker("NOTICE");

    public static final int ERR = 3;
    public static final int WARNING = 4;
    public static final int NOTICE_PRIORITY = 5;
    public static final int INFO = 6;
    public static final int DEBUG = 7;

    private Priorities() {
    }

    public static int of(ILoggingEvent event) {
        Level level = event.getLevel();
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return ERR;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return WARNING;
        }
        if (level.isGreaterOrEqual(Level.INFO)) {
            return isNotice(event) ? NOTICE_PRIORITY : INFO;
        }
        return DEBUG;
    }

    private static boolean isNotice(ILoggingEvent event) {
        if (event.getMarkerList() == null) {
            return false;
        }
        for (Marker m : event.getMarkerList()) {
            if (m.contains(NOTICE)) {
                return true;
            }
        }
        return false;
    }

    /** The short name shown in console lines. */
    public static String label(int priority) {
        return switch (priority) {
            case 0, 1, 2, ERR -> "error";
            case WARNING -> "warning";
            case NOTICE_PRIORITY -> "notice";
            case INFO -> "info";
            default -> "debug";
        };
    }
}
