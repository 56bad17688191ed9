package org.pps2phc.receiver;

/**
 * One message from the receiver, decoded: NMEA 0183 or UBX. Only what pairing a message with its pulse needs is
 * kept; every other well-formed message is {@link Other}.
 */
public sealed interface ReceiverMessage {
    /** The message's name for logs and {@code pps2phc tod}: "GNRMC", "NAV-TIMEUTC". */
    String name();

    /**
     * A UTC date and time of the navigation epoch (the pulse just gone): RMC, ZDA, NAV-TIMEUTC, NAV-PVT.
     *
     * @param utcSecond  POSIX seconds of that UTC second; 23:59:60 counts as the following midnight, flagged
     * @param leapSecond the time read 23:59:60
     * @param whyInvalid null when the receiver says the time is valid, else what it says (status V, no fix)
     */
    record UtcTime(String name, long utcSecond, boolean leapSecond, String whyInvalid) implements ReceiverMessage {
        public boolean valid() {
            return whyInvalid == null;
        }
    }

    /**
     * A time of day without a date (GGA, GNS), and the fix quality they carry.
     *
     * @param secondOfDay 0..86400 (86400: 23:59:60)
     */
    record TimeOfDayOnly(String name, int secondOfDay, String whyInvalid) implements ReceiverMessage {
    }

    /**
     * GPS time of the epoch (NAV-TIMEGPS): TAI without a leap table.
     *
     * @param gpsSecond   seconds since the GPS epoch (1980-01-06 00:00:00 UTC), rounded to the nearest second
     * @param gpsMinusUtc GPS-UTC in seconds, or {@link Integer#MIN_VALUE} when the receiver does not know it yet
     */
    record GpsTime(String name, long gpsSecond, int gpsMinusUtc, String whyInvalid) implements ReceiverMessage {
    }

    /**
     * Leap-second information (NAV-TIMELS), trusted only when it came from a GNSS.
     *
     * @param gpsMinusUtc  GPS-UTC now, s
     * @param fromGnss     the receiver learned it from a constellation (not its firmware default or a guess)
     * @param change       the announced change at the next leap event: -1, 0 or +1
     * @param secondsToEvent seconds from this epoch to the leap event, or Long.MIN_VALUE when not valid
     */
    record LeapInfo(String name, int gpsMinusUtc, boolean fromGnss, int change, long secondsToEvent)
            implements ReceiverMessage {
    }

    /**
     * TIM-TP: the next pulse's time and quantisation error.
     *
     * @param qErrPs     the sawtooth of the next pulse, ps (true top of second = pulse + qErr)
     * @param qErrValid  the receiver does not flag qErr invalid
     */
    record NextPulse(String name, long towMs, int week, long qErrPs, boolean qErrValid, boolean utcTimeBase)
            implements ReceiverMessage {
    }

    /** Any other well-formed message (GSV, VTG, NAV-SAT...). */
    record Other(String name) implements ReceiverMessage {
    }
}
