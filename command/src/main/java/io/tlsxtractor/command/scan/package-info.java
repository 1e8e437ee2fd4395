/**
 * The scan of the {@code tlsxtractor} command: the plan built from the flags ({@link
 * io.tlsxtractor.command.scan.ScanPlan}), the embedded pipeline started in the command's own process ({@link
 * io.tlsxtractor.command.scan.EmbeddedPipeline}: broker as a child process, in-process registry, ingest and a worker),
 * the collector that follows one scan's results into the 1.x document ({@link
 * io.tlsxtractor.command.scan.ResultCollector}), the progress lines on stderr, and {@link
 * io.tlsxtractor.command.scan.ScanRunner}, which ties them together and decides the exit code.
 */
package io.tlsxtractor.command.scan;
