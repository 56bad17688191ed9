package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.ntpshm.TestSupport;

/**
 * {@code pps2phc run --simulate} feeds a real chronyd and a real ntpd (ntpsec) across an inserted and a deleted leap
 * second. The simulated world's UTC has the leap second; this machine's clock has none. So the daemon, chronyd and
 * ntpd all run under libfaketime with one whole-second offset: their CLOCK_REALTIME reads a time just before a leap
 * midnight, the same for all three (CLOCK_MONOTONIC is left alone), and the daemon's simulated world starts at the
 * next whole second of that clock, as it does on the real one. The machine's clock is never touched: chronyd -x, ntpd
 * {@code disable ntp}, and libfaketime only changes what the preloaded processes read.
 *
 * <ul>
 *   <li>insert: 2016-12-31, a leap second that happened; chronyd learns it from {@code leapsectz right/UTC}, ntpd
 *       from tzdata's leap-seconds.list.</li>
 *   <li>delete: 2027-06-30, which never had one; chronyd learns it from a zone built here with zic from tzdata's
 *       leapseconds plus the deletion, ntpd from a leap file that ends with TAI-UTC 36.</li>
 * </ul>
 *
 * Both worlds run at once (about 110 s). Each daemon feeds chronyd by SOCK and ntpd by SHM (a SHM reader clears
 * the sample's valid flag, so two readers of one segment would take samples from each other). Each sample chronyd
 * takes (its refclocks log) and each update ntpd makes of the SHM peer (its peerstats) must show the system clock's offset from the PHC, sub-millisecond,
 * before and after midnight: a sample one second off at the leap is a wrong second published.
 */
class DaemonLeapWithChronyAndNtpdTest {
    private static final String FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    private static final String NTPSEC = "/var/cache/pps2phc-test/ntpsec";
    private static final double SYS_OFFSET_MS = -0.8;
    /** Sub-millisecond, and far from the one second a wrong label makes. */
    private static final double TOLERANCE_S = 200e-6;
    /** The world starts this long before midnight (the JVM's start and the lock take 15 s on an idle machine, 40-60 on a loaded one). */
    private static final long LEAD_S = 85;
    /** ...and is watched until this long after it. */
    private static final long AFTER_S = 12;

    private static final long INSERT_MIDNIGHT = LocalDate.of(2017, 1, 1).toEpochSecond(java.time.LocalTime.MIDNIGHT,
            ZoneOffset.UTC);
    private static final long DELETE_MIDNIGHT = LocalDate.of(2027, 7, 1).toEpochSecond(java.time.LocalTime.MIDNIGHT,
            ZoneOffset.UTC);

    @TempDir
    static Path dir;
    private static World insert;
    private static World delete;
    private static ScheduledExecutorService kernel;

    @BeforeAll
    static void startBothWorlds() throws Exception {
        assertTrue(Files.isRegularFile(Path.of(FAKETIME_LIB)), FAKETIME_LIB + " is missing: install the Debian "
                + "package libfaketime (scripts/test-deps.d/42-faketime.sh)");
        TestSupport.require("/usr/sbin/chronyd", "chrony");
        TestSupport.require(NTPSEC + "/usr/sbin/ntpd", "ntpsec (scripts/test-deps.d/40-ntpsec.sh)");
        TestSupport.require("/usr/sbin/zic", "libc-bin");
        assertTrue(Files.isRegularFile(Path.of("/usr/share/zoneinfo/leapseconds")), "install the Debian package tzdata");
        insert = new World("insert", INSERT_MIDNIGHT, 105, 12800, 8);
        delete = new World("delete", DELETE_MIDNIGHT, 106, 12801, 9);
        insert.start("right/UTC", Path.of("/usr/share/zoneinfo/leap-seconds.list"));
        delete.start(deletionZone(), deletionLeapFile());
        kernel = Executors.newScheduledThreadPool(2);
        kernel.scheduleWithFixedDelay(() -> forBoth(World::stepAtTheLeap), 0, 100, TimeUnit.MILLISECONDS);
        kernel.scheduleWithFixedDelay(() -> forBoth(World::pollPtp4l), 0, 300, TimeUnit.MILLISECONDS);
    }

