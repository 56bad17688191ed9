package org.pps2phc.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.pps2phc.os.UnixDatagramSocket;

/** A stand-in for systemd's NOTIFY_SOCKET: collects every datagram sent to it, with its arrival time. */
final class NotifyReceiver implements AutoCloseable {
    record Message(String text, long atNanos) {
    }

    private final UnixDatagramSocket socket;
    private final String name;
    private final List<Message> messages = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    private NotifyReceiver(String name) throws IOException {
        this.name = name;
        this.socket = UnixDatagramSocket.bound(name);
        this.thread = new Thread(this::receive, "notify-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    /** Bound to an abstract name, as systemd's own socket is. */
    static NotifyReceiver abstractSocket() throws IOException {
        return new NotifyReceiver("@pps2phc-test-" + ProcessHandle.current().pid() + "-"
                + ThreadLocalRandom.current().nextInt(1_000_000));
    }

    static NotifyReceiver at(String path) throws IOException {
        return new NotifyReceiver(path);
    }

    String name() {
        return name;
    }

    private void receive() {
        while (!closed) {
            try {
                Optional<byte[]> d = socket.receive(4096, 100);
                d.ifPresent(bytes -> {
                    synchronized (messages) {
                        messages.add(new Message(new String(bytes, StandardCharsets.UTF_8), System.nanoTime()));
                        messages.notifyAll();
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Lines ("KEY=value") of every message so far, in order. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Message m : messages()) {
            out.addAll(List.of(m.text().split("\n")));
        }
        return out;
    }

    long count(Predicate<String> line) {
        return lines().stream().filter(line).count();
    }

    /** Waits until a line matches, and returns the arrival time of its message; empty on timeout. */
    Optional<Long> await(Predicate<String> line, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        synchronized (messages) {
            while (true) {
                for (Message m : messages) {
                    for (String l : m.text().split("\n")) {
                        if (line.test(l)) {
                            return Optional.of(m.atNanos());
                        }
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                messages.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Waits until at least {@code n} lines match. */
    boolean awaitCount(Predicate<String> line, int n, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (count(line) >= n) {
                return true;
            }
            Thread.sleep(20);
        }
        return count(line) >= n;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(1000);
        socket.close();
    }
}
