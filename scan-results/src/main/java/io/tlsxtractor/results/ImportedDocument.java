package io.tlsxtractor.results;

import io.tlsxtractor.schemas.avro.ProbeResult;
import java.util.List;

/**
 * A 1.x results document read back ({@link ResultsDocuments#fromV1}): its metadata, its results as
 * v2 probe results, its URL entries' DNS facts, and the figures that cannot be recomputed.
 *
 * @param metadata mode, parameters, timestamp, totals; the input host names are reconstructed
 *     from {@code discovered_hosts} (URL hosts, and every discovered name not listed as new)
 * @param results every {@code <result>}, IP results first, then each URL entry's connections
 * @param urls the URL entries, in document order
 * @param elapsedSeconds {@code statistics.elapsed_seconds} as written
 * @param scanRate {@code statistics.scan_rate} as written
 * @param filterApplied whether the document carries {@code domains_filtered} (a filter was applied)
 */
public record ImportedDocument(ScanMetadata metadata, List<ProbeResult> results, List<UrlTarget> urls,
        double elapsedSeconds, double scanRate, boolean filterApplied) {

    public ImportedDocument {
        results = List.copyOf(results);
        urls = List.copyOf(urls);
    }

    /** An accumulator holding these results and URLs, to add more to or to finish. */
    public ResultsDocument toDocument(HostFilters filters) {
        ResultsDocument doc = ResultsDocument.create(metadata, filters);
        urls.forEach(doc::addUrl);
        results.forEach(doc::add);
        return doc;
    }

    /**
     * The 1.x document again, {@code discovered_hosts} recomputed with {@code filters} (the
     * document does not say which filters were used: give the scan's) and the elapsed time and
     * rate as imported.
     */
    public V1Document rebuild(HostFilters filters) {
        return toDocument(filters).finish(elapsedSeconds, scanRate);
    }
}
