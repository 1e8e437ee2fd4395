/** The lab's CA, certificate issuing, Netty handlers and HTTP content; not for use outside the lab module. */
package io.tlsxtractor.tlslab.internal;
