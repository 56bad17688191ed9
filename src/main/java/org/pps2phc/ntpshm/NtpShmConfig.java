package org.pps2phc.ntpshm;

/**
 * Where and how to publish samples in the NTP SHM refclock segment.
 *
 * @param unit        the SHM unit, as in chrony's {@code refclock SHM <unit>} and ntpd's {@code refclock shm unit <unit>}
 * @param permissions the mode given to the segment when pps2phc creates it (0600 unless only another user may read)
 * @param timescale   UTC (default) or TAI (for chrony's {@code tai} option)
 */
public record NtpShmConfig(int unit, int permissions, Timescale timescale) {
    /** "NTP0": the key of unit 0. */
    public static final int BASE_KEY = 0x4E545030;
    public static final int DEFAULT_PERMISSIONS = 0600;
    public static final int MAX_UNIT = 255;

    public NtpShmConfig {
        if (unit < 0 || unit > MAX_UNIT) {
            throw new IllegalArgumentException("NTP SHM unit " + unit + " is out of range 0.." + MAX_UNIT);
        }
        if ((permissions & ~0777) != 0 || (permissions & 0600) != 0600) {
            throw new IllegalArgumentException(String.format(
                    "NTP SHM permissions %04o: must be octal 0600..0777 with read and write for the owner", permissions));
        }
        if (timescale == null) {
            throw new IllegalArgumentException("timescale is required");
        }
    }

    public NtpShmConfig(int unit) {
        this(unit, DEFAULT_PERMISSIONS, Timescale.UTC);
    }

    public static int key(int unit) {
        return BASE_KEY + unit;
    }

    public int key() {
        return key(unit);
    }
}
