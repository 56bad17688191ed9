package org.pps2phc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pps2phc.os.Errno;
import org.pps2phc.sim.Scenarios;
import org.pps2phc.sim.SimWorld;

/**
 * The fake kernel's own error, whatever the program under test does, stays below 1 ns; it never writes a real clock
 * in a world; and its world follows docs/simulator.md's model as the Java simulator does.
 */
class FakeKernelFidelityTest {
    private static final int MAX_ADJ = 500_000_000;
    private static final long S = 1_000_000_000L;

    /** The system-clock calls, through the fake (which forwards them to libc or refuses them). */
    interface SystemClock extends Library {
        int clock_settime(int clock, ClockCalls.Timespec ts) throws LastErrorException;

        int clock_adjtime(int clock, ClockCalls.Timex tx) throws LastErrorException;

        int adjtimex(ClockCalls.Timex tx) throws LastErrorException;

        int settimeofday(ClockCalls.Timeval tv, Pointer tz) throws LastErrorException;
    }

    /** A fake device needs no node: the fake answers its path itself. */
    private final String path = "/dev/ptp63";
    private FakeKernel fake;
    private FakeKernel.Control k;

    @BeforeEach
    void installTheFake() throws Exception {
        fake = FakeKernel.install();
        k = fake.control();
    }

    @AfterEach
    void resetTheFake() {
        fake.close();
    }

    // ---------------------------------------------------------------- the fake's own error

