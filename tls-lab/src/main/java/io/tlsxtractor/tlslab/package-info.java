/**
 * The TLS lab: an in-process TLS server that answers on every address of a 127.x range, each address a
 * "host" with a deterministic name ({@code h-a-b-c-d.lab.test}), certificate and behaviour chosen by a
 * {@link io.tlsxtractor.tlslab.LabSpec}. It is the probe engine's test fixture and benchmark target.
 * Start one with {@link io.tlsxtractor.tlslab.TlsLab#start}; run one by hand with
 * {@link io.tlsxtractor.tlslab.LabMain}.
 */
package io.tlsxtractor.tlslab;
