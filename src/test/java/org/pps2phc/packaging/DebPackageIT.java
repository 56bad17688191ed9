package org.pps2phc.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code mvn package} builds (an integration test: failsafe runs it in {@code verify}, after
 * {@code package}): its control fields, its files with their modes, the conffile, maintainer scripts that parse and
 * do what debhelper's would, and lintian's verdict. docs/install.md describes the same layout; the systemd-guest
 * tests install it.
 */
class DebPackageIT {
    private static final Map<String, String> FILES = new TreeMap<>(Map.ofEntries(
            Map.entry("/usr/bin/pps2phc", "-rwxr-xr-x"),
            Map.entry("/usr/share/pps2phc/pps2phc.jar", "-rw-r--r--"),
            Map.entry("/usr/share/pps2phc/pps2phc.classlist", "-rw-r--r--"),
            Map.entry("/lib/systemd/system/pps2phc.service", "-rw-r--r--"),
            Map.entry("/lib/systemd/system/pps2phc@.service", "-rw-r--r--"),
            Map.entry("/usr/lib/sysusers.d/pps2phc.conf", "-rw-r--r--"),
            Map.entry("/lib/udev/rules.d/60-pps2phc.rules", "-rw-r--r--"),
            Map.entry("/usr/share/bash-completion/completions/pps2phc", "-rw-r--r--"),
            Map.entry("/usr/share/man/man8/pps2phc.8.gz", "-rw-r--r--"),
            Map.entry("/usr/share/man/man5/pps2phc.conf.5.gz", "-rw-r--r--"),
            Map.entry("/etc/pps2phc/pps2phc.conf", "-rw-r--r--"),
            Map.entry("/usr/share/doc/pps2phc/copyright", "-rw-r--r--"),
            Map.entry("/usr/share/doc/pps2phc/changelog.gz", "-rw-r--r--"),
            Map.entry("/usr/share/doc/pps2phc/README.md", "-rw-r--r--"),
            Map.entry("/usr/share/doc/pps2phc/install.md", "-rw-r--r--"),
            Map.entry("/usr/share/doc/pps2phc/configuration.md", "-rw-r--r--"),
            Map.entry("/usr/share/doc/pps2phc/examples/pps2phc.conf", "-rw-r--r--"),
            Map.entry("/usr/share/doc/pps2phc/examples/chrony-pps2phc-shm.conf", "-rw-r--r--"),
            Map.entry("/usr/share/lintian/overrides/pps2phc", "-rw-r--r--")));

    private static Path deb;
    private static String debVersion;

    private record Run(int exit, String out) {
    }

    @BeforeAll
    static void findPackage() {
        String version = System.getProperty("pps2phc.version");
        assertTrue(version != null, "failsafe passes pps2phc.version (the Maven project version)");
        debVersion = version.replace('-', '~');
        deb = Path.of("target", "pps2phc_" + debVersion + "_all.deb");
        assertTrue(Files.exists(deb), deb + " is missing: mvn package builds it");
    }

    @Test
    void controlFieldsNameThePackageItsVersionAndWhatItNeeds() throws Exception {
        assertEquals("pps2phc", field("Package"));
        assertEquals(debVersion, field("Version"));
        assertEquals("all", field("Architecture"));
        String depends = field("Depends");
        assertTrue(depends.contains("default-jre-headless (>= 2:1.17) | java17-runtime-headless"), depends);
        assertTrue(depends.contains("systemd | systemd-standalone-sysusers | systemd-sysusers"), depends);
        assertTrue(depends.contains("init-system-helpers"), depends);
    }

    @Test
    void filesAreWhereDocsInstallMdSaysWithTheirModes() throws Exception {
        Map<String, String> listed = new TreeMap<>();
        for (String line : dpkgDeb("-c", deb.toString()).lines().toList()) {
            String[] f = line.trim().split("\\s+");
            assertEquals("root/root", f[1], line);
            String path = f[5].substring(1);
            if (!f[0].startsWith("d")) {
                listed.put(path, f[0]);
            }
        }
        for (Map.Entry<String, String> e : FILES.entrySet()) {
            assertEquals(e.getValue(), listed.get(e.getKey()), e.getKey() + " in " + listed.keySet());
        }
        for (String path : listed.keySet()) {
            assertTrue(path.startsWith("/usr/") || path.startsWith("/lib/") || path.equals("/etc/pps2phc/pps2phc.conf"),
                    "unexpected " + path);
        }
    }

