package org.pps2phc.sim;

/**
 * The receiver's serial line in a world paced to the wall clock ({@code pps2phc run --simulate} with
 * {@code tod.source=gnss}): a read waits on the wall clock until the next group of bytes has arrived (or the
 * timeout) and returns it, as a read of a serial port does. One reader thread.
 */
public final class GnssLine {
    private final SimWorld world;
    private final GnssStream stream;
    private byte[] pending = new byte[0];
    private int pendingFrom;
    private boolean started;

    GnssLine(SimWorld world, GnssStream stream) {
        this.world = world;
        this.stream = stream;
    }

    /** One byte's time on the line, ns (10 bit times at gnss.baud). */
    public long byteNs() {
        return stream.byteNs();
    }

    /**
     * Waits up to {@code timeoutNs} and copies what came into {@code buf}.
     *
     * @return bytes read, 0 when none came in time
     */
    public int read(byte[] buf, long timeoutNs) throws InterruptedException {
        if (!started) {
            // the port opens now: what the receiver sent before went to no one
            started = true;
            while (stream.nextChunkAtNs() <= world.nowNs()) {
                stream.takeChunk();
            }
        }
        if (pendingFrom == pending.length) {
            WallPacer pacer = world.pacer();
            if (pacer == null) {
                throw new IllegalStateException("the receiver's line is read only in a paced world");
            }
            long due = stream.nextChunkAtNs();
            long deadline = world.nowNs() + Math.max(0, timeoutNs);
            pacer.sleepUntil(Math.min(due, deadline));
            if (world.nowNs() < due) {
                return 0;
            }
            pending = stream.takeChunk();
            pendingFrom = 0;
        }
        int n = Math.min(buf.length, pending.length - pendingFrom);
        System.arraycopy(pending, pendingFrom, buf, 0, n);
        pendingFrom += n;
        return n;
    }
}
