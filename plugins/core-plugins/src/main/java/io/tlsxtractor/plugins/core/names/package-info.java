/**
 * Domain name helpers shared by the core plugins, the probe engine and the stream processors:
 * normalisation (case, trailing dot), the 1.x host name validity rule, wildcard handling,
 * label-wise "is subdomain of", and {@link io.tlsxtractor.plugins.core.names.DomainSuffixSet}, a
 * fast matcher for lists of domains with their subdomains.
 *
 * <p>Depends on the JDK only, so that any module can use it.
 */
package io.tlsxtractor.plugins.core.names;
