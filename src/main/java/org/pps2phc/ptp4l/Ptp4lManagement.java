package org.pps2phc.ptp4l;

/** The management requests pps2phc makes to ptp4l; each one waits a bounded time for its answer. */
public interface Ptp4lManagement {
    /** SET GRANDMASTER_SETTINGS_NP; returns the settings ptp4l echoes back. */
    GrandmasterSettings setGrandmasterSettings(GrandmasterSettings settings) throws Ptp4lException;

    /** GET GRANDMASTER_SETTINGS_NP: the settings ptp4l announces when it is the grandmaster. */
    GrandmasterSettings grandmasterSettings() throws Ptp4lException;

    /** GET TIME_PROPERTIES_DATA_SET: what ptp4l's Announce messages carry now. */
    TimeProperties timeProperties() throws Ptp4lException;

    /** GET DEFAULT_DATA_SET: ptp4l's own identity and clock quality. */
    DefaultDataSet defaultDataSet() throws Ptp4lException;

    /** GET PARENT_DATA_SET: the grandmaster ptp4l follows (itself when it is the grandmaster). */
    ParentDataSet parentDataSet() throws Ptp4lException;
}
