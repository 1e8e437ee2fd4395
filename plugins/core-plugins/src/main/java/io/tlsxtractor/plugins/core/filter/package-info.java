/**
 * The domain filters of 1.x: {@code default-exclusions} (the built-in CDN/analytics/ad list,
 * off with {@code --no-default-exclusions}) and {@code domain-list-filter}
 * ({@code --include-domains} / {@code --exclude-domains}). Both match a domain and its subdomains,
 * label by label.
 */
package io.tlsxtractor.plugins.core.filter;
