/** Implementation details of the enrichment (rate limiting, DNS message reading, host name matching); not an API. */
package io.tlsxtractor.enrichment.internal;
