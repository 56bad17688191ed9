package org.pps2phc.ptp4l;

/**
 * The time-properties flags of GRANDMASTER_SETTINGS_NP and TIME_PROPERTIES_DATA_SET, as linuxptp packs them in one
 * byte: bit0 leap61, bit1 leap59, bit2 currentUtcOffsetValid, bit3 ptpTimescale, bit4 timeTraceable,
 * bit5 frequencyTraceable. Other bits (synchronizationUncertain) are not used by pps2phc and are ignored.
 */
public record TimeFlags(boolean leap61, boolean leap59, boolean currentUtcOffsetValid, boolean ptpTimescale,
                        boolean timeTraceable, boolean frequencyTraceable) {
    static final int LEAP_61 = 1;
    static final int LEAP_59 = 1 << 1;
    static final int UTC_OFF_VALID = 1 << 2;
    static final int PTP_TIMESCALE = 1 << 3;
    static final int TIME_TRACEABLE = 1 << 4;
    static final int FREQ_TRACEABLE = 1 << 5;

    public TimeFlags {
        if (leap61 && leap59) {
            throw new IllegalArgumentException("leap61 and leap59 cannot both be set");
        }
    }

    public int toByte() {
        return (leap61 ? LEAP_61 : 0) | (leap59 ? LEAP_59 : 0) | (currentUtcOffsetValid ? UTC_OFF_VALID : 0)
                | (ptpTimescale ? PTP_TIMESCALE : 0) | (timeTraceable ? TIME_TRACEABLE : 0)
                | (frequencyTraceable ? FREQ_TRACEABLE : 0);
    }

    /** Decodes the byte; both leap bits set (never valid) is reported as a malformed reply. */
    static TimeFlags fromByte(int b) throws MalformedReplyException {
        if ((b & LEAP_61) != 0 && (b & LEAP_59) != 0) {
            throw new MalformedReplyException(String.format("time flags 0x%02X have both leap61 and leap59 set", b));
        }
        return new TimeFlags((b & LEAP_61) != 0, (b & LEAP_59) != 0, (b & UTC_OFF_VALID) != 0,
                (b & PTP_TIMESCALE) != 0, (b & TIME_TRACEABLE) != 0, (b & FREQ_TRACEABLE) != 0);
    }

    @Override
    public String toString() {
        return "leap61 " + bit(leap61) + " leap59 " + bit(leap59) + " currentUtcOffsetValid " + bit(currentUtcOffsetValid)
                + " ptpTimescale " + bit(ptpTimescale) + " timeTraceable " + bit(timeTraceable)
                + " frequencyTraceable " + bit(frequencyTraceable);
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
