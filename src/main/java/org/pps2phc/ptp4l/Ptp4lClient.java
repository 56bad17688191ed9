package org.pps2phc.ptp4l;

import java.io.IOException;
import java.util.Optional;
import org.pps2phc.os.Errno;
import org.pps2phc.os.UnixDatagramSocket;

/**
 * A PTP management client on ptp4l's UNIX datagram socket, like {@code pmc -u -b 0}: one request at a time, each
 * waiting at most the configured reply timeout. Not thread-safe: one worker thread owns it.
 */
public final class Ptp4lClient implements Ptp4lManagement, AutoCloseable {
    private static final int MAX_REPLY = 1500;

    private final Ptp4lClientConfig config;
    private final UnixDatagramSocket socket;
    private final ManagementCodec codec;
    private int nextSequenceId;

    private Ptp4lClient(Ptp4lClientConfig config, UnixDatagramSocket socket) {
        this.config = config;
        this.socket = socket;
        this.codec = new ManagementCodec(config.transportSpecific(), config.domainNumber(),
                (int) ProcessHandle.current().pid());
    }

    /** Binds pps2phc's reply address; ptp4l need not be running yet. */
    public static Ptp4lClient open(Ptp4lClientConfig config) throws Ptp4lException {
        try {
            return new Ptp4lClient(config, UnixDatagramSocket.bound(config.clientAddress()));
        } catch (IOException e) {
            boolean denied = e.getMessage() != null && e.getMessage().contains("EACCES");
            throw new Ptp4lException(denied ? Ptp4lException.Reason.PERMISSION : Ptp4lException.Reason.IO,
                    "cannot bind pps2phc's address for ptp4l's replies: " + e.getMessage(), null, e);
        }
    }

    public Ptp4lClientConfig config() {
        return config;
    }

    @Override
    public GrandmasterSettings setGrandmasterSettings(GrandmasterSettings settings) throws Ptp4lException {
        int seq = takeSequenceId();
        byte[] data = request(seq, ManagementAction.SET, ManagementId.GRANDMASTER_SETTINGS_NP,
                codec.set(seq, ManagementId.GRANDMASTER_SETTINGS_NP, settings.encode()));
        return decode(ManagementAction.SET, ManagementId.GRANDMASTER_SETTINGS_NP,
                () -> GrandmasterSettings.decode(data));
    }

    @Override
    public GrandmasterSettings grandmasterSettings() throws Ptp4lException {
        byte[] data = get(ManagementId.GRANDMASTER_SETTINGS_NP);
        return decode(ManagementAction.GET, ManagementId.GRANDMASTER_SETTINGS_NP, () -> GrandmasterSettings.decode(data));
    }

    @Override
    public TimeProperties timeProperties() throws Ptp4lException {
        byte[] data = get(ManagementId.TIME_PROPERTIES_DATA_SET);
        return decode(ManagementAction.GET, ManagementId.TIME_PROPERTIES_DATA_SET, () -> TimeProperties.decode(data));
    }

    @Override
    public DefaultDataSet defaultDataSet() throws Ptp4lException {
        byte[] data = get(ManagementId.DEFAULT_DATA_SET);
        return decode(ManagementAction.GET, ManagementId.DEFAULT_DATA_SET, () -> DefaultDataSet.decode(data));
    }

    @Override
    public ParentDataSet parentDataSet() throws Ptp4lException {
        byte[] data = get(ManagementId.PARENT_DATA_SET);
        return decode(ManagementAction.GET, ManagementId.PARENT_DATA_SET, () -> ParentDataSet.decode(data));
    }

    private byte[] get(ManagementId id) throws Ptp4lException {
        int seq = takeSequenceId();
        return request(seq, ManagementAction.GET, id, codec.get(seq, id));
    }

    private int takeSequenceId() {
        int seq = nextSequenceId;
        nextSequenceId = (nextSequenceId + 1) & 0xFFFF;
        return seq;
    }

