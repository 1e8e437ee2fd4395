/**
 * The worker: a member of the {@code tlsx-workers} consumer group on the targets topic that probes
 * each target block with the probe engine and writes one probe result per probe, at least once.
 *
 * <p>{@link io.tlsxtractor.worker.WorkerSettings} is the validated configuration,
 * {@link io.tlsxtractor.worker.WorkerService} the running worker,
 * {@link io.tlsxtractor.worker.ProbeResultMapper} the one place where an engine outcome becomes a
 * {@code ProbeResult}, and {@link io.tlsxtractor.worker.WorkerMain} the command-line entry.
 */
package io.tlsxtractor.worker;
