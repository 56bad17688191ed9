package org.pps2phc.config;

/**
 * The NTP outputs, for the SHM and SOCK sinks.
 *
 * @param shmUnit  NTP SHM unit, or -1 for no SHM output
 * @param shmPerm  permission bits of the segment
 * @param shmTai   true: the segment carries TAI, false: UTC
 * @param sockPath chrony SOCK refclock path, or "" for none
 */
public record OutputSettings(int shmUnit, int shmPerm, boolean shmTai, String sockPath) {
    public boolean shmEnabled() {
        return shmUnit >= 0;
    }

    public boolean sockEnabled() {
        return !sockPath.isEmpty();
    }
}