    @Test
    void theConfigIsTheOnlyConffile(@TempDir Path ctl) throws Exception {
        dpkgDeb("-e", deb.toString(), ctl.toString());
        assertEquals("/etc/pps2phc/pps2phc.conf\n", Files.readString(ctl.resolve("conffiles")));
    }

    @Test
    void packagedFilesAreTheBuildsOwn(@TempDir Path root) throws Exception {
        dpkgDeb("-x", deb.toString(), root.toString());
        assertArrayEquals(Files.readAllBytes(Path.of("systemd/pps2phc.service")),
                Files.readAllBytes(root.resolve("lib/systemd/system/pps2phc.service")));
        assertArrayEquals(Files.readAllBytes(Path.of("conf/pps2phc.conf")),
                Files.readAllBytes(root.resolve("etc/pps2phc/pps2phc.conf")));
        assertArrayEquals(Files.readAllBytes(Path.of("target/man/pps2phc.8")),
                gunzip(root.resolve("usr/share/man/man8/pps2phc.8.gz")));
        assertArrayEquals(Files.readAllBytes(Path.of("target/man/pps2phc.conf.5")),
                gunzip(root.resolve("usr/share/man/man5/pps2phc.conf.5.gz")));
        assertTrue(Files.readString(root.resolve("usr/bin/pps2phc")).contains("/usr/share/pps2phc/pps2phc.jar"),
                "the launcher looks for the jar where the package puts it");
        String changelog = new String(gunzip(root.resolve("usr/share/doc/pps2phc/changelog.gz")),
                StandardCharsets.UTF_8);
        assertTrue(changelog.startsWith("pps2phc (" + debVersion + ") "), changelog);
        assertFalse(Files.readString(root.resolve("usr/share/bash-completion/completions/pps2phc")).startsWith("#!"));
    }

    @Test
    void maintainerScriptsParse(@TempDir Path ctl) throws Exception {
        dpkgDeb("-e", deb.toString(), ctl.toString());
        for (String script : new String[] {"postinst", "prerm", "postrm"}) {
            Path p = ctl.resolve(script);
            assertTrue(Files.isExecutable(p), script);
            assertTrue(Files.readString(p).startsWith("#!/bin/sh\n"), script);
            Run r = run(Map.of(), "sh", "-n", p.toString());
            assertEquals(0, r.exit(), script + ": " + r.out());
        }
        String postrm = Files.readString(ctl.resolve("postrm"));
        assertTrue(postrm.contains("deb-systemd-helper purge 'pps2phc.service'"), postrm);
        assertTrue(postrm.contains("rm -rf /etc/pps2phc"), postrm);
    }

    /**
     * What the maintainer scripts call, on a machine booted with systemd and udev: each script runs in its own
     * mount namespace with empty /run (then /run/systemd/system and /run/udev, as systemd and udev make them),
     * /etc and /var/cache, and Debian's tools are stand-ins that record their arguments. Nothing on this machine is
     * touched.
     */
    @Test
    void aFreshInstallCreatesTheUserTriggersUdevAndEnablesWithoutStarting(@TempDir Path dir) throws Exception {
        List<String> calls = maintainerScript(dir, "postinst", "configure", "");
        assertEquals(List.of("systemd-sysusers pps2phc.conf", "udevadm control --reload",
                "udevadm trigger --subsystem-match=ptp --action=change", "deb-systemd-helper unmask pps2phc.service",
                "deb-systemd-helper --quiet was-enabled pps2phc.service", "deb-systemd-helper enable pps2phc.service",
                "systemctl --system daemon-reload", "/etc/pps2phc exists", "/var/cache/pps2phc exists"), calls);
    }

