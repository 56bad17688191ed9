package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pps2phc.config.LoggingSettings;
import org.slf4j.LoggerFactory;

class LoggingFormatTest {
    private static LoggingEvent event(Level level, String message, boolean notice) {
        Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("pps2phc");
        LoggingEvent e = new LoggingEvent("test", logger, level, message, null, null);
        if (notice) {
            e.addMarker(Priorities.NOTICE);
        }
        return e;
    }

    @Test
    void underTheJournalEachLineCarriesItsPriorityAndNoTimestamp() {
        SyslogLayout journal = new SyslogLayout(true);
        assertEquals("<3>broken\n", journal.doLayout(event(Level.ERROR, "broken", false)));
        assertEquals("<4>careful\n", journal.doLayout(event(Level.WARN, "careful", false)));
        assertEquals("<5>state acquiring -> locked\n",
                journal.doLayout(event(Level.INFO, "state acquiring -> locked", true)));
        assertEquals("<6>ptp0 offset 3\n", journal.doLayout(event(Level.INFO, "ptp0 offset 3", false)));
        assertEquals("<7>detail\n", journal.doLayout(event(Level.DEBUG, "detail", false)));
        journal.setTag("[gm1]");
        assertEquals("<6>[gm1] tagged\n", journal.doLayout(event(Level.INFO, "tagged", false)));
    }

    @Test
    void onATerminalLinesAreTimestampedAndLabelled() {
        String line = new SyslogLayout(false).doLayout(event(Level.INFO, "state free-running -> acquiring", true));
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} notice  state free-running -> "
                + "acquiring\n"), line);
    }

    @Test
    void pulseLinesComeAtTheConfiguredLevelAndRate() {
        LoggingSettings every3rdAsNotice = new LoggingSettings(5, "", "notice", 3, 60);
        String captured = JournalCapture.of(every3rdAsNotice, control -> {
            ObservationLogger logger = new ObservationLogger("ptp0", every3rdAsNotice);
            for (int i = 0; i < 7; i++) {
                logger.observe(new org.pps2phc.core.Observation.Pulse(1, 0, 0,
                        org.pps2phc.core.PulseVerdict.ACCEPTED, 100 + i, i, 23712, org.pps2phc.core.State.LOCKED,
                        "s2"));
            }
            logger.apply(new LoggingSettings(5, "", "off", 1, 60));
            logger.observe(new org.pps2phc.core.Observation.Pulse(1, 0, 0, org.pps2phc.core.PulseVerdict.ACCEPTED,
                    200, 9, 23712, org.pps2phc.core.State.LOCKED, "s2"));
        });
        assertEquals("<5>ptp0 offset        0 s2 freq   +23712 locked\n"
                + "<5>ptp0 offset        3 s2 freq   +23712 locked\n"
                + "<5>ptp0 offset        6 s2 freq   +23712 locked\n", captured);
    }

    @Test
    void theLevelFiltersBySyslogPriorityAndChangesLive() {
        String out = JournalCapture.of(new LoggingSettings(5, "", "info", 1, 60), control -> {
            org.slf4j.Logger log = LoggerFactory.getLogger("pps2phc");
            log.info("plain info");
            log.info(Priorities.NOTICE, "a notice");
            log.warn("a warning");
            log.debug("a debug line");
            control.apply(new LoggingSettings(7, "", "info", 1, 60));
            log.debug("now debug shows");
        });
        assertEquals("<5>a notice\n<4>a warning\n<7>now debug shows\n", out);
    }
}