    private interface WorldTask {
        void run(World w) throws Exception;
    }

    /** A periodic task on both worlds; a failure ends that task (and shows in the checks that need it). */
    private static void forBoth(WorldTask task) {
        try {
            task.run(insert);
            task.run(delete);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (kernel != null) {
            kernel.shutdownNow();
        }
        for (World w : new World[] {insert, delete}) {
            if (w != null) {
                w.close();
            }
        }
    }

    @Test
    void acrossAnInsertedSecondChronydAndNtpdSeeOnlyTrueSamples() throws Exception {
        insert.watchAndCheck();
    }

    @Test
    void acrossADeletedSecondChronydAndNtpdSeeOnlyTrueSamples() throws Exception {
        delete.watchAndCheck();
    }

    /** tzdata's leap seconds plus a deleted one on 2027-06-30, compiled with zic; chronyd's leapsectz takes a path. */
    private static String deletionZone() throws Exception {
        Path src = Files.createDirectories(dir.resolve("zone"));
        List<String> leaps = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/usr/share/zoneinfo/leapseconds"))) {
            if (line.startsWith("Leap")) {
                leaps.add(line);
            }
        }
        leaps.add("Leap\t2027\tJun\t30\t23:59:59\t-\tS");
        Files.write(src.resolve("leapseconds"), leaps);
        Files.writeString(src.resolve("zone"), "Zone\tLEAPDEL\t0\t-\tUTC\n");
        TestSupport.Result r = TestSupport.run(20, "/usr/sbin/zic", "-d", src.toString(), "-L",
                src.resolve("leapseconds").toString(), src.resolve("zone").toString());
        assertEquals(0, r.code(), "zic: " + r.output());
        return src.resolve("LEAPDEL").toString();
    }

