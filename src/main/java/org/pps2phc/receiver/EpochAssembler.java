package org.pps2phc.receiver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Groups decoded messages into bursts, one per navigation epoch. A burst starts with the first byte after the line
 * was quiet for {@link #IDLE_NS}; a time message naming another second than the open burst's starts the next one
 * (if the line had been quiet since the open burst's last time message, at the first byte after that quiet,
 * otherwise at that message, flagged as following without a gap); {@link #CLOSE_NS} of silence closes a burst.
 */
public final class EpochAssembler {
    /** Longer than the gaps inside a burst (a USB adapter's 16 ms latency timer), shorter than those between. */
    static final long IDLE_NS = 30_000_000;
    /** Silence after which the open burst is complete. */
    static final long CLOSE_NS = 400_000_000;

    private final Consumer<Epoch> out;
    private List<ReceiverMessage> messages;
    private long startSysNs;
    private boolean idleBefore;
    private boolean partial;
    private int secondOfDay = -1;
    private long lastByteSysNs = Long.MIN_VALUE;
    /** First byte after the latest quiet spell, and whether a time message of the open burst came since. */
    private long groupStartSysNs;
    private boolean groupHasTime;
    private boolean first = true;
    /** Messages after a quiet spell that named no second yet: they start the next burst or join the open one. */
    private final List<ReceiverMessage> pending = new ArrayList<>();

    public EpochAssembler(Consumer<Epoch> out) {
        this.out = out;
    }

    public void accept(StreamDecoder.Decoded d) {
        boolean quiet = lastByteSysNs == Long.MIN_VALUE || d.firstByteSysNs() - lastByteSysNs >= IDLE_NS;
        if (messages != null && lastByteSysNs != Long.MIN_VALUE && d.firstByteSysNs() - lastByteSysNs >= CLOSE_NS) {
            close();
        }
        if (quiet) {
            groupStartSysNs = d.firstByteSysNs();
            groupHasTime = false;
            pending.clear(); // untimed messages of an earlier quiet spell that no time message followed
        }
        lastByteSysNs = d.lastByteSysNs();
        int sod = secondOfDay(d.message());
        if (sod < 0) {
            if (messages != null && !quiet && pending.isEmpty()) {
                messages.add(d.message());
            } else {
                pending.add(d.message());
            }
            return;
        }
        if (messages != null && sod == secondOfDay) {
            messages.addAll(pending);
            pending.clear();
            messages.add(d.message());
            groupHasTime = true;
            return;
        }
        boolean fromGroup = !groupHasTime;
        long start = fromGroup ? groupStartSysNs : d.firstByteSysNs();
        close();
        messages = new ArrayList<>(pending);
        pending.clear();
        messages.add(d.message());
        startSysNs = start;
        idleBefore = fromGroup;
        partial = first;
        first = false;
        secondOfDay = sod;
        groupHasTime = true;
    }

    /** No bytes until {@code nowSysNs}: closes the open burst once the line has been silent for CLOSE_NS. */
    public void idle(long nowSysNs) {
        if (messages != null && lastByteSysNs != Long.MIN_VALUE && nowSysNs - lastByteSysNs >= CLOSE_NS) {
            close();
        }
    }

    /** The port was reopened: what was read before belongs to no burst. */
    public void reset() {
        messages = null;
        pending.clear();
        lastByteSysNs = Long.MIN_VALUE;
        first = true;
        secondOfDay = -1;
    }

    private void close() {
        if (messages != null) {
            out.accept(new Epoch(startSysNs, lastByteSysNs, idleBefore, partial, messages));
            messages = null;
            secondOfDay = -1;
        }
    }

    /** The second of the day a time message names, or -1 (no time, or a GPS time without its leap seconds). */
    static int secondOfDay(ReceiverMessage m) {
        if (m instanceof ReceiverMessage.UtcTime u && u.utcSecond() != Long.MIN_VALUE) {
            return u.leapSecond() ? 86_400 : (int) Math.floorMod(u.utcSecond(), 86_400L);
        }
        if (m instanceof ReceiverMessage.TimeOfDayOnly t && t.secondOfDay() >= 0) {
            return t.secondOfDay();
        }
        if (m instanceof ReceiverMessage.GpsTime g && g.gpsMinusUtc() != Integer.MIN_VALUE) {
            return (int) Math.floorMod(UbxParser.gpsToPosixScale(g.gpsSecond()) - g.gpsMinusUtc(), 86_400L);
        }
        return -1;
    }
}
