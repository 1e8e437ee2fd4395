package io.tlsxtractor.enrichment;

/** How bad a {@link Finding} is, worst first. */
public enum Severity { CRITICAL, HIGH, MEDIUM, LOW }