    /** Sends one request and returns the data of the matching RESPONSE; stale replies are skipped. */
    private byte[] request(int seq, ManagementAction action, ManagementId id, byte[] message) throws Ptp4lException {
        String what = action + " " + id;
        String peer = config.udsAddress();
        try {
            socket.drain();
            socket.send(peer, message);
        } catch (UnixDatagramSocket.UnixSocketException e) {
            if (e.peerAbsent()) {
                throw new Ptp4lException(Ptp4lException.Reason.NOT_RUNNING, "ptp4l is not listening at " + peer
                        + " (" + Errno.describe(e.errno()) + "): is ptp4l running, with this uds_address?"
                        + " (linuxptp 4.5 and newer default to /var/run/ptp/ptp4l)", null, e);
            }
            if (e.errno() == Errno.EACCES || e.errno() == Errno.EPERM) {
                throw new Ptp4lException(Ptp4lException.Reason.PERMISSION, "no permission to send to ptp4l at "
                        + peer + " (" + Errno.describe(e.errno()) + "): run pps2phc as root or as a member of the"
                        + " socket's group (ptp4l's uds_file_mode)", null, e);
            }
            throw new Ptp4lException(Ptp4lException.Reason.IO, "cannot send " + what + " to ptp4l at " + peer
                    + ": " + e.getMessage(), null, e);
        } catch (IOException e) {
            throw new Ptp4lException(Ptp4lException.Reason.IO, "cannot send " + what + " to ptp4l at " + peer
                    + ": " + e.getMessage(), null, e);
        }
        long timeoutNs = config.replyTimeout().toNanos();
        long deadline = System.nanoTime() + timeoutNs;
        while (true) {
            long leftNs = deadline - System.nanoTime();
            if (leftNs <= 0) {
                throw new Ptp4lException(Ptp4lException.Reason.NO_REPLY, "no reply from ptp4l at " + peer
                        + " within " + config.replyTimeout().toMillis() + " ms to " + what + ": ptp4l ignores"
                        + " requests unless its domainNumber is " + codec.domainNumber() + " and its"
                        + " transportSpecific " + codec.transportSpecific() + " (check ptp4l.conf)");
            }
            Optional<byte[]> datagram;
            try {
                datagram = socket.receive(MAX_REPLY, (int) Math.max(1, (leftNs + 999_999) / 1_000_000));
            } catch (IOException e) {
                throw new Ptp4lException(Ptp4lException.Reason.IO, "cannot receive ptp4l's reply to " + what
                        + ": " + e.getMessage(), null, e);
            }
            if (datagram.isEmpty()) {
                continue;
            }
            ManagementReply reply;
            try {
                reply = ManagementCodec.decode(datagram.get());
            } catch (MalformedReplyException e) {
                throw new Ptp4lException(Ptp4lException.Reason.BAD_REPLY, "malformed reply from ptp4l at " + peer
                        + " to " + what + ": " + e.getMessage(), null, e);
            }
            if (reply.sequenceId() != seq || reply.domainNumber() != codec.domainNumber()) {
                continue; // a late answer to an earlier request that timed out
            }
            if (reply.error().isPresent()) {
                ManagementErrorStatus status = reply.error().get();
                throw new Ptp4lException(Ptp4lException.Reason.REFUSED, "ptp4l at " + peer + " refused " + what
                        + ": " + status + hint(status), status, null);
            }
            if (reply.action() != ManagementAction.RESPONSE.code()) {
                throw new Ptp4lException(Ptp4lException.Reason.BAD_REPLY, "ptp4l at " + peer + " answered " + what
                        + " with " + ManagementAction.describe(reply.action()) + " instead of RESPONSE");
            }
            if (reply.managementId() != id.code()) {
                throw new Ptp4lException(Ptp4lException.Reason.BAD_REPLY, "ptp4l at " + peer + " answered " + what
                        + " with " + ManagementId.describe(reply.managementId()));
            }
            return reply.data();
        }
    }

    private String hint(ManagementErrorStatus status) {
        if (status.errorId() == 0x0006 && status.managementId() == ManagementId.GRANDMASTER_SETTINGS_NP.code()) {
            return " (is " + config.udsAddress() + " ptp4l's read-only socket? SET needs uds_address)";
        }
        return "";
    }

    private interface Decoder<T> {
        T decode() throws MalformedReplyException;
    }

    private <T> T decode(ManagementAction action, ManagementId id, Decoder<T> decoder) throws Ptp4lException {
        try {
            return decoder.decode();
        } catch (MalformedReplyException e) {
            throw new Ptp4lException(Ptp4lException.Reason.BAD_REPLY, "malformed " + id + " in ptp4l's reply to "
                    + action + ": " + e.getMessage(), null, e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
