package io.tlsxtractor.ingest;

import io.tlsxtractor.schemas.avro.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A resolver answering from a fixed table (no DNS traffic); names not in it do not exist. Records what was asked. */
final class StaticResolver implements HostResolver {

    private final Map<String, List<String>> table;
    final ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
    final Map<String, CompletableFuture<Resolution>> held = new ConcurrentHashMap<>();
    private final boolean hold;
    private final Map<String, Resolution> pending = new ConcurrentHashMap<>();

    StaticResolver(Map<String, List<String>> table) {
        this(table, false);
    }

    /** @param hold leave every answer pending until {@link #release} */
    StaticResolver(Map<String, List<String>> table, boolean hold) {
        this.table = table;
        this.hold = hold;
    }

    @Override
    public CompletableFuture<Resolution> resolve(String hostname, boolean ipv6) {
        asked.add(hostname);
        List<String> addresses = table.get(hostname);
        Resolution answer;
        if (addresses == null) {
            answer = Resolution.failed(hostname, ErrorCode.DNS_NAME_NOT_FOUND, "no such host: " + hostname);
        } else {
            List<String> kept = addresses.stream().filter(a -> ipv6 || !a.contains(":")).toList();
            answer = kept.isEmpty() ? Resolution.failed(hostname, ErrorCode.DNS_NO_DATA, "no A record")
                    : Resolution.of(hostname, kept);
        }
        if (!hold) {
            return CompletableFuture.completedFuture(answer);
        }
        CompletableFuture<Resolution> future = new CompletableFuture<>();
        held.put(hostname, future);
        pending.put(hostname, answer);
        return future;
    }

    void releaseAll() {
        held.forEach((name, future) -> future.complete(pending.get(name)));
    }
}
