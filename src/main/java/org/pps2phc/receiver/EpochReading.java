package org.pps2phc.receiver;

import java.util.ArrayList;
import java.util.List;

/**
 * What one burst says, once its messages are read together: the UTC second of the pulse it describes, or why it
 * cannot say. All time messages of a burst must name the same second; any one the receiver flags invalid makes
 * the burst invalid.
 *
 * @param utcSecond   POSIX second of the pulse, or Long.MIN_VALUE
 * @param leapSecond  the burst is 23:59:60
 * @param whyNot      null when the burst names its pulse's second, else one short phrase
 * @param names       the time messages it carried ("GNRMC", "NAV-TIMEUTC")
 * @param leap        the receiver's leap-second information in this burst, or null
 * @param gpsMinusUtc GPS-UTC the receiver gave with a GPS time (valid), or Integer.MIN_VALUE
 * @param nextPulse   a TIM-TP in this burst (it describes the next pulse), or null
 */
record EpochReading(long utcSecond, boolean leapSecond, String whyNot, List<String> names,
                    ReceiverMessage.LeapInfo leap, int gpsMinusUtc, ReceiverMessage.NextPulse nextPulse) {
    static final String NO_TIME = "no time messages (enable RMC or ZDA, or UBX NAV-TIMEUTC or NAV-PVT)";

    /** @param taiMinusUtc TAI-UTC to turn a GPS time into UTC when the receiver did not say its leap seconds */
    static EpochReading of(Epoch epoch, int taiMinusUtc) {
        long utc = Long.MIN_VALUE;
        boolean leapSecond = false;
        String why = null;
        List<String> names = new ArrayList<>();
        ReceiverMessage.LeapInfo leap = null;
        ReceiverMessage.NextPulse next = null;
        int gpsMinusUtc = Integer.MIN_VALUE;
        int timeOnlySecond = -1;
        String timeOnlyName = null;
        boolean dated = false;
        for (ReceiverMessage m : epoch.messages()) {
            long second = Long.MIN_VALUE;
            String invalid = null;
            if (m instanceof ReceiverMessage.UtcTime u) {
                names.add(u.name());
                second = u.utcSecond();
                invalid = u.whyInvalid();
                leapSecond |= u.leapSecond();
            } else if (m instanceof ReceiverMessage.GpsTime g) {
                names.add(g.name());
                invalid = g.whyInvalid();
                int gpsUtc = g.gpsMinusUtc() != Integer.MIN_VALUE ? g.gpsMinusUtc() : taiMinusUtc - 19;
                second = UbxParser.gpsToPosixScale(g.gpsSecond()) - gpsUtc;
                if (g.gpsMinusUtc() != Integer.MIN_VALUE) {
                    gpsMinusUtc = g.gpsMinusUtc();
                }
            } else if (m instanceof ReceiverMessage.TimeOfDayOnly t) {
                names.add(t.name());
                invalid = t.whyInvalid();
                timeOnlySecond = t.secondOfDay();
                timeOnlyName = t.name();
            } else if (m instanceof ReceiverMessage.LeapInfo l) {
                leap = l;
            } else if (m instanceof ReceiverMessage.NextPulse p) {
                next = p;
            }
            if (invalid != null && why == null) {
                why = "time not valid: " + nameOf(m) + " " + invalid;
            }
            if (second != Long.MIN_VALUE) {
                dated = true;
                if (utc != Long.MIN_VALUE && utc != second && why == null) {
                    why = "its time messages name different seconds";
                }
                utc = utc == Long.MIN_VALUE ? second : utc;
            }
        }
        if (names.isEmpty()) {
            why = NO_TIME;
        } else if (why == null && !dated) {
            why = "time of day without a date (" + timeOnlyName + " only: enable RMC or ZDA)";
        } else if (why == null && timeOnlySecond >= 0 && secondOfDay(utc, leapSecond) != timeOnlySecond) {
            why = "its time messages name different seconds";
        }
        return new EpochReading(why == null ? utc : Long.MIN_VALUE, leapSecond, why, names, leap, gpsMinusUtc, next);
    }

    private static int secondOfDay(long utc, boolean leapSecond) {
        return leapSecond ? 86_400 : (int) Math.floorMod(utc, 86_400L);
    }

    private static String nameOf(ReceiverMessage m) {
        return m.name();
    }
}
