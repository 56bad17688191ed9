package org.pps2phc.receiver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Listens to a receiver for a while without pulses (for {@code pps2phc tod --receiver}): what it sends, whether
 * its time is valid, what it says of TAI-UTC. Which pulse its bursts describe, and their delay after it, need the
 * pulses: the running daemon's status shows those.
 */
public final class ReceiverProbe {
    /**
     * What was heard.
     *
     * @param counts     bytes, messages, checksum failures
     * @param messages   every message name seen, in order of first appearance
     * @param bursts     bursts heard
     * @param lastSecond the last burst's UTC second, or Long.MIN_VALUE
     * @param lastWhyNot why the last burst named no second, or null
     * @param taiMinusUtc TAI-UTC the receiver gave (NAV-TIMELS from a GNSS, NAV-TIMEGPS), or Integer.MIN_VALUE
     * @param lastLengthNs the last burst's length, first byte to last
     */
    public record Heard(StreamDecoder.Counts counts, List<String> messages, int bursts, long lastSecond,
                        String lastWhyNot, int taiMinusUtc, long lastLengthNs) {
        public Heard {
            messages = List.copyOf(messages);
        }
    }

    private ReceiverProbe() {
    }

    /**
     * @throws IOException when the port cannot be opened or read (named, with why)
     */
    public static Heard listen(ByteTransport.Opener opener, long durationNs, int assumedTaiMinusUtc,
                               LongSupplier realtimeNs) throws IOException {
        List<Epoch> epochs = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        try (ByteTransport t = opener.open()) {
            StreamDecoder decoder = new StreamDecoder(t.byteNs());
            EpochAssembler assembler = new EpochAssembler(epochs::add);
            byte[] buf = new byte[4096];
            long end = realtimeNs.getAsLong() + durationNs;
            while (realtimeNs.getAsLong() < end) {
                int n = t.read(buf, 100);
                long now = realtimeNs.getAsLong();
                if (n > 0) {
                    decoder.feed(buf, n, now, d -> {
                        names.add(d.message().name());
                        assembler.accept(d);
                    });
                } else {
                    assembler.idle(now);
                }
            }
            assembler.idle(Long.MAX_VALUE);
            EpochReading last = null;
            int taiMinusUtc = Integer.MIN_VALUE;
            long length = 0;
            for (Epoch e : epochs) {
                last = EpochReading.of(e, assumedTaiMinusUtc);
                length = e.lengthNs();
                if (last.leap() != null && last.leap().fromGnss()) {
                    taiMinusUtc = last.leap().gpsMinusUtc() + 19;
                } else if (last.gpsMinusUtc() != Integer.MIN_VALUE) {
                    taiMinusUtc = last.gpsMinusUtc() + 19;
                }
            }
            return new Heard(decoder.counts(), new ArrayList<>(names), epochs.size(),
                    last == null ? Long.MIN_VALUE : last.utcSecond(), last == null ? "no bursts heard" : last.whyNot(),
                    taiMinusUtc, length);
        }
    }
}
