package io.tlsxtractor.streams.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * One certificate of one presented chain, on its way (keyed by SHA-256) to the processor that owns the certificate
 * table. Only the first sighting an extraction task sends of a certificate carries its DER (and, for a leaf, the whole
 * chain, so that analysis can build and check it); the others carry {@link #NO_DER} and an empty chain.
 *
 * @param sha256 lower-case hex SHA-256 of the certificate
 * @param position position in the chain, 0 = leaf
 * @param der the DER encoding, or {@link #NO_DER} (empty) when an earlier sighting carried it
 * @param issuerSha256 SHA-256 of the next certificate of the chain, if any
 * @param endpoint {@code ip:port} that presented it
 * @param sni SNI sent, if any
 * @param hostname the input hostname of the probe, if any
 * @param scanId the scan
 * @param observedAt when it was seen (epoch milliseconds)
 * @param chain the whole chain, leaf first, for the leaf only (empty otherwise)
 */
public record CertSighting(String sha256, int position, byte[] der, String issuerSha256, String endpoint, String sni,
        String hostname, String scanId, long observedAt, List<byte[]> chain) {

    /** The DER of a sighting that does not carry it: empty, as no certificate is (the wire format stays v1). */
    public static final byte[] NO_DER = new byte[0];

    private static final int VERSION = 1;

    public static Serde<CertSighting> serde() {
        return BinaryCodec.serde("certificate sighting", VERSION, (v, out) -> {
            out.writeUTF(v.sha256);
            out.writeInt(v.position);
            BinaryCodec.writeBytes(out, v.der);
            BinaryCodec.writeNullable(out, v.issuerSha256);
            out.writeUTF(v.endpoint);
            BinaryCodec.writeNullable(out, v.sni);
            BinaryCodec.writeNullable(out, v.hostname);
            out.writeUTF(v.scanId);
            out.writeLong(v.observedAt);
            out.writeInt(v.chain.size());
            for (byte[] c : v.chain) {
                BinaryCodec.writeBytes(out, c);
            }
        }, in -> {
            String sha = in.readUTF();
            int position = in.readInt();
            byte[] der = BinaryCodec.readBytes(in);
            String issuer = BinaryCodec.readNullable(in);
            String endpoint = in.readUTF();
            String sni = BinaryCodec.readNullable(in);
            String hostname = BinaryCodec.readNullable(in);
            String scanId = in.readUTF();
            long at = in.readLong();
            int n = in.readInt();
            if (n < 0 || n > 64) {
                throw new IOException("chain of " + n + " certificates");
            }
            List<byte[]> chain = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                chain.add(BinaryCodec.readBytes(in));
            }
            return new CertSighting(sha, position, der, issuer, endpoint, sni, hostname, scanId, at, chain);
        });
    }

    /** Whether this sighting carries the certificate's DER. */
    public boolean hasDer() {
        return der.length > 0;
    }

    /** The name the certificate was served for: the SNI, else the input hostname; null for a bare IP probe. */
    public String servedFor() {
        return sni != null && !sni.isBlank() ? sni : hostname;
    }
}
