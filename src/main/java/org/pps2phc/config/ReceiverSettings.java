package org.pps2phc.config;

import java.util.Optional;

/**
 * The GNSS receiver as the time of day (ts2phc.tod_source nmea), for the receiver adapter.
 *
 * @param enabled     ts2phc.tod_source is nmea
 * @param gpsd        ts2phc.tod_source is gpsd, at {@code gpsdAddress} (gpsd_address)
 * @param crossCheck  tod_cross_check: chronyd checks the receiver's time of day
 * @param ubxSetup    ubx_setup: the RAM-only set-up is sent on each open of the serial port
 * @param serialPort  ts2phc.nmea_serialport
 * @param baud        ts2phc.nmea_baudrate
 * @param remote      ts2phc.nmea_remote_host and _port, when both are set: TCP instead of the serial port
 * @param nmeaDelayNs ts2phc.nmea_delay
 * @param qErrCorrection qerr_correction
 */
public record ReceiverSettings(boolean enabled, String serialPort, int baud, Optional<Remote> remote,
                               long nmeaDelayNs, boolean qErrCorrection, boolean gpsd, String gpsdAddress,
                               boolean crossCheck, boolean ubxSetup) {
    /** A TCP source. */
    public record Remote(String host, int port) {
    }

    /** These settings with qerr_correction as given. */
    public ReceiverSettings withQErrCorrection(boolean on) {
        return new ReceiverSettings(enabled, serialPort, baud, remote, nmeaDelayNs, on, gpsd, gpsdAddress, crossCheck,
                ubxSetup);
    }

    /** The port as messages name it. */
    public String portName() {
        return remote.map(r -> (r.host().contains(":") ? "[" + r.host() + "]" : r.host()) + ":" + r.port())
                .orElse(serialPort);
    }
}
