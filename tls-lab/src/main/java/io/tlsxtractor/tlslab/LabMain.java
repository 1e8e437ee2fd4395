package io.tlsxtractor.tlslab;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a lab from the command line until SIGTERM / Ctrl-C:
 * {@code LabMain --range 127.77.0.0/22 --port 8443 [--spec FILE] [--allow-non-loopback-range]}. Prints
 * the address → profile summary and the CA certificate (PEM) so that clients can trust it.
 *
 * <p>{@code --allow-non-loopback-range} accepts a range outside 127.0.0.0/8. It is for use inside a
 * network namespace only (e.g. {@code ip netns exec NS java ... LabMain --range 198.18.0.0/16 --port 443
 * --allow-non-loopback-range}), where the namespace owns the range: the lab listens on the wildcard
 * address and would otherwise answer on the machine's real interfaces.
 */
public final class LabMain {

    private LabMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String range = null;
        String specFile = null;
        int port = 8443;
        boolean allowNonLoopback = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                System.out.println(usage());
                return;
            }
            if (option.equals("--allow-non-loopback-range")) {
                allowNonLoopback = true;
                continue;
            }
            if (i + 1 >= args.length) {
                fail("option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--range":
                    range = value;
                    break;
                case "--port":
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        fail("--port must be a number, got '" + value + "'");
                    }
                    break;
                case "--spec":
                    specFile = value;
                    break;
                default:
                    fail("unknown option " + option);
            }
        }
        LabSpec spec;
        try {
            spec = specFile == null ? LabSpec.builder().build() : LabSpec.parse(Path.of(specFile), allowNonLoopback);
            if (range != null) {
                spec = spec.withRange(range, allowNonLoopback);
            }
        } catch (RuntimeException e) {
            fail(e.getMessage());
            return;
        }
        TlsLab lab = TlsLab.start(spec, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lab.close();
            stopped.countDown();
        }, "tls-lab-shutdown"));
        System.out.println("TLS lab listening on port " + lab.port() + " (" + lab.tlsProvider() + " TLS, "
                + (lab.usesEpoll() ? "epoll" : "NIO") + ")");
        spec.summary().forEach(System.out::println);
        System.out.println("Lab root CA:");
        System.out.print(lab.caCertificatePem());
        System.out.println("Running until SIGTERM / Ctrl-C.");
        stopped.await();
    }

    private static String usage() {
        return "usage: LabMain --range 127.77.0.0/22 --port 8443 [--spec FILE] [--allow-non-loopback-range]\n"
                + "  spec lines: <ip-or-cidr> <profile>[,<profile>[:arg]]...   (# comments; later lines win)\n"
                + "  --allow-non-loopback-range: accept a range outside 127.0.0.0/8; for use inside a network namespace only";
    }

    private static void fail(String message) {
        System.err.println("tls lab: " + message);
        System.err.println(usage());
        System.exit(2);
    }
}
