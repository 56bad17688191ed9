package org.pps2phc.linux;

import org.pps2phc.os.NativeLibraries;
import org.pps2phc.os.Errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;

/** The real JNA path of the PHC layer, end to end, against the fake kernel shim. */
class PhcDeviceFakeKernelTest {
    private static final int MAX_ADJ = 500_000_000;

    @TempDir
    Path dir;
    private FakeKernel fake;
    private FakeKernel.Control k;
    private String path;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeKernel.install();
        k = fake.control();
        path = Files.createFile(dir.resolve("ptp0")).toString();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    // ---------------------------------------------------------------- opening, capabilities, pins

    @Test
    void readsCapabilitiesAndPins() throws Exception {
        int dev = fake.create(path, 2, 4, MAX_ADJ);
        k.fake_ptp_set_pin(dev, 2, "GNSS_PPS", PtpIoctls.PTP_PF_EXTTS, 1);
        try (PhcDevice phc = PhcDevice.open(path)) {
            assertEquals(new PhcCapabilities(MAX_ADJ, 0, 2, 0, false, 4, false, false), phc.capabilities());
            assertEquals(MAX_ADJ, phc.maxAdjPpb());
            assertEquals(path, phc.name());
            assertEquals(List.of(new PinDescription(0, "SDP0", 0, 0), new PinDescription(1, "SDP1", 0, 0),
                    new PinDescription(2, "GNSS_PPS", 1, 1), new PinDescription(3, "SDP3", 0, 0)), phc.pins());
            assertEquals(1, k.fake_ptp_open_files(dev));
        }
        assertEquals(0, k.fake_ptp_open_files(dev), "close() closes the file");
    }

    @Test
    void opensByInterfaceNameThroughEthtool() throws Exception {
        int dev = fake.create("/dev/ptp97", 1, 0, MAX_ADJ);
        k.fake_ptp_add_interface("fake0", 97, 0);
        try (PhcDevice phc = PhcDevice.open("fake0")) {
            assertEquals("/dev/ptp97", phc.path());
            assertEquals("/dev/ptp97 (fake0)", phc.name());
            assertEquals(1, k.fake_ptp_open_files(dev));
        }
    }

    @Test
    void anInterfaceWithoutPhcOrThatDoesNotExistIsOneClearLine() {
        k.fake_ptp_add_interface("nophc0", -1, 0);
        k.fake_ptp_add_interface("gone0", 0, Errno.ENODEV);
        PhcException none = assertThrows(PhcException.class, () -> PhcDevice.open("nophc0"));
        assertEquals(69, none.exitCode());
        assertTrue(none.getMessage().startsWith("interface nophc0 has no PTP hardware clock"), none.getMessage());
        PhcException gone = assertThrows(PhcException.class, () -> PhcDevice.open("gone0"));
        assertEquals(69, gone.exitCode());
        assertTrue(gone.getMessage().startsWith("no network interface named 'gone0'"), gone.getMessage());
        k.fake_ptp_add_interface("ptp1", 0, Errno.ENODEV);
        PhcException devName = assertThrows(PhcException.class, () -> PhcDevice.open("ptp1"));
        assertTrue(devName.getMessage().endsWith("; did you mean /dev/ptp1?"), devName.getMessage());
    }

