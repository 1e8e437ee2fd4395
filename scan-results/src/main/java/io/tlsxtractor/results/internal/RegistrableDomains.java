package io.tlsxtractor.results.internal;

import com.google.common.net.InternetDomainName;
import java.util.Optional;

/**
 * The registrable domain (eTLD+1) of a name by the ICANN section of the Public Suffix List, as
 * carried by Guava. The private section is deliberately not used: 1.x reported
 * {@code github.io} (not {@code user.github.io}) as the registrable domain of
 * {@code user.github.io}, and {@link InternetDomainName#topDomainUnderRegistrySuffix()} is the
 * ICANN-only counterpart of {@code topPrivateDomain()}.
 */
public final class RegistrableDomains {
    private RegistrableDomains() {
    }

    /**
     * The eTLD+1 of {@code name} (lower case, no wildcard), or empty when the name is a public
     * suffix itself, is not under a known suffix ({@code host.internal}), or is not a domain name.
     */
    public static Optional<String> of(String name) {
        try {
            InternetDomainName domain = InternetDomainName.from(name);
            if (!domain.isUnderRegistrySuffix()) {
                return Optional.empty();
            }
            return Optional.of(domain.topDomainUnderRegistrySuffix().toString());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code name} is itself a registrable domain ({@code example.co.uk}, not {@code www.example.co.uk}). */
    public static boolean isRegistrable(String name) {
        return of(name).map(name::equals).orElse(false);
    }
}
