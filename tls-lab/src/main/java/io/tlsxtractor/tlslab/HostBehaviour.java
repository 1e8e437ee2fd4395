package io.tlsxtractor.tlslab;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The profiles one lab host has, each with its (normalised) argument. An empty behaviour is the
 * {@code default} profile. Immutable; equal behaviours compare equal.
 */
public final class HostBehaviour {

    /** The behaviour of addresses without a rule. */
    public static final HostBehaviour DEFAULT = new HostBehaviour(new EnumMap<>(Profile.class));

    private final Map<Profile, String> settings;

    private HostBehaviour(EnumMap<Profile, String> settings) {
        this.settings = Collections.unmodifiableMap(settings);
    }

    /**
     * Parses a comma-separated profile list such as {@code rsa:4096,sha1,http-csp}.
     *
     * @throws IllegalArgumentException naming the unknown profile, bad argument or conflict
     */
    public static HostBehaviour parse(String profiles) {
        if (profiles == null || profiles.isBlank()) {
            throw new IllegalArgumentException("no profile given (use 'default' for the default behaviour)");
        }
        EnumMap<Profile, String> settings = new EnumMap<>(Profile.class);
        for (String item : profiles.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("empty profile in '" + profiles + "'");
            }
            int colon = trimmed.indexOf(':');
            String name = colon < 0 ? trimmed : trimmed.substring(0, colon);
            String arg = colon < 0 ? null : trimmed.substring(colon + 1);
            Profile profile = Profile.byLabel(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown profile '" + name + "'; known profiles: " + knownLabels()));
            if (profile == Profile.DEFAULT) {
                profile.normaliseArgument(arg);
                continue;
            }
            String normalised = profile.normaliseArgument(arg);
            for (Profile other : settings.keySet()) {
                if (other == profile) {
                    throw new IllegalArgumentException("profile '" + profile.label() + "' given twice");
                }
                if (other.group() == profile.group() && profile.group() != Profile.Group.FEATURE) {
                    throw new IllegalArgumentException("profiles '" + other.label() + "' and '" + profile.label()
                            + "' exclude each other (both set the " + profile.group().name().toLowerCase() + ")");
                }
            }
            settings.put(profile, normalised);
        }
        return settings.isEmpty() ? DEFAULT : new HostBehaviour(settings);
    }

    private static String knownLabels() {
        return java.util.Arrays.stream(Profile.values()).map(Profile::label).collect(Collectors.joining(", "));
    }

    public boolean has(Profile profile) {
        return settings.containsKey(profile);
    }

    /** The argument of a profile this behaviour has, e.g. {@code "4096"} for {@code rsa:4096}. */
    public String argument(Profile profile) {
        String value = settings.get(profile);
        if (value == null) {
            throw new IllegalArgumentException("behaviour '" + this + "' has no profile '" + profile.label() + "'");
        }
        return value;
    }

    /** The whole-number argument of a profile, or its default when the behaviour does not have it. */
    public int intArgument(Profile profile) {
        return Integer.parseInt(settings.getOrDefault(profile, profile.defaultArgument()));
    }

    public Set<Profile> profiles() {
        return settings.keySet();
    }

    /** True when the lab completes TLS handshakes for this host (no tarpit, reset, garbage, plain HTTP). */
    public boolean speaksTls() {
        return settings.keySet().stream().noneMatch(Profile::preventsTls);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostBehaviour && ((HostBehaviour) o).settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    /** The canonical spec form, e.g. {@code rsa:4096,sha1}; {@code default} when empty. */
    @Override
    public String toString() {
        if (settings.isEmpty()) {
            return "default";
        }
        return settings.entrySet().stream()
                .map(e -> e.getKey().takesArgument() ? e.getKey().label() + ":" + e.getValue() : e.getKey().label())
                .collect(Collectors.joining(","));
    }
}