    @Test
    void missingDeviceSaysSoAndExits69() {
        PhcException e = assertThrows(PhcException.class, () -> PhcDevice.open(dir.resolve("ptp9").toString()));
        assertEquals(69, e.exitCode());
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().startsWith(dir.resolve("ptp9") + ": no such PTP hardware clock"), e.getMessage());
        assertTrue(e.getMessage().contains("pps2phc check"), e.getMessage());
    }

    @Test
    void permissionDeniedNamesUserGroupAndUdevRule() throws Exception {
        fake.create(path, 1, 0, MAX_ADJ);
        fake.fail("open", Errno.EACCES, 1);
        PhcException e = assertThrows(PhcException.class, () -> PhcDevice.open(path));
        assertEquals(77, e.exitCode());
        String group = Files.readAttributes(Path.of(path), PosixFileAttributes.class).group().getName();
        String m = e.getMessage();
        assertTrue(m.startsWith(path + ": permission denied to open read-write for user '"
                + System.getProperty("user.name") + "'"), m);
        assertTrue(m.contains(":" + group + " mode rw"), m);
        assertTrue(m.contains("SUBSYSTEM==\"ptp\", GROUP=\"pps2phc\", MODE=\"0660\""), m);
        assertFalse(m.contains("\n"), "one line");
    }

    @Test
    void aFileThatIsNoPhcIsRejectedClearly() {
        fake.create(path, 1, 0, MAX_ADJ);
        fake.failIoctl(PtpIoctls.PTP_CLOCK_GETCAPS2, Errno.ENOTTY, 1);
        fake.failIoctl(PtpIoctls.PTP_CLOCK_GETCAPS, Errno.ENOTTY, 1);
        PhcException e = assertThrows(PhcException.class, () -> PhcDevice.open(path));
        assertEquals(69, e.exitCode());
        assertTrue(e.getMessage().startsWith(path + " is not a PTP hardware clock"), e.getMessage());
    }

    @Test
    void capabilitiesFallBackToTheV1Ioctl() throws Exception {
        fake.create(path, 3, 0, MAX_ADJ);
        fake.failIoctl(PtpIoctls.PTP_CLOCK_GETCAPS2, Errno.ENOTTY, 1);
        try (PhcDevice phc = PhcDevice.open(path)) {
            assertEquals(3, phc.capabilities().externalTimestamps());
        }
    }

    // ---------------------------------------------------------------- arming

    @Test
    void armsRisingEdgeOnlyWhenTheDriverCanAndRoutesThePin() throws Exception {
        int dev = fake.create(path, 2, 2, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(1, PinChoice.byIndex(1))) {
            assertEquals(EdgeMode.SINGLE, ch.edgeMode());
            assertEquals(EdgeRequest.RISING_STRICT, ch.edgeRequest());
            assertEquals(PtpIoctls.PTP_ENABLE_FEATURE | PtpIoctls.PTP_RISING_EDGE | PtpIoctls.PTP_STRICT_FLAGS,
                    k.fake_ptp_extts_flags(dev, 1));
            assertEquals(PtpIoctls.PTP_EXTTS_REQUEST2, k.fake_ptp_arm_request(dev, 1).longValue());
            assertEquals(PtpIoctls.PTP_PF_EXTTS, k.fake_ptp_pin_func(dev, 1));
            assertEquals(1, k.fake_ptp_pin_chan(dev, 1));
            assertEquals(PtpIoctls.PTP_PIN_SETFUNC2, k.fake_ptp_pin_request(dev).longValue());
            assertEquals(1 << 1, k.fake_ptp_channel_mask(dev).longValue(), "per-file mask selects the channel");
        }
        assertEquals(0, k.fake_ptp_extts_flags(dev, 1), "closing disarms");
    }

    @Test
    void dualEdgeNicsRefuseRisingOnlyAndGetBothEdges() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_set_edge_model(dev, FakeKernel.EDGES_BOTH_ONLY);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            assertEquals(EdgeMode.BOTH, ch.edgeMode());
            assertEquals(EdgeRequest.BOTH_STRICT, ch.edgeRequest());
            assertEquals(PtpIoctls.PTP_ENABLE_FEATURE | PtpIoctls.PTP_RISING_EDGE | PtpIoctls.PTP_FALLING_EDGE
                    | PtpIoctls.PTP_STRICT_FLAGS, k.fake_ptp_extts_flags(dev, 0));
            assertEquals(0, k.fake_ptp_pin_request(dev).longValue(), "no pins: PIN_SETFUNC is not called");
        }
    }

    /**
     * A kernel whose REQUEST2 knows no strict flag (EINVAL) is asked again without it, and an igb NIC then stamps
     * both edges although one was asked. The request says so: not verified, so the edge count is a hint.
     */
    @Test
    void withoutStrictFlagsRequest2GoesWithoutThemAndTheEdgesAreUnverified() throws Exception {
        int dev = unverifiedArming(FakeKernel.KERNEL_5_4, EdgeRequest.RISING_UNVERIFIED, PtpIoctls.PTP_EXTTS_REQUEST2);
        assertEquals(0, k.fake_ptp_extts_flags(dev, 0), "disarmed");
    }

    /** Without the …2 ioctls (ENOTTY): the v1 request, unverified, and igb stamps both edges. */
    @Test
    void withoutRequest2TheV1RequestIsTakenAndTheEdgesAreUnverified() throws Exception {
        int dev = unverifiedArming(FakeKernel.KERNEL_PRE_5_4, EdgeRequest.RISING_V1, PtpIoctls.PTP_EXTTS_REQUEST);
        assertEquals(0, k.fake_ptp_extts_flags(dev, 0), "disarmed through v1");
    }

    /** Arms an igb-like device on {@code kernel}; checks the request taken and that both edges arrive anyway. */
    private int unverifiedArming(int kernel, EdgeRequest expected, long ioctl) throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_set_kernel(dev, kernel);
        k.fake_ptp_set_edge_model(dev, FakeKernel.EDGES_BOTH_ONLY);
        k.fake_ptp_pps(dev, 0, 100_000_000L, 0);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            assertEquals(expected, ch.edgeRequest());
            assertFalse(ch.edgeRequest().verified());
            assertEquals(ioctl, k.fake_ptp_arm_request(dev, 0).longValue());
            assertEquals(0, k.fake_ptp_extts_flags(dev, 0) & PtpIoctls.PTP_STRICT_FLAGS, "not strict");
            assertEquals(100_000_000L, edgeSpacing(ch), "both edges arrive although one was asked");
        }
        return dev;
    }

    /** Only strict requests are verified. */
    @Test
    void strictRequestsAreVerified() {
        assertTrue(EdgeRequest.RISING_STRICT.verified());
        assertTrue(EdgeRequest.BOTH_STRICT.verified());
        assertFalse(EdgeRequest.RISING_UNVERIFIED.verified());
        assertFalse(EdgeRequest.RISING_V1.verified());
    }

    /** The shortest spacing between consecutive events within a pulse (ns), over a few pulses. */
    private static long edgeSpacing(ExttsChannel ch) throws Exception {
        long previous = Long.MIN_VALUE;
        long shortest = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            long t = ch.next(2_500_000_000L).orElseThrow().phcNs();
            if (previous != Long.MIN_VALUE) {
                shortest = Math.min(shortest, t - previous);
            }
            previous = t;
        }
        return Math.round(shortest / 1e6) * 1_000_000L;
    }

    @Test
    void brokenRequest2FallsBackToTheV1Request() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_set_edge_model(dev, FakeKernel.EDGES_REQUEST2_BROKEN);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            assertEquals(EdgeRequest.RISING_V1, ch.edgeRequest());
            assertEquals(EdgeMode.SINGLE, ch.edgeMode());
            assertEquals(PtpIoctls.PTP_EXTTS_REQUEST, k.fake_ptp_arm_request(dev, 0).longValue());
            assertEquals(PtpIoctls.PTP_ENABLE_FEATURE | PtpIoctls.PTP_RISING_EDGE, k.fake_ptp_extts_flags(dev, 0));
        }
        assertEquals(0, k.fake_ptp_extts_flags(dev, 0), "disarmed through v1 when REQUEST2 is broken");
    }

    @Test
    void pinsByNameAndTheV1PinFallback() throws Exception {
        int dev = fake.create(path, 1, 3, MAX_ADJ);
        k.fake_ptp_set_pin(dev, 2, "GNSS_PPS", 0, 0);
        fake.failIoctl(PtpIoctls.PTP_PIN_GETFUNC2, Errno.ENOTTY, -1);
        fake.failIoctl(PtpIoctls.PTP_PIN_SETFUNC2, Errno.ENOTTY, -1);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byName("GNSS_PPS"))) {
            assertEquals(PtpIoctls.PTP_PF_EXTTS, k.fake_ptp_pin_func(dev, 2));
            assertEquals(PtpIoctls.PTP_PIN_SETFUNC, k.fake_ptp_pin_request(dev).longValue());
            assertEquals(EdgeMode.SINGLE, ch.edgeMode());
        }
    }

    @Test
    void unknownPinOrChannelIsAConfigurationError() throws Exception {
        fake.create(path, 2, 2, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path)) {
            PhcException byName = assertThrows(PhcException.class, () -> phc.armExtts(0, PinChoice.byName("PPS_IN")));
            assertEquals(78, byName.exitCode());
            assertEquals(path + " has no pin named 'PPS_IN'; its pins are ['SDP0', 'SDP1']", byName.getMessage());
            PhcException byIndex = assertThrows(PhcException.class, () -> phc.armExtts(0, PinChoice.byIndex(5)));
            assertEquals(path + " has no pin 5: it has 2 pins (0..1)", byIndex.getMessage());
            PhcException chan = assertThrows(PhcException.class, () -> phc.armExtts(2, PinChoice.byIndex(0)));
            assertEquals(78, chan.exitCode());
            assertEquals(path + " has no external-timestamp channel 2: it has 2 (0..1)", chan.getMessage());
        }
    }

    @Test
    void aPhcWithoutExternalTimestampChannelCannotBeArmed() throws Exception {
        fake.create(path, 0, 0, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path)) {
            PhcException e = assertThrows(PhcException.class, () -> phc.armExtts(0, PinChoice.byIndex(0)));
            assertEquals(69, e.exitCode());
            assertTrue(e.getMessage().startsWith(path + " has no external-timestamp channel (n_ext_ts = 0), so it "
                    + "cannot timestamp a PPS input"), e.getMessage());
        }
    }

    @Test
    void everyEdgeModeRefusedListsWhatWasTried() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_set_edge_model(dev, FakeKernel.EDGES_BOTH_ONLY);
        fake.failIoctl(PtpIoctls.PTP_EXTTS_REQUEST2, Errno.EOPNOTSUPP, -1);
        fake.failIoctl(PtpIoctls.PTP_EXTTS_REQUEST, Errno.EINVAL, -1);
        try (PhcDevice phc = PhcDevice.open(path)) {
            PhcException e = assertThrows(PhcException.class, () -> phc.armExtts(0, PinChoice.byIndex(0)));
            assertEquals(69, e.exitCode());
            String m = e.getMessage();
            assertTrue(m.startsWith(path + ": the driver refused every edge mode on external-timestamp channel 0 ("
                    + "REQUEST2 rising only, strict: EOPNOTSUPP"), m);
            assertTrue(m.contains("; REQUEST2 both edges, strict: EOPNOTSUPP"), m);
            assertTrue(m.contains("; REQUEST (v1) rising: EINVAL"), m);
        }
    }

    @Test
    void armingNeedsWriteAccess() throws Exception {
        fake.create(path, 1, 0, MAX_ADJ);
        fake.failIoctl(PtpIoctls.PTP_EXTTS_REQUEST2, Errno.EACCES, -1);
        try (PhcDevice phc = PhcDevice.open(path)) {
            PhcException e = assertThrows(PhcException.class, () -> phc.armExtts(0, PinChoice.byIndex(0)));
            assertEquals(77, e.exitCode());
            assertTrue(e.getMessage().startsWith(path + ": permission denied to arm external-timestamp channel 0"),
                    e.getMessage());
        }
    }

    @Test
    void missingChannelMaskIoctlsAreIgnored() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        fake.failIoctl(PtpIoctls.PTP_MASK_CLEAR_ALL, Errno.ENOTTY, -1);
        fake.failIoctl(PtpIoctls.PTP_MASK_EN_SINGLE, Errno.ENOTTY, -1);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            assertEquals(EdgeMode.SINGLE, ch.edgeMode());
            assertEquals(-1, k.fake_ptp_channel_mask(dev).longValue());
        }
    }

    @Test
    void probingEdgesDisarmsAgainAndLeavesPinsAlone() throws Exception {
        int dev = fake.create(path, 1, 1, MAX_ADJ);
        k.fake_ptp_set_edge_model(dev, FakeKernel.EDGES_BOTH_ONLY);
        try (PhcDevice phc = PhcDevice.open(path)) {
            assertEquals(EdgeRequest.BOTH_STRICT, phc.probeEdges(0));
            assertEquals(0, k.fake_ptp_extts_flags(dev, 0));
            assertEquals(0, k.fake_ptp_pin_request(dev).longValue());
        }
    }

    // ---------------------------------------------------------------- events

    @Test
    void staleEventsAreDrainedBeforeArming() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_inject(dev, 0, 100, 1);
        k.fake_ptp_inject(dev, 0, 101, 2);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            assertEquals(0, k.fake_ptp_pending(dev));
            assertEquals(Optional.empty(), ch.next(50_000_000L));
        }
    }

    @Test
    void readsEventsWithCrossTimestampAndSkipsOtherChannels() throws Exception {
        int dev = fake.create(path, 2, 0, MAX_ADJ);
        // a kernel before 6.7: no per-file mask, so another reader's channel shows up here
        fake.failIoctl(PtpIoctls.PTP_MASK_CLEAR_ALL, Errno.ENOTTY, -1);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            k.fake_ptp_inject(dev, 1, 500, 7);
            k.fake_ptp_inject(dev, 0, 1_700_000_000L, 123_456_789);
            long before = System.nanoTime();
            ExttsEvent e = ch.next(1_000_000_000L).orElseThrow();
            assertEquals(1_700_000_000_123_456_789L, e.phcNs());
            assertEquals(0, e.channel());
            assertTrue(e.monoNs() >= before && e.monoNs() <= System.nanoTime());
            assertEquals("extended", e.xts().method());
            assertEquals(1, ch.otherChannelEvents());
            long phcNow = k.fake_ptp_time(dev);
            assertTrue(Math.abs(e.xts().phcNs() - phcNow) < 1_000_000_000L, "cross-timestamp reads the PHC now");
        }
    }

    @Test
    void aMissingPulseIsATimeoutNotAnError() throws Exception {
        fake.create(path, 1, 0, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            long t0 = System.nanoTime();
            assertEquals(Optional.empty(), ch.next(300_000_000L));
            long waited = System.nanoTime() - t0;
            assertTrue(waited >= 290_000_000L, "returned after " + waited + " ns");
            assertTrue(waited < 2_000_000_000L, "returned after " + waited + " ns");
        }
    }

    @Test
    void anInterruptWithAWakeUpEndsTheWaitPromptly() throws Exception {
        fake.create(path, 1, 0, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = waitingAMinute(ch, thrown);
            Thread.sleep(100); // most likely inside poll() by now; an earlier interrupt must end the wait too
            long t0 = System.nanoTime();
            t.interrupt();
            ch.wakeUp(); // the interrupt does not reach a thread blocked in poll(): the stop wakes it
            t.join(5_000);
            assertFalse(t.isAlive());
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
            assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        }
    }

    /** A reader blocked in next() for a minute, woken, then stopped while an event is pending. */
    @Test
    void aWakeUpEndsALongWaitAndLosesNoEvent() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            List<Long> read = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicInteger empties = new java.util.concurrent.atomic.AtomicInteger();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        Optional<ExttsEvent> e = ch.next(60_000_000_000L);
                        if (e.isPresent()) {
                            read.add(e.get().phcNs());
                        } else {
                            empties.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    ended.set(e);
                }
            });
            reader.start();
            try {
                awaitTrue(() -> k.fake_ptp_mixed_waiters() == 1, "the reader blocks in poll()");
                ch.wakeUp();
                awaitTrue(() -> empties.get() == 1, "a wake-up ends the minute's wait, empty");
                awaitTrue(() -> k.fake_ptp_mixed_waiters() == 1, "the reader waits again");
                k.fake_ptp_inject(dev, 0, 100, 1);
                awaitTrue(() -> read.size() == 1, "an event still ends the wait");
                awaitTrue(() -> k.fake_ptp_mixed_waiters() == 1, "the reader waits again");
                k.fake_ptp_inject(dev, 0, 101, 2);
                reader.interrupt(); // the stop, with an event pending
                ch.wakeUp();
                reader.join(10_000);
                assertFalse(reader.isAlive(), "the stop ended the wait");
            } finally {
                reader.interrupt();
                ch.wakeUp();
                reader.join(10_000);
            }
            assertTrue(ended.get() instanceof InterruptedException, String.valueOf(ended.get()));
            assertEquals(1, empties.get());
            List<Long> all = new java.util.ArrayList<>(read);
            ch.next(0).ifPresent(e -> all.add(e.phcNs())); // what the stop left in the queue
            assertEquals(List.of(100_000_000_001L, 101_000_000_002L), all, "every event read once, in order");
        }
    }

    @Test
    void closingTheChannelFromAnotherThreadEndsAWait() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        PhcDevice phc = PhcDevice.open(path);
        try {
            ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread reader = waitingAMinute(ch, thrown);
            awaitTrue(() -> k.fake_ptp_mixed_waiters() == 1, "the reader blocks in poll()");
            ch.close();
            reader.join(10_000);
            assertFalse(reader.isAlive(), "the close ended the wait");
            assertTrue(thrown.get() instanceof PhcException p && p.getMessage().endsWith("channel 0 is closed"),
                    String.valueOf(thrown.get()));
            assertEquals(0, k.fake_ptp_extts_flags(dev, 0), "disarmed");
        } finally {
            phc.close();
        }
    }

    /** A started thread in {@code ch.next(60 s)}; what ends it goes to {@code thrown}. */
    private static Thread waitingAMinute(ExttsChannel ch, AtomicReference<Throwable> thrown) {
        Thread t = new Thread(() -> {
            try {
                ch.next(60_000_000_000L);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        return t;
    }

    /** Waits up to 10 s for a condition another thread makes true; fails the test otherwise. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(1);
        }
    }

    @Test
    void readErrorsNameTheDevice() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            k.fake_ptp_inject(dev, 0, 1, 0);
            fake.fail("read", Errno.ENODEV, 1);
            PhcException e = assertThrows(PhcException.class, () -> ch.next(1_000_000_000L));
            assertTrue(e.getMessage().startsWith(path + ": read of external-timestamp event failed: ENODEV"),
                    e.getMessage());
        }
    }

    @Test
    void closingTheDeviceDisarmsItsChannels() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        PhcDevice phc = PhcDevice.open(path);
        ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0));
        assertTrue(k.fake_ptp_extts_flags(dev, 0) != 0);
        phc.close();
        assertEquals(0, k.fake_ptp_extts_flags(dev, 0));
        assertEquals(0, k.fake_ptp_open_files(dev));
        ch.close();
        phc.close();
    }

    /** A NIC reset or driver reload: ENODEV on the open files, no node, then a new node at the same path. */
    @Test
    void aRemovedDeviceIsGoneOnEveryCallAndANewNodeAtItsPathOpensAgain() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_pps(dev, 0, 100_000_000L, 0);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            assertTrue(ch.next(2_500_000_000L).isPresent(), "pulses before the removal");
            k.fake_ptp_remove(dev);
            Files.delete(Path.of(path));
            PhcException read = assertThrows(PhcException.class, () -> ch.next(2_500_000_000L));
            assertTrue(read.deviceGone(), read.getMessage());
            assertTrue(read.getMessage().contains("the device went away or was reset"), read.getMessage());
            PhcException adjust = assertThrows(PhcException.class, () -> phc.setFrequencyPpb(10));
            assertEquals(Errno.ENODEV, adjust.errno());
            assertTrue(adjust.deviceGone());
            assertTrue(adjust.getMessage().endsWith("the device went away (NIC removed, reset or its driver "
                    + "reloaded)"), adjust.getMessage());
            PhcException time = assertThrows(PhcException.class, phc::timeNs);
            assertTrue(time.deviceGone(), time.getMessage());
            PhcException reopen = assertThrows(PhcException.class, () -> PhcDevice.open(path));
            assertTrue(reopen.deviceGone(), "no node: " + reopen.getMessage());
        }
        Files.createFile(Path.of(path));
        int back = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_pps(back, 0, 100_000_000L, 0);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            assertTrue(ch.next(2_500_000_000L).isPresent(), "pulses from the new node");
            assertEquals(1, k.fake_ptp_open_files(back));
        }
    }

    /** A refusal is not a removal: EBUSY or EOPNOTSUPP must not make the daemon reopen the device. */
    @Test
    void onlyAMissingDeviceCountsAsGone() {
        assertTrue(new PhcException(69, Errno.ENODEV, "x").deviceGone());
        assertTrue(new PhcException(69, Errno.ENXIO, "x").deviceGone());
        assertTrue(new PhcException(69, Errno.EIO, "x").deviceGone());
        assertTrue(new PhcException(69, Errno.ENOENT, "x").deviceGone());
        assertFalse(new PhcException(69, Errno.EOPNOTSUPP, "x").deviceGone());
        assertFalse(new PhcException(77, Errno.EACCES, "x").deviceGone());
        assertFalse(new PhcException(69, "x").deviceGone());
    }

    @Test
    void simulatedPpsArrivesOnWholeSecondsOfThePhc() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_pps(dev, 0, 100_000_000L, 0);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            ExttsEvent e = ch.next(2_500_000_000L).orElseThrow();
            long frac = Math.floorMod(e.phcNs(), 1_000_000_000L);
            assertTrue(frac < 5_000_000 || frac > 995_000_000, "PHC started at CLOCK_REALTIME: edge at " + frac);
            assertTrue(e.ageNs() >= 0 && e.ageNs() < 500_000_000L, "age " + e.ageNs());
        }
    }

    @Test
    void theSimulatedOscillatorDriftsAndAFrequencyAdjustmentCorrectsIt() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_set_drift(dev, 200_000);
        k.fake_ptp_pps(dev, 0, 100_000_000L, 37_000_000_000L);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.byIndex(0))) {
            long a = ch.next(2_500_000_000L).orElseThrow().phcNs();
            long b = ch.next(1_500_000_000L).orElseThrow().phcNs();
            assertEquals(1_000_200_000L, b - a, 30_000, "the PHC runs 200 ppm fast");
            phc.setFrequencyPpb(-200_000);
            long c = ch.next(1_500_000_000L).orElseThrow().phcNs();
            long d = ch.next(1_500_000_000L).orElseThrow().phcNs();
            assertEquals(1_000_000_000L, d - c, 30_000, "corrected by ADJ_FREQUENCY");
        }
    }

    @Test
    void aChildProcessGetsItsFakeDeviceFromTheEnvironment() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-D" + NativeLibraries.LIBC_PROPERTY + "=" + fake.library(),
                "-cp", cp, "org.pps2phc.cli.Main", "check", path).redirectErrorStream(true);
        pb.environment().put("FAKE_PTP_DEVICE", path);
        pb.environment().put("FAKE_PTP_EXTTS", "2");
        pb.environment().put("FAKE_PTP_EDGES", "both");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("external timestamps:       2 channels"), out);
        assertTrue(out.contains("edges stamped:             both on channel 0"), out);
    }

    // ---------------------------------------------------------------- clock adjustments

    @Test
    void frequencyIsSetInScaledPpmAndReadBack() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path)) {
            phc.setFrequencyPpb(-12.5);
            ClockCalls.Timex tx = fake.adjustment(dev, 0);
            assertEquals(ClockCalls.ADJ_FREQUENCY, tx.modes, "one operation per call");
            assertEquals(Math.round(-12.5 * 65.536), tx.freq.longValue());
            assertEquals(-819, k.fake_ptp_freq(dev).longValue());
            assertEquals(-819 / 65.536, phc.frequencyPpb(), 1e-9);
            assertEquals(1, k.fake_ptp_adjustments(dev), "reading the frequency adjusts nothing");
        }
    }

    @Test
    void frequencyIsClampedToMaxAdj() throws Exception {
        int dev = fake.create(path, 1, 0, 62_500_000);
        try (PhcDevice phc = PhcDevice.open(path)) {
            phc.setFrequencyPpb(1e9);
            assertEquals(Math.round(62_500_000 * 65.536), fake.adjustment(dev, 0).freq.longValue());
            assertThrows(IllegalArgumentException.class, () -> phc.setFrequencyPpb(Double.NaN));
            assertEquals(1, k.fake_ptp_adjustments(dev), "NaN is a bug upstream, never dialled in");
            phc.setFrequencyPpb(-7e8);
            assertEquals(Math.round(-62_500_000 * 65.536), fake.adjustment(dev, 1).freq.longValue());
            assertEquals(-62_500_000, phc.frequencyPpb(), 1e-6);
        }
    }

    @Test
    void negativeStepsAreNormalisedToNonNegativeNanoseconds() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_set_time(dev, 1_000_000_000_000_000_000L, 1);
        try (PhcDevice phc = PhcDevice.open(path)) {
            phc.step(-1_500_000_000L);
            ClockCalls.Timex tx = fake.adjustment(dev, 0);
            assertEquals(ClockCalls.ADJ_SETOFFSET | ClockCalls.ADJ_NANO, tx.modes);
            assertEquals(-2, tx.time.tv_sec.longValue());
            assertEquals(500_000_000, tx.time.tv_usec.longValue());
            assertEquals(1_000_000_000_000_000_000L - 1_500_000_000L, phc.timeNs());
            phc.step(250);
            tx = fake.adjustment(dev, 1);
            assertEquals(0, tx.time.tv_sec.longValue());
            assertEquals(250, tx.time.tv_usec.longValue());
            phc.step(-1);
            tx = fake.adjustment(dev, 2);
            assertEquals(-1, tx.time.tv_sec.longValue());
            assertEquals(999_999_999, tx.time.tv_usec.longValue());
            assertEquals(1_000_000_000_000_000_000L - 1_500_000_000L + 249, phc.timeNs());
        }
    }

    @Test
    void setTimeAndGetTimeUseTheDevicesClockId() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path)) {
            phc.setTimeNs(1_234_567_890_123_456_789L);
            long t = phc.timeNs();
            assertTrue(t >= 1_234_567_890_123_456_789L && t < 1_234_567_891_123_456_789L, "read " + t);
            assertEquals(1_234_567_890L, k.fake_ptp_time(dev) / 1_000_000_000L);
        }
    }

    @Test
    void adjustmentErrorsNameDeviceAndRemedy() throws Exception {
        fake.create(path, 1, 0, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path)) {
            fake.fail("clock_adjtime", Errno.EACCES, 1);
            PhcException acc = assertThrows(PhcException.class, () -> phc.step(5));
            assertEquals(77, acc.exitCode());
            assertTrue(acc.getMessage().contains("permission denied to clock_adjtime (ADJ_SETOFFSET 5 ns)"),
                    acc.getMessage());
            fake.fail("clock_adjtime", Errno.ERANGE, 1);
            PhcException range = assertThrows(PhcException.class, () -> phc.setFrequencyPpb(10));
            assertTrue(range.getMessage().contains("the driver's limit is " + MAX_ADJ + " ppb"), range.getMessage());
        }
    }

    // ---------------------------------------------------------------- cross-timestamps

    @Test
    void preciseCrossTimestampWhenTheDriverHasIt() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_set_cross_timestamps(dev, 1, 1, 1);
        try (PhcDevice phc = PhcDevice.open(path)) {
            CrossTimestamp x = phc.crossTimestamp();
            assertEquals("precise", x.method());
            assertEquals(0, x.bracketNs());
            assertTrue(Math.abs(x.sysNs() - System.currentTimeMillis() * 1_000_000L) < 1_000_000_000L);
            assertEquals(List.of(), phc.refusedCrossTimestampMethods());
        }
    }

    @Test
    void extendedKeepsTheNarrowestBracket() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_set_bracket_widths(dev, new long[] {5000, 3000, 300, 2000, 4000}, 5);
        try (PhcDevice phc = PhcDevice.open(path)) {
            CrossTimestamp x = phc.crossTimestamp();
            assertEquals("extended", x.method());
            assertEquals(300, x.bracketNs());
            assertEquals(List.of("precise: " + Errno.describe(Errno.EOPNOTSUPP)), phc.refusedCrossTimestampMethods());
            long sysPhcOffset = x.sysNs() - x.phcNs();
            assertTrue(Math.abs(sysPhcOffset) < 1_000_000_000L, "offset " + sysPhcOffset);
        }
    }

    @Test
    void fallsBackToBasicThenToClockGettime() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        k.fake_ptp_set_cross_timestamps(dev, 0, 0, 1);
        k.fake_ptp_set_bracket_widths(dev, new long[] {900, 700, 800}, 3);
        try (PhcDevice phc = PhcDevice.open(path)) {
            CrossTimestamp basic = phc.crossTimestamp();
            assertEquals("basic", basic.method());
            assertEquals(700, basic.bracketNs());
            k.fake_ptp_set_cross_timestamps(dev, 0, 0, 0);
            CrossTimestamp sandwich = phc.crossTimestamp();
            assertEquals("gettime", sandwich.method());
            assertTrue(sandwich.bracketNs() < 100_000_000L);
            assertEquals(3, phc.refusedCrossTimestampMethods().size());
            assertTrue(phc.refusedCrossTimestampMethods().get(2).startsWith("basic: EOPNOTSUPP"));
        }
    }

    @Test
    void aFailingCrossTimestampIsAnErrorNotAFallback() throws Exception {
        int dev = fake.create(path, 1, 0, MAX_ADJ);
        try (PhcDevice phc = PhcDevice.open(path)) {
            fake.failIoctl(PtpIoctls.PTP_SYS_OFFSET_EXTENDED, Errno.EIO, 1);
            PhcException e = assertThrows(PhcException.class, phc::crossTimestamp);
            assertTrue(e.getMessage().startsWith(path + ": PTP_SYS_OFFSET_EXTENDED (cross-timestamp) failed: EIO"),
                    e.getMessage());
            fake.failIoctl(PtpIoctls.PTP_SYS_OFFSET_EXTENDED, Errno.EBUSY, 1);
            assertEquals("extended", phc.crossTimestamp().method(), "EBUSY is retried");
            assertTrue(k.fake_ptp_open_files(dev) == 1);
        }
    }

    // ---------------------------------------------------------------- adjtimex

    @Test
    void adjtimexReportsTaiOffsetLeapAndTime() throws Exception {
        k.fake_ptp_set_adjtimex(37, ClockCalls.STA_INS | ClockCalls.STA_NANO, ClockCalls.TIME_INS);
        KernelTimeStatus s = Adjtimex.system().read();
        assertEquals(37, s.taiOffsetS());
        assertTrue(s.insertPending());
        assertFalse(s.deletePending());
        assertFalse(s.unsynchronised());
        assertEquals(ClockCalls.TIME_INS, s.state());
        assertTrue(Math.abs(s.timeNs() - System.currentTimeMillis() * 1_000_000L) < 1_000_000_000L);
    }

    @Test
    void adjtimexReadsTheRealKernelWithoutChangingIt() throws Exception {
        KernelTimeStatus s = Adjtimex.system().read();
        assertTrue(Math.abs(s.timeNs() - System.currentTimeMillis() * 1_000_000L) < 1_000_000_000L,
                "time " + s.timeNs());
        assertTrue(s.taiOffsetS() >= 0 && s.taiOffsetS() < 100, "tai " + s.taiOffsetS());
        assertTrue(s.state() >= ClockCalls.TIME_OK && s.state() <= ClockCalls.TIME_ERROR);
    }
}
