package org.pps2phc.receiver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The optional RAM-only set-up of a u-blox receiver (ubx_setup 1): the messages pps2phc reads best, NAV-TIMEUTC,
 * NAV-TIMELS and TIM-TP, switched on at every navigation epoch. Generation 9 and later take CFG-VALSET to the RAM
 * layer only, for UART1 and USB (whichever this port is); earlier ones take CFG-MSG, which sets the port it arrives
 * on. Both are sent; the receiver answers each with UBX-ACK-ACK or UBX-ACK-NAK (what it does not know), waited for
 * a bounded time and asked once more without an answer. Nothing is written to flash or battery-backed RAM (no
 * CFG-CFG, no other layer): the receiver is as it was after its next power cycle.
 */
public final class UbxSetup {
    private static final int CFG = 0x06;
    private static final int CFG_MSG = 0x01;
    private static final int CFG_VALSET = 0x8A;
    private static final int ACK = 0x05;
    private static final int ACK_ACK = 0x01;
    private static final int ACK_NAK = 0x00;
    private static final int LAYER_RAM = 0x01;
    /** CFG-MSGOUT keys on UART1 (the USB one is two more): NAV-TIMEUTC, NAV-TIMELS, TIM-TP. */
    private static final long[] MSGOUT_UART1 = {0x2091005CL, 0x20910061L, 0x2091017EL};
    private static final int USB_OFFSET = 2;
    /** The same messages as (class, id) for CFG-MSG. */
    private static final int[][] LEGACY = {{0x01, 0x21}, {0x01, 0x26}, {0x0D, 0x01}};
    private static final String[] LEGACY_NAMES = {"NAV-TIMEUTC", "NAV-TIMELS", "TIM-TP"};
    /** How long a receiver is given to answer one message (SatPulse gives 1.5 s; u-blox answers within ms). */
    public static final long ANSWER_TIMEOUT_NS = 1_000_000_000L;
    private static final int READ_SLICE_MS = 100;

    /** What the receiver answered to one message. */
    public enum Outcome {
        ACKNOWLEDGED("acknowledged"), REFUSED("refused (NAK)"), NO_ANSWER("no answer");

        private final String words;

        Outcome(String words) {
            this.words = words;
        }
    }

    /** One message of the set-up: its name in reports, and its frame. */
    public record Step(String name, byte[] frame) {
        public Step {
            frame = frame.clone();
        }

        @Override
        public byte[] frame() {
            return frame.clone();
        }

        private boolean isValset() {
            return frame[3] == (byte) CFG_VALSET;
        }
    }

    public record Result(String name, Outcome outcome) {
    }

    /** The answers to the whole set-up on one port. */
    public record Report(String port, List<Result> results) {
        public Report {
            results = List.copyOf(results);
        }

        /** The set-up took: CFG-VALSET acknowledged (generation 9+), or every CFG-MSG acknowledged (before). */
        public boolean took() {
            boolean valset = results.get(0).outcome() == Outcome.ACKNOWLEDGED;
            boolean legacy = results.stream().skip(1).allMatch(r -> r.outcome() == Outcome.ACKNOWLEDGED);
            return valset || legacy;
        }

        /** One line for the log and {@code pps2phc tod}. */
        public String summary() {
            if (results.stream().allMatch(r -> r.outcome() == Outcome.NO_ANSWER)) {
                return "no answer to the u-blox set-up on " + port + " (not a u-blox receiver, or the port's TX is"
                        + " not wired to the receiver's RX)";
            }
            List<String> each = new ArrayList<>();
            for (Result r : results) {
                each.add(r.name() + " " + r.outcome().words);
            }
            String all = String.join(", ", each);
            if (took()) {
                return "u-blox set-up on " + port + " (RAM only): " + all;
            }
            return "the u-blox set-up on " + port + " did not take: " + all + " (a refused message: the receiver "
                    + "lacks it, or takes the other generation's set-up; no answer: its TX to this port's RX only?)";
        }
    }

    /** Where the set-up is written and its answers read: the receiver's serial port, opened read-write. */
    public interface Port {
        void write(byte[] bytes) throws IOException;

        /** Waits up to {@code timeoutMs}; returns the bytes read, 0 when none came. */
        int read(byte[] buf, int timeoutMs) throws IOException;
    }

    private UbxSetup() {
    }

    /** The messages to send, in order: CFG-VALSET (generation 9+), then CFG-MSG for each message (before). */
    public static List<Step> steps() {
        ByteArrayOutputStream valset = new ByteArrayOutputStream();
        valset.write(0); // version
        valset.write(LAYER_RAM);
        valset.write(0);
        valset.write(0);
        for (long key : MSGOUT_UART1) {
            for (long k : new long[] {key, key + USB_OFFSET}) {
                for (int b = 0; b < 4; b++) {
                    valset.write((int) (k >> (8 * b)) & 0xFF);
                }
                valset.write(1); // a one-byte value (key bits 28-30 = 2): output at every epoch
            }
        }
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("CFG-VALSET", UbxParser.frame(CFG, CFG_VALSET, valset.toByteArray())));
        for (int i = 0; i < LEGACY.length; i++) {
            steps.add(new Step("CFG-MSG " + LEGACY_NAMES[i],
                    UbxParser.frame(CFG, CFG_MSG, new byte[] {(byte) LEGACY[i][0], (byte) LEGACY[i][1], 1})));
        }
        return steps;
    }

    /**
     * Sends each message and waits up to {@code answerTimeoutNs} (by {@code nowNs}) for its ACK or NAK, sending it
     * once more when none came. Other bytes on the line (the receiver's NMEA) are passed over.
     *
     * @throws IOException when the port fails
     */
    public static Report run(String portName, Port port, LongSupplier nowNs, long answerTimeoutNs)
            throws IOException {
        List<Result> results = new ArrayList<>();
        for (Step step : steps()) {
            Outcome outcome = Outcome.NO_ANSWER;
            for (int attempt = 0; attempt < 2 && outcome == Outcome.NO_ANSWER; attempt++) {
                port.write(step.frame());
                outcome = await(port, step, nowNs, answerTimeoutNs);
            }
            results.add(new Result(step.name() + (step.isValset() ? " (generation 9+)" : ""), outcome));
        }
        return new Report(portName, results);
    }

    private static Outcome await(Port port, Step step, LongSupplier nowNs, long timeoutNs) throws IOException {
        byte[] frame = step.frame;
        byte[] ackFor = {frame[2], frame[3]};
        byte[] ack = UbxParser.frame(ACK, ACK_ACK, ackFor);
        byte[] nak = UbxParser.frame(ACK, ACK_NAK, ackFor);
        ByteArrayOutputStream heard = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        long deadline = nowNs.getAsLong() + timeoutNs;
        for (long left = timeoutNs; left > 0; left = deadline - nowNs.getAsLong()) {
            int n = port.read(buf, (int) Math.max(1, Math.min(READ_SLICE_MS, left / 1_000_000)));
            if (n <= 0) {
                continue;
            }
            heard.write(buf, 0, n);
            byte[] h = heard.toByteArray();
            if (contains(h, ack)) {
                return Outcome.ACKNOWLEDGED;
            }
            if (contains(h, nak)) {
                return Outcome.REFUSED;
            }
            if (h.length > ack.length) { // keep only what may begin an answer still to complete
                heard.reset();
                heard.write(h, h.length - ack.length + 1, ack.length - 1);
            }
        }
        return Outcome.NO_ANSWER;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