    /** tzdata's leap-seconds.list (NTP seconds, TAI-UTC) with TAI-UTC 36 from 2027-07-01 and a later expiry. */
    private static Path deletionLeapFile() throws IOException {
        long ntpEpoch = 2_208_988_800L;
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/usr/share/zoneinfo/leap-seconds.list"))) {
            if (line.startsWith("#@")) {
                out.append("#@\t").append(4_102_444_800L + ntpEpoch).append('\n'); // 2100
            } else if (!line.startsWith("#h") && !line.startsWith("#$")) {
                out.append(line).append('\n');
            }
        }
        out.append(DELETE_MIDNIGHT + ntpEpoch).append("\t36\t# 1 Jul 2027 (a deleted second, for the test)\n");
        Path file = dir.resolve("leap-seconds-deleted.list");
        Files.writeString(file, out);
        return file;
    }

    /** TIME_PROPERTIES_DATA_SET as pmc saw it, {@code fromMidnight} s from the leap's midnight. */
    private record Flags(double fromMidnight, String offset, String leap61, String leap59) {
    }

    /**
     * One leap midnight: a daemon with its own SOCK socket, SHM unit and ptp4l, the chronyd, ntpd and ptp4l it
     * feeds, all on one faked clock.
     */
    private static final class World implements AutoCloseable {
        private final String kind;
        private final long midnight;
        private final int unit;
        private final int cmdport;
        private final Path home;
        private final Path offsetFile;
        private long offsetS;
        private final int domain;
        private final List<Flags> timeProperties = new java.util.concurrent.CopyOnWriteArrayList<>();
        private boolean stepped;
        private Process ptp4l;
        private Process daemon;
        private Process chronyd;
        private Process ntpd;

        World(String kind, long midnight, int unit, int cmdport, int domain) throws IOException {
            this.kind = kind;
            this.domain = domain;
            this.midnight = midnight;
            this.unit = unit;
            this.cmdport = cmdport;
            this.home = Files.createDirectories(dir.resolve(kind));
            this.offsetFile = home.resolve("faketime");
        }

        private static String signed(long s) {
            return (s >= 0 ? "+" : "") + s;
        }

        private void writeOffset(long s) throws IOException {
            Path tmp = home.resolve("faketime.new");
            Files.writeString(tmp, signed(s) + "\n");
            Files.move(tmp, offsetFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }

        /**
         * The kernel's leap second on chronyd's and ntpd's clock: an inserted second repeats 23:59:59 (the clock
         * goes back one second at what would be midnight), a deleted one skips it (forward at 23:59:59). The
         * simulated world's system clock does the same by itself. Done by the test's own clock, at most a second or
         * two late (libfaketime reads the file once a second), which is inside the seconds the daemon withholds.
         */
        void stepAtTheLeap() throws IOException {
            boolean inserted = kind.equals("insert");
            long at = (inserted ? midnight : midnight - 1) - offsetS;
            if (!stepped && Instant.now().getEpochSecond() >= at) {
                writeOffset(offsetS + (inserted ? -1 : 1));
                stepped = true;
            }
        }

        void start(String leapsectz, Path leapfile) throws Exception {
            TestSupport.removeSegment(unit);
            // a whole number of seconds, so the faked clocks tick their seconds with the machine's
            offsetS = midnight - LEAD_S - Instant.now().getEpochSecond();
            Map<String, String> daemonClock = Map.of("LD_PRELOAD", FAKETIME_LIB, "FAKETIME", signed(offsetS),
                    "FAKETIME_DONT_FAKE_MONOTONIC", "1", "FAKETIME_DONT_RESET", "1");
            // chronyd's and ntpd's clock is the kernel's, which the test steps at the leap as the kernel would
            writeOffset(offsetS);
            Map<String, String> kernelClock = Map.of("LD_PRELOAD", FAKETIME_LIB, "FAKETIME_TIMESTAMP_FILE",
                    offsetFile.toString(), "FAKETIME_CACHE_DURATION", "1", "FAKETIME_DONT_FAKE_MONOTONIC", "1",
                    "FAKETIME_DONT_RESET", "1");
            Map<String, String> faketime = kernelClock;

            Path conf = home.resolve("pps2phc.conf");
            Files.writeString(conf, "[global]\nstatus_dir " + home.resolve("status") + "\nntpshm_segment " + unit
                    + "\nlock_count 4\nlogging_level 7\nptp4l_update 1\nuds_address " + home.resolve("ptp4l")
                    + "\nptp4l_client_address " + home.resolve("pps2phc.ptp4l") + "\ndomainNumber " + domain
                    + "\nptp4l_check_period 1\nsock_path " + home.resolve("chrony.sock") + "\n");
            Path d = Files.createDirectories(home.resolve("daemon"));
            daemon = DaemonProcessTest.start(d, daemonClock, "run", "--simulate", "-f", conf.toString(), "--feed",
                    "ntpshm,sock,ptp4l", "--scenario", "e810-gpsdo", "--set", "sim.leap=" + kind + "@" + midnight,
                    "--set", "sys.offset_ms=" + SYS_OFFSET_MS, "--set", "sys.jitter_ms=0.005");

            startPtp4l(faketime);

            Path chronyConf = home.resolve("chrony.conf");
            Files.write(chronyConf, List.of("cmdport " + cmdport, "bindcmdaddress 127.0.0.1", "bindcmdaddress /",
                    "port 0", "pidfile " + home.resolve("chronyd.pid"), "driftfile " + home.resolve("chronyd.drift"),
                    "logdir " + home, "log refclocks", "local stratum 10", "leapsectz " + leapsectz,
                    sockWithoutPps()));
            ProcessBuilder chrony = new ProcessBuilder("/usr/sbin/chronyd", "-x", "-d", "-f", chronyConf.toString(),
                    "-u", "root").redirectErrorStream(true).redirectOutput(home.resolve("chronyd.log").toFile());
            chrony.environment().putAll(faketime);
            chronyd = chrony.start();

            Path ntpConf = home.resolve("ntp.conf");
            StringBuilder ntp = new StringBuilder("disable ntp\ndisable kernel\nrestrict default\nrestrict 127.0.0.1\n"
                    + "leapfile " + leapfile + "\nstatsdir " + home + "/\nstatistics peerstats\n"
                    + "filegen peerstats file peerstats type none enable\n");
            for (String line : TestSupport.confLines("ntpsec-pps2phc.conf")) {
                ntp.append(line.replace("refclock shm unit 0 ", "refclock shm unit " + unit + " ")).append('\n');
            }
            Files.writeString(ntpConf, ntp);
            // its own network namespace; SysV SHM is in the IPC namespace, which it shares
            ProcessBuilder n = new ProcessBuilder("unshare", "-n", "--", "sh", "-c", "/sbin/ip link set lo up && exec "
                    + NTPSEC + "/usr/sbin/ntpd -n -c " + ntpConf + " -l " + home.resolve("ntpd.log"))
                    .redirectErrorStream(true).redirectOutput(home.resolve("ntpd.out").toFile());
            n.environment().putAll(faketime);
            ntpd = n.start();
        }

        /**
         * The shipped SOCK line without {@code pps}: with it chronyd keeps only the fraction of each sample's offset,
         * and a sample one whole second off at the leap would pass unseen.
         */
        private String sockWithoutPps() throws Exception {
            String line = TestSupport.adaptChronyConf("chrony-pps2phc-sock.conf", "/run/chrony.pps2phc.sock",
                    home.resolve("chrony.sock").toString(), "LEAP");
            assertTrue(line.contains(" pps "), line);
            return line.replace(" pps ", " ");
        }

        /** ptp4l in a network namespace of its own (free_running, software stamps on lo); the daemon talks to its path. */
        private void startPtp4l(Map<String, String> clock) throws Exception {
            Path config = home.resolve("ptp4l.conf");
            Files.write(config, List.of("[global]", "uds_address " + home.resolve("ptp4l"), "domainNumber " + domain,
                    "free_running 1", "time_stamping software", "network_transport UDPv4", "masterOnly 1",
                    "use_syslog 0", "verbose 1", "logging_level 6", "[lo]"));
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/unshare", "-n", "/bin/sh", "-c",
                    "PATH=/usr/sbin:/usr/bin:/sbin:/bin; ip link set lo up && exec /usr/sbin/ptp4l -f " + config)
                    .redirectErrorStream(true).redirectOutput(home.resolve("ptp4l.log").toFile());
            pb.environment().putAll(clock);
            ptp4l = pb.start();
        }

        /** One pmc GET TIME_PROPERTIES_DATA_SET, kept with the seconds from midnight on the machine's clock. */
        void pollPtp4l() throws IOException, InterruptedException {
            TestSupport.Result r = TestSupport.run(10, "/usr/sbin/pmc", "-u", "-b", "0", "-d",
                    Integer.toString(domain), "-s", home.resolve("ptp4l").toString(), "-i",
                    home.resolve("pmc.sock").toString(), "GET TIME_PROPERTIES_DATA_SET");
            double fromMidnight = System.currentTimeMillis() / 1e3 + offsetS - midnight;
            Map<String, String> fields = new java.util.HashMap<>();
            for (String line : r.output().split("\n")) {
                String[] kv = line.trim().split("\\s+");
                if (line.startsWith("\t\t") && kv.length == 2) {
                    fields.put(kv[0], kv[1]);
                }
            }
            if (fields.containsKey("currentUtcOffset")) {
                timeProperties.add(new Flags(fromMidnight, fields.get("currentUtcOffset"), fields.get("leap61"),
                        fields.get("leap59")));
            }
        }

        /**
         * What ptp4l announced: before midnight (more than 2 s before, for pmc's own delay), once the daemon has set
         * it, TAI-UTC 37 and the leap's flag; from 3 s after, the new offset and no flag.
         */
        private void checkPtp4l() {
            boolean inserted = kind.equals("insert");
            String flagBefore = inserted ? "1 0" : "0 1";
            String offsetAfter = inserted ? "38" : "36";
            List<Flags> seen = List.copyOf(timeProperties);
            List<Flags> before = seen.stream().filter(x -> x.fromMidnight() < -2 && x.offset().equals("37")
                    && (x.leap61() + " " + x.leap59()).equals(flagBefore)).toList();
            assertTrue(before.size() >= 3, "ptp4l never announced 37 with " + (inserted ? "leap61" : "leap59")
                    + " before midnight: " + seen);
            double firstSet = before.get(0).fromMidnight();
            for (Flags x : seen) {
                String now = x.offset() + " " + x.leap61() + " " + x.leap59();
                if (x.fromMidnight() >= firstSet && x.fromMidnight() < -2) {
                    assertEquals("37 " + flagBefore, now, "ptp4l at " + x.fromMidnight() + " s: " + seen);
                } else if (x.fromMidnight() > 3) {
                    assertEquals(offsetAfter + " 0 0", now, "ptp4l at " + x.fromMidnight() + " s: " + seen);
                }
            }
            assertTrue(seen.stream().anyMatch(x -> x.fromMidnight() > 3), "no pmc reply after midnight: " + seen);
            List<String> changes = new ArrayList<>();
            String last = "";
            for (Flags x : seen) {
                String now = "offset " + x.offset() + " leap61 " + x.leap61() + " leap59 " + x.leap59();
                if (!now.equals(last)) {
                    changes.add(String.format("%+.1f s: %s", x.fromMidnight(), now));
                    last = now;
                }
            }
            System.out.printf("%s: ptp4l (pmc, %d replies) %s%n", kind, seen.size(), changes);
        }

        void watchAndCheck() throws Exception {
            Path daemonDir = home.resolve("daemon");
            TestSupport.await((int) (LEAD_S + AFTER_S + 30), 500, () -> {
                if (!daemon.isAlive() || !chronyd.isAlive() || !ntpd.isAlive()) {
                    return "a process exited: pps2phc " + daemon.isAlive() + ", chronyd " + chronyd.isAlive()
                            + ", ntpd " + ntpd.isAlive() + "\n" + DaemonProcessTest.stderr(daemonDir)
                            + TestSupport.readOrEmpty(home.resolve("chronyd.log"))
                            + TestSupport.readOrEmpty(home.resolve("ntpd.log"));
                }
                // both consumers past midnight: chronyd's samples by AFTER_S, one ntpd update (every 16 s)
                List<double[]> c = samples("refclocks.log");
                List<double[]> n = samples("peerstats");
                double fakedNow = Instant.now().getEpochSecond() + offsetS;
                boolean chronyDone = !c.isEmpty() && c.get(c.size() - 1)[0] >= midnight + AFTER_S;
                boolean ntpdDone = !n.isEmpty() && n.get(n.size() - 1)[0] >= midnight + 2;
                return chronyDone && ntpdDone || fakedNow > midnight + AFTER_S + 20 ? null
                        : "chronyd's last sample " + (c.isEmpty() ? "none" : c.get(c.size() - 1)[0] - midnight)
                        + " s, ntpd's last update " + (n.isEmpty() ? "none" : n.get(n.size() - 1)[0] - midnight)
                        + " s from midnight";
            });
            String log = DaemonProcessTest.stderr(daemonDir);
            String lockedAt = log.lines().filter(l -> l.contains("-> locked")).findFirst().orElse("never locked");
            assertTrue(lockedAt.compareTo(utc(midnight - 10)) < 0, "pps2phc locked only at " + lockedAt
                    + " (a machine too loaded to start a JVM and lock in " + (LEAD_S - 10) + " s?):\n" + log);

            // chronyd: every raw sample it took from the socket, reference minus local
            List<double[]> chrony = samples("refclocks.log");
            String chronyLog = TestSupport.readOrEmpty(home.resolve("refclocks.log"));
            long before = chrony.stream().filter(x -> x[0] < midnight - 1).count();
            long after = chrony.stream().filter(x -> x[0] >= midnight + 2).count();
            // ntpd: each update of the SHM peer, reference minus local
            List<double[]> ntp = samples("peerstats");
            String ntpLog = TestSupport.readOrEmpty(home.resolve("peerstats"));
            double expected = -SYS_OFFSET_MS / 1e3;
            System.out.printf("%s: chronyd took %d samples, %d before 23:59:59, %d from 00:00:02, at most %.1f us"
                            + " off; inside %s; ntpd updated at %s s from midnight, at most %.1f us off%n", kind,
                    chrony.size(), before, after,
                    chrony.stream().mapToDouble(x -> Math.abs(x[1] - expected) * 1e6).max().orElse(0),
                    chrony.stream().filter(x -> x[0] >= midnight - 1 && x[0] < midnight + 2)
                            .map(x -> String.format("%.3f", x[0] - midnight)).toList(),
                    ntp.stream().map(x -> String.format("%.1f", x[0] - midnight)).toList(),
                    ntp.stream().mapToDouble(x -> Math.abs(x[1] - expected) * 1e6).max().orElse(0));
            checkPtp4l();
            assertTrue(before >= 3, "chronyd took too few samples before 23:59:59:\n" + chronyLog + log);
            assertTrue(after >= 3, "chronyd took too few samples from 00:00:02:\n" + chronyLog + log);
            for (double[] x : chrony) {
                assertEquals(expected, x[1], TOLERANCE_S, "chronyd's sample at "
                        + (x[0] - midnight) + " s from midnight:\n" + chronyLog);
            }
            assertTrue(ntp.stream().anyMatch(x -> x[0] >= midnight + 2), "no ntpd update after midnight:\n"
                    + ntpLog + TestSupport.readOrEmpty(home.resolve("ntpd.log")));
            for (double[] x : ntp) {
                assertEquals(expected, x[1], TOLERANCE_S, "ntpd's update at " + (x[0] - midnight)
                        + " s from midnight:\n" + ntpLog);
            }
        }

        private static String utc(long s) {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(LocalDateTime.ofEpochSecond(s, 0,
                    ZoneOffset.UTC));
        }

        /**
         * [POSIX seconds, offset s] from chronyd's refclocks log (its raw samples of our refid, not the filter's
         * lines) or ntpd's peerstats (MJD, seconds of day, peer, status, offset ...).
         */
        private List<double[]> samples(String file) {
            List<double[]> out = new ArrayList<>();
            DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
            for (String line : TestSupport.readOrEmpty(home.resolve(file)).split("\n")) {
                String[] c = line.trim().split("\\s+");
                if (file.equals("peerstats") && c.length >= 5 && c[2].equals("SHM(" + unit + ")")) {
                    out.add(new double[] {(Long.parseLong(c[0]) - 40587) * 86400 + Double.parseDouble(c[1]),
                        Double.parseDouble(c[4])});
                } else if (c.length >= 9 && c[2].equals("LEAP") && c[3].matches("\\d+")) {
                    // Date (UTC) Time Refid DP L P Raw-offset Cooked-offset Disp.
                    String[] hms = c[1].split("\\.");
                    double t = LocalDateTime.parse(c[0] + " " + hms[0], f).toEpochSecond(ZoneOffset.UTC)
                            + Double.parseDouble("0." + hms[1]);
                    out.add(new double[] {t, Double.parseDouble(c[6])});
                }
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            try {
                TestSupport.stop(chronyd);
                TestSupport.stop(ntpd);
                TestSupport.stop(ptp4l);
                TestSupport.stop(daemon);
            } finally {
                TestSupport.removeSegment(unit);
            }
        }
    }
}
