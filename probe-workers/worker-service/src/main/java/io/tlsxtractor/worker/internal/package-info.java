/** Parts of the worker that other modules must not use: block expansion, offset tracking, engines, metrics. */
package io.tlsxtractor.worker.internal;