    /** Each adjustment used to rebase the clock on a second clock read, losing the time between the two reads. */
    @Test
    void adjustmentsAndStepsLoseNoPhcTime() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_set_drift(dev, 12_345.678);
        long later = System.nanoTime() + 10 * S;
        long before = k.fake_ptp_time_at(dev, later);
        try (PhcDevice phc = PhcDevice.open(path)) {
            for (int i = 0; i < 1000; i++) {
                phc.setFrequencyPpb(0);
                phc.step(S);
                phc.step(-S);
            }
        }
        assertTrue(k.fake_ptp_adjustments(dev) >= 1000, "the adjustments were made");
        long moved = k.fake_ptp_time_at(dev, later) - before;
        assertTrue(Math.abs(moved) <= 1, "3000 adjustments that change nothing moved the PHC by " + moved + " ns");
    }

    /** Stamps used to pair CLOCK_REALTIME with CLOCK_MONOTONIC afresh for every pulse: tens of ns each time. */
    @Test
    void ppsStampsCarryNoPairingError() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_pps(dev, 0, 100_000_000L, 37 * S);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            for (int i = 0; i < 3; i++) {
                long t = ch.next(2_500_000_000L).orElseThrow().phcNs();
                assertEquals(0, Math.floorMod(t, S), "a PHC on true time stamps whole seconds: " + t);
            }
            k.fake_ptp_set_drift(dev, 1000);
            long a = ch.next(2_500_000_000L).orElseThrow().phcNs();
            long b = ch.next(2_500_000_000L).orElseThrow().phcNs();
            assertEquals(S + 1000, b - a, 1, "1000 ppb fast");
        }
    }

    // ---------------------------------------------------------------- safety

    /**
     * Protected, every write to a real clock is EPERM. The requests are invalid (a negative nanosecond), so if one
     * leaked through to the kernel it would answer EINVAL and change nothing, even for root.
     */
    @Test
    void protectedTheRealClocksCannotBeWritten() {
        SystemClock sys = Native.load(fake.library().toString(), SystemClock.class);
        assertEquals(Errno.EINVAL, errno(() -> sys.clock_settime(0, invalidTime())), "unprotected: the kernel");
        k.fake_ptp_protect(1);
        assertEquals(Errno.EPERM, errno(() -> sys.clock_settime(0, invalidTime())));
        assertEquals(Errno.EPERM, errno(() -> sys.clock_settime(11, invalidTime())), "CLOCK_TAI");
        assertEquals(Errno.EPERM, errno(() -> sys.clock_adjtime(0, invalidStep())));
        assertEquals(Errno.EPERM, errno(() -> sys.adjtimex(invalidStep())));
        ClockCalls.Timeval tv = new ClockCalls.Timeval();
        tv.tv_usec.setValue(-1);
        assertEquals(Errno.EPERM, errno(() -> sys.settimeofday(tv, Pointer.NULL)));
        ClockCalls.Timex nano = new ClockCalls.Timex();
        nano.modes = ClockCalls.ADJ_NANO;
        assertTrue(sys.adjtimex(nano) >= 0, "ADJ_NANO alone is a read, answered by the fake");
        assertTrue((nano.status & ClockCalls.STA_NANO) != 0);
        long ns = nano.time.tv_sec.longValue() * S + nano.time.tv_usec.longValue();
        assertEquals(System.currentTimeMillis() * 1_000_000L, ns, 1e9, "the time, in ns");
        assertTrue(sys.adjtimex(new ClockCalls.Timex()) >= 0, "reads pass");
    }

    @Test
    void aWorldProtectsTheRealClocks() {
        SystemClock sys = Native.load(fake.library().toString(), SystemClock.class);
        assertEquals(0, k.fake_ptp_world("seed=1"));
        assertEquals(Errno.EPERM, errno(() -> sys.clock_settime(0, invalidTime())));
        assertEquals(-1, k.fake_ptp_world("seed=1 osc.nonsense=3"), "a bad key is refused");
    }

    private static ClockCalls.Timespec invalidTime() {
        ClockCalls.Timespec ts = new ClockCalls.Timespec();
        ts.tv_sec.setValue(System.currentTimeMillis() / 1000);
        ts.tv_nsec.setValue(-1);
        return ts;
    }

    private static ClockCalls.Timex invalidStep() {
        ClockCalls.Timex tx = new ClockCalls.Timex();
        tx.modes = ClockCalls.ADJ_SETOFFSET | ClockCalls.ADJ_NANO;
        tx.time = new ClockCalls.Timeval();
        tx.time.tv_usec.setValue(-1);
        return tx;
    }

    private static int errno(Runnable call) {
        try {
            call.run();
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
        throw new AssertionError("the call succeeded");
    }

    // ---------------------------------------------------------------- the world against the Java simulator

    private static final String I210_OSC = "osc.freq_ppb=23700 osc.rw_ppb_per_sqrt_s=0.02 osc.temp_amp_ppb=20 "
            + "osc.temp_period_s=1800 osc.wfm_adev=2e-10";
    private static final int SEEDS = 200;

    /**
     * The free-running TE over an hour on i210-f9t's oscillator: its mean and spread (random walk, ~2.5 µs) match
     * the Java simulator's over 200 seeds each, the spread within 20 % and the mean within 4 standard errors.
     */
    @Test
    void theFreeRunningOscillatorMatchesTheJavaSimulator() throws Exception {
        double[] c = new double[SEEDS];
        double[] java = new double[SEEDS];
        for (int seed = 1; seed <= SEEDS; seed++) {
            c[seed - 1] = freeRunningC(I210_OSC, seed, 3600);
            java[seed - 1] = freeRunningJava(Map.of(), seed, 3600);
        }
        assertClose(c, java, 0.2);
        assertEquals(23_700.0 * 3600, mean(c), 4 * sd(c) / Math.sqrt(SEEDS), "the constant term");
    }

    /** White FM alone (no random walk, no temperature): 0.2 ns/s for an hour, 12 ns of spread. */
    @Test
    void whiteFrequencyNoiseMatchesTheJavaSimulator() throws Exception {
        double[] c = new double[SEEDS];
        double[] java = new double[SEEDS];
        Map<String, String> wfmOnly = Map.of("osc.freq_ppb", "0", "osc.rw_ppb_per_sqrt_s", "0",
                "osc.temp_amp_ppb", "0");
        for (int seed = 1; seed <= SEEDS; seed++) {
            c[seed - 1] = freeRunningC("osc.rw_ppb_per_sqrt_s=0 osc.wfm_adev=2e-10", seed, 3600);
            java[seed - 1] = freeRunningJava(wfmOnly, seed, 3600);
        }
        assertClose(c, java, 0.2);
        assertEquals(12, sd(c), 12 * 0.2);
    }

    /** The temperature term alone is deterministic: a quarter period after the start, A / w of phase. */
    @Test
    void theTemperatureTermIsIntegratedExactly() throws Exception {
        double c = freeRunningC("osc.rw_ppb_per_sqrt_s=0 osc.wfm_adev=0 osc.temp_amp_ppb=20 osc.temp_period_s=1800",
                1, 450);
        assertEquals(20 * 1800 / (2 * Math.PI), c, 1e-3);
    }

    /** The pulses: jitter, sawtooth, missing pulses and outages as docs/simulator.md has them. */
    @Test
    void pulsesHaveTheirJitterMissesAndOutages() {
        assertEquals(0, k.fake_ptp_world("seed=3 pps.jitter_ns=4 pps.miss_prob=0.01 pps.outages=100:50"));
        int n = 20_000;
        int emitted = 0;
        double sum = 0;
        double sq = 0;
        for (int i = 1; i < n; i++) {
            double e = k.fake_ptp_world_edge(i);
            if (i >= 100 && i < 150) {
                assertTrue(Double.isNaN(e), "pulse " + i + " is in the outage");
            }
            if (!Double.isNaN(e)) {
                emitted++;
                sum += e;
                sq += e * e;
            }
        }
        assertEquals(0.01, 1 - emitted / (double) (n - 51), 0.003, "the miss rate");
        assertEquals(4, Math.sqrt(sq / emitted - (sum / emitted) * (sum / emitted)), 0.15, "the jitter");
        assertEquals(0, k.fake_ptp_world("seed=3 pps.jitter_ns=0 pps.sawtooth_ns=21"));
        for (int i = 1; i < 100; i++) {
            double x = 0.0137 * i + 0.001 * Math.sin(2 * Math.PI * i / 5000.0) + 0.3;
            assertEquals(21 * (x - Math.floor(x) - 0.5), k.fake_ptp_world_edge(i), 1e-9, "the sawtooth of pulse " + i);
        }
    }

    /** Glitches: one spurious edge in a second with pps.glitch_prob, at a uniform instant, outages or not. */
    @Test
    void glitchesComeAtTheirRateAndUniformInstants() {
        assertEquals(0, k.fake_ptp_world("seed=3 pps.glitch_prob=0.01 pps.outages=100:5000"));
        double[] instants = LongStream.range(0, 50_000).mapToDouble(k::fake_ptp_world_glitch)
                .filter(g -> !Double.isNaN(g)).toArray();
        assertEquals(0.01, instants.length / 50_000.0, 0.002, "the glitch rate, in the outage too");
        for (double g : instants) {
            assertTrue(g >= 0 && g < S, "inside its second: " + g);
        }
        assertEquals(0.5 * S, mean(instants), 0.05 * S, "uniform instants: their mean");
        assertEquals(S / Math.sqrt(12), sd(instants), 0.05 * S, "and their spread");
    }

    /** An armed channel stamps the glitches among the pulses, in time order, each at its instant. */
    @Test
    void glitchesAreStampedAmongThePulsesInOrder() throws Exception {
        long originTaiS = 1_000_000; // true second k is TAI second originTaiS + k; the PHC reads TAI exactly
        assertEquals(0, k.fake_ptp_world("seed=7 origin_mono_ns=" + System.nanoTime() + " origin_tai_s=" + originTaiS
                + " pps.glitch_prob=1 pps.jitter_ns=0 phc.initial_offset_s=0 osc.rw_ppb_per_sqrt_s=0 osc.wfm_adev=0"
                + " nic.delivery_ms=0:0"));
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            long previous = Long.MIN_VALUE;
            int pulses = 0;
            int glitches = 0;
            for (int i = 0; i < 6; i++) {
                long t = ch.next(2_500_000_000L).orElseThrow().phcNs();
                assertTrue(t > previous, "in time order");
                previous = t;
                if (Math.floorMod(t, S) == 0) {
                    pulses++;
                    continue;
                }
                long second = Math.floorDiv(t, S);
                double g = k.fake_ptp_world_glitch(second - originTaiS);
                assertEquals(g, Math.floorMod(t, S), 1, "the glitch of its second, at its instant");
                glitches++;
            }
            assertTrue(pulses >= 2 && glitches >= 2, pulses + " pulses and " + glitches + " glitches");
        }
    }

    /** Readings and stamps are truncated to the tick; a step lands late by up to phc.step_error_ns. */
    @Test
    void theTickTruncatesAndStepsLandLate() throws Exception {
        assertEquals(0, k.fake_ptp_world("seed=5 phc.tick_ns=8 phc.step_error_ns=4500 osc.freq_ppb=1234.5"));
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        long now = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertEquals(0, Math.floorMod(k.fake_ptp_time_at(dev, now + i * 997), 8), "a multiple of the tick");
        }
        try (PhcDevice phc = PhcDevice.open(path)) {
            double late = 0;
            for (int i = 0; i < 200; i++) {
                double before = k.fake_ptp_theta(dev, 3600 * S);
                phc.step(1000);
                double lost = 1000 - (k.fake_ptp_theta(dev, 3600 * S) - before);
                assertTrue(lost >= 0 && lost <= 4500, "late by " + lost + " ns");
                late += lost;
            }
            assertEquals(2250, late / 200, 300, "late by U(0, 4500) ns on average");
        }
    }

    /** TE(seconds) - TE(0) of a free-running fake PHC in a world of this seed, without waiting for it. */
    private double freeRunningC(String osc, int seed, int seconds) throws Exception {
        assertEquals(0, k.fake_ptp_world("seed=" + seed + " " + osc));
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        double te = k.fake_ptp_theta(dev, seconds * S) - k.fake_ptp_theta(dev, 0);
        k.fake_ptp_reset();
        return te;
    }

    private static double freeRunningJava(Map<String, String> overrides, int seed, int seconds) {
        SimWorld w = new SimWorld(Scenarios.resolve("i210-f9t", overrides), seed, 0);
        double start = w.thetaNs();
        w.advanceTo(seconds * S);
        return w.thetaNs() - start;
    }

    private static void assertClose(double[] c, double[] java, double spreadTolerance) {
        double ratio = sd(c) / sd(java);
        assertTrue(Math.abs(ratio - 1) < spreadTolerance, "spread C " + sd(c) + " ns, Java " + sd(java) + " ns");
        double se = Math.sqrt((sd(c) * sd(c) + sd(java) * sd(java)) / c.length);
        assertEquals(mean(java), mean(c), 4 * se, "mean C " + mean(c) + ", Java " + mean(java));
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double sd(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }
}
