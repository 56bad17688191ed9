package org.pps2phc.ntpshm;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.port.SampleSink;
import org.pps2phc.os.UnixDatagramSocket;
import org.pps2phc.os.UnixDatagramSocket.UnixSocketException;

/**
 * Sends PHC samples to chrony's SOCK refclock: one 40-byte datagram per sample from an unbound AF_UNIX socket, to the
 * path chronyd binds. chronyd may be stopped or restarting: then each sample is tried again (by path, so a new socket
 * inode is found), and the listener hears of it once, when the state changes, not once per sample.
 */
public final class ChronySockSink implements SampleSink {
    private final ChronySockConfig config;
    private final UnixDatagramSocket socket;
    private final Consumer<SinkStatus> onStatusChange;
    /** Written by the publishing thread, read by status queries. */
    private volatile SinkStatus status;
    private long sent;

    private ChronySockSink(ChronySockConfig config, UnixDatagramSocket socket, Consumer<SinkStatus> onStatusChange) {
        this.config = config;
        this.socket = socket;
        this.onStatusChange = onStatusChange;
        this.status = new SinkStatus(false, "chrony SOCK " + config.socketPath() + ": no sample sent yet");
    }

    /**
     * @param onStatusChange told each time samples start or stop reaching chronyd (with the reason); the daemon logs it
     * @throws IOException when no AF_UNIX socket can be created at all
     */
    public static ChronySockSink open(ChronySockConfig config, Consumer<SinkStatus> onStatusChange) throws IOException {
        return new ChronySockSink(config, UnixDatagramSocket.unbound(), onStatusChange);
    }

    @Override
    public String name() {
        return "chrony SOCK " + config.socketPath();
    }

    public ChronySockConfig config() {
        return config;
    }

    /** The last sample reached chronyd's socket. */
    public boolean connected() {
        return status.delivering();
    }

    public SinkStatus status() {
        return status;
    }

    /** Why the last sample did not reach chronyd, if it did not. */
    public Optional<String> lastError() {
        return status.delivering() ? Optional.empty() : Optional.of(status.detail());
    }

    /** Datagrams delivered since open. */
    public long sent() {
        return sent;
    }

    @Override
    public void publish(PhcSample sample) {
        byte[] datagram = SockSample.of(sample, config.timescale()).encode();
        try {
            socket.send(config.socketPath(), datagram);
            sent++;
            change(new SinkStatus(true, "chrony SOCK " + config.socketPath() + ": delivering samples"));
        } catch (UnixSocketException e) {
            change(new SinkStatus(false, describeFailure(e)));
        } catch (IOException e) {
            change(new SinkStatus(false, "chrony SOCK " + config.socketPath() + ": " + e.getMessage()));
        }
    }

    private String describeFailure(UnixSocketException e) {
        String where = "chrony SOCK " + config.socketPath() + ": ";
        if (e.peerAbsent()) {
            return where + "chronyd is not listening (" + e.getMessage() + "); is it running with 'refclock SOCK "
                    + config.socketPath() + "'? retrying with each sample";
        }
        if (e.errno() == org.pps2phc.os.Errno.EACCES) {
            return where + "permission denied (" + e.getMessage() + "); chronyd creates the socket root-owned 0755, "
                    + "so run pps2phc as root or use the SHM refclock; retrying with each sample";
        }
        return where + e.getMessage() + "; retrying with each sample";
    }

    private void change(SinkStatus next) {
        if (!next.equals(status)) {
            status = next;
            onStatusChange.accept(next);
        }
    }

    /** Sent datagrams are consumed when chronyd reads them: nothing is left to withdraw. */
    @Override
    public void withdraw() {
    }

    @Override
    public void close() {
        socket.close();
    }
}
