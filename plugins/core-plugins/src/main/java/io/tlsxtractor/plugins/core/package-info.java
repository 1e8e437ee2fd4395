/**
 * The plugins that ship with TLSXtractor, besides the certificate extractor that lives in the probe
 * engine. All are declared in {@code META-INF/services/io.tlsxtractor.plugin.api.Plugin} and found
 * by {@link io.tlsxtractor.plugin.api.PluginRegistry}; {@link io.tlsxtractor.plugins.core.CorePlugins}
 * names them and says which 1.x option turns each on.
 *
 * <ul>
 *   <li>{@link io.tlsxtractor.plugins.core.csp.CspExtractor} ({@code csp-extractor}): names from
 *       Content-Security-Policy headers;</li>
 *   <li>{@link io.tlsxtractor.plugins.core.js.JsExtractor} ({@code js-extractor}): names from the
 *       page's HTML and the scripts it loads;</li>
 *   <li>{@link io.tlsxtractor.plugins.core.filter.DefaultExclusionsFilter}
 *       ({@code default-exclusions}): the 1.x built-in CDN/analytics/ad exclusion list;</li>
 *   <li>{@link io.tlsxtractor.plugins.core.filter.DomainListFilter} ({@code domain-list-filter}):
 *       the 1.x {@code --include-domains}/{@code --exclude-domains} lists.</li>
 * </ul>
 * {@link io.tlsxtractor.plugins.core.names} holds the domain name rules they share with the rest of
 * the product.
 */
package io.tlsxtractor.plugins.core;