    @Test
    void anUpgradeRestartsARunningDaemonOnly(@TempDir Path dir) throws Exception {
        assertEquals(List.of("/etc/pps2phc exists", "/var/cache/pps2phc exists"),
                maintainerScript(dir, "prerm", "upgrade", "0.0.1"));
        List<String> calls = maintainerScript(dir, "postinst", "configure", "0.0.1");
        assertEquals("deb-systemd-invoke try-restart pps2phc.service", calls.get(calls.size() - 3), calls.toString());
    }

    @Test
    void removalStopsAndMasksPurgeRemovesTheConfigAndCacheDirectories(@TempDir Path dir) throws Exception {
        assertEquals(List.of("deb-systemd-invoke stop pps2phc.service", "deb-systemd-invoke stop pps2phc@gm1.service",
                "/etc/pps2phc exists", "/var/cache/pps2phc exists"), maintainerScript(dir, "prerm", "remove"));
        assertEquals(List.of("systemctl --system daemon-reload", "deb-systemd-helper mask pps2phc.service",
                "udevadm control --reload", "/etc/pps2phc exists", "/var/cache/pps2phc exists"),
                maintainerScript(dir, "postrm", "remove"));
        assertEquals(List.of("systemctl --system daemon-reload", "deb-systemd-helper purge pps2phc.service",
                "deb-systemd-helper unmask pps2phc.service"), maintainerScript(dir, "postrm", "purge"));
    }

    private static List<String> maintainerScript(Path dir, String script, String... args) throws Exception {
        Path ctl = dir.resolve("control");
        if (!Files.exists(ctl)) {
            dpkgDeb("-e", deb.toString(), ctl.toString());
        }
        Path bin = dir.resolve("bin");
        Path log = dir.resolve("calls");
        if (!Files.exists(bin)) {
            Files.createDirectories(bin);
            for (String tool : new String[] {"systemd-sysusers", "udevadm", "deb-systemd-helper",
                "deb-systemd-invoke", "systemctl"}) {
                Path stub = bin.resolve(tool);
                Files.writeString(stub, "#!/bin/sh\necho \"" + tool + " $*\" >>'" + log + "'\n");
                Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.deleteIfExists(log);
        String world = "mount -t tmpfs none /run && mkdir -p /run/systemd/system /run/udev"
                + " && mount -t tmpfs none /etc && mkdir /etc/pps2phc && : >/etc/pps2phc/pps2phc.conf.dpkg-old"
                + " && : >/etc/pps2phc/gm1.conf && mount -t tmpfs none /var/cache && mkdir /var/cache/pps2phc"
                + " && \"$@\"; rc=$?; [ -e /etc/pps2phc ] && echo /etc/pps2phc exists >>'" + log + "';"
                + " [ -e /var/cache/pps2phc ] && echo /var/cache/pps2phc exists >>'" + log + "'; exit $rc";
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--map-root-user", "sh", "-c", world, "sh",
                ctl.resolve(script).toString()));
        cmd.addAll(List.of(args));
        Run r = run(Map.of("PATH", bin + ":/usr/sbin:/usr/bin:/sbin:/bin"), cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), script + " " + String.join(" ", args) + ": " + r.out());
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void lintianReportsNoErrorsAndNoWarnings() throws Exception {
        Path lintian = Path.of("/usr/bin/lintian");
        if (!Files.isExecutable(lintian)) {
            fail("lintian is missing: install the Debian package 'lintian' (scripts/test-deps.d/80-lintian.sh does)");
        }
        Run r = run(Map.of(), lintian.toString(), "--fail-on", "error,warning", "--tag-display-limit", "0",
                deb.toString());
        List<String> tags = r.out().lines().filter(l -> l.matches("^[EW]: .*")).toList();
        assertEquals(List.of(), tags, r.out());
        assertEquals(0, r.exit(), r.out());
    }

    private static String field(String name) throws Exception {
        return dpkgDeb("-f", deb.toString(), name).strip();
    }

    private static String dpkgDeb(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dpkg-deb"));
        cmd.addAll(List.of(args));
        Run r = run(Map.of(), cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), "dpkg-deb " + String.join(" ", args) + ": " + r.out());
        return r.out();
    }

    private static Run run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish");
        }
        return new Run(p.exitValue(), out);
    }

    private static byte[] gunzip(Path gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(gz)))) {
            return in.readAllBytes();
        }
    }
}
