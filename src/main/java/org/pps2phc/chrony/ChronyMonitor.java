package org.pps2phc.chrony;

import java.util.List;

/** The monitoring questions pps2phc asks chronyd; {@link CmdmonClient} asks them over UDP. */
public interface ChronyMonitor extends AutoCloseable {
    TrackingReport tracking() throws ChronyException;

    List<SourceReport> sources() throws ChronyException;

    /** Where chronyd is asked, for messages: "127.0.0.1:323". */
    String serverName();

    /** Lets go of what the questions are asked through (a socket); nothing by default. */
    @Override
    default void close() {
    }
}
