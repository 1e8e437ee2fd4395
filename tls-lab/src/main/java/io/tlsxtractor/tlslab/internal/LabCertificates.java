package io.tlsxtractor.tlslab.internal;

import io.tlsxtractor.tlslab.HostBehaviour;
import io.tlsxtractor.tlslab.Profile;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.IDN;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lab's CA (a root and two intermediates, made at start) and the leaf certificates it issues.
 *
 * <p>A leaf's names, serial, validity and extensions follow only from (address, virtual-host name,
 * behaviour) and the lab's start day, so two runs on the same day present the same fields. Keys are
 * random but drawn from a small pool per key type, which keeps a /22 lab from spending minutes on RSA
 * key generation; each distinct certificate is made once, on first use.
 */
public final class LabCertificates {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final String ORG = "TLSXtractor Lab";
    private static final int POOL_SIZE = 4;

    private final Instant day;
    private final KeyPair rootKey;
    private final X509Certificate root;
    private final KeyPair intermediate1Key;
    private final X509Certificate intermediate1;
    private final KeyPair intermediate2Key;
    private final X509Certificate intermediate2;
    private final Map<String, KeyPair[]> keyPools = new ConcurrentHashMap<>();
    private final Map<LeafKey, CertBundle> leaves = new ConcurrentHashMap<>();

    /** A presented chain (leaf first, never the root) and the leaf's private key. */
    public static final class CertBundle {
        private final PrivateKey key;
        private final List<X509Certificate> chain;

        CertBundle(PrivateKey key, List<X509Certificate> chain) {
            this.key = key;
            this.chain = List.copyOf(chain);
        }

        public PrivateKey key() {
            return key;
        }

        public List<X509Certificate> chain() {
            return chain;
        }

        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private static final class LeafKey {
        final String address;
        final String vhost;
        final HostBehaviour behaviour;

        LeafKey(String address, String vhost, HostBehaviour behaviour) {
            this.address = address;
            this.vhost = vhost;
            this.behaviour = behaviour;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof LeafKey)) {
                return false;
            }
            LeafKey k = (LeafKey) o;
            return k.address.equals(address) && Objects.equals(k.vhost, vhost) && k.behaviour.equals(behaviour);
        }

        @Override
        public int hashCode() {
            return Objects.hash(address, vhost, behaviour);
        }

        @Override
        public String toString() {
            return address + "|" + (vhost == null ? "" : vhost) + "|" + behaviour;
        }
    }

    public LabCertificates(LocalDate startDay) {
        this.day = startDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        try {
            rootKey = generate("rsa:2048");
            X500Name rootName = caName("TLSXtractor Lab Root CA");
            root = sign(caBuilder(rootName, rootName, rootKey.getPublic(), rootKey.getPublic(), 1, -1), rootKey.getPrivate(),
                    "SHA256withRSA");
            intermediate1Key = generate("rsa:2048");
            X500Name int1Name = caName("TLSXtractor Lab Intermediate CA 1");
            intermediate1 = sign(caBuilder(rootName, int1Name, intermediate1Key.getPublic(), rootKey.getPublic(), 2, 1),
                    rootKey.getPrivate(), "SHA256withRSA");
            intermediate2Key = generate("rsa:2048");
            X500Name int2Name = caName("TLSXtractor Lab Intermediate CA 2");
            intermediate2 = sign(caBuilder(int1Name, int2Name, intermediate2Key.getPublic(), intermediate1Key.getPublic(), 3, 0),
                    intermediate1Key.getPrivate(), "SHA256withRSA");
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | java.io.IOException e) {
            throw new IllegalStateException("cannot create the lab CA: " + e.getMessage(), e);
        }
    }

    public X509Certificate root() {
        return root;
    }

    /** Intermediate 1 (issued by the root) and intermediate 2 (issued by intermediate 1). */
    public List<X509Certificate> intermediates() {
        return List.of(intermediate1, intermediate2);
    }

    /** The certificate for a host (or one of its virtual hosts), made on first use. */
    public CertBundle bundle(InetAddress address, String hostName, String vhostName, HostBehaviour behaviour) {
        LeafKey key = new LeafKey(address.getHostAddress(), vhostName, behaviour);
        CertBundle existing = leaves.get(key);
        if (existing != null) {
            return existing;
        }
        return leaves.computeIfAbsent(key, k -> {
            try {
                return issue(k, address, hostName, vhostName, behaviour);
            } catch (Exception e) {
                throw new IllegalStateException("cannot issue the lab certificate for " + k + ": " + e.getMessage(), e);
            }
        });
    }

    /** True when the certificate exists already (so serving it needs no key generation or signing). */
    public boolean isIssued(InetAddress address, String vhostName, HostBehaviour behaviour) {
        return leaves.containsKey(new LeafKey(address.getHostAddress(), vhostName, behaviour));
    }

    private CertBundle issue(LeafKey id, InetAddress address, String hostName, String vhostName, HostBehaviour b)
            throws Exception {
        String base = vhostName != null ? vhostName : hostName;
        String keyType = keyType(b);
        KeyPair keyPair = pooledKey(keyType, id.toString());

        String cn;
        List<GeneralName> sans = new ArrayList<>();
        if (b.has(Profile.MULTI_SAN)) {
            cn = base;
            for (String name : multiSanNames(address, base, b.intArgument(Profile.MULTI_SAN))) {
                sans.add(new GeneralName(GeneralName.dNSName, name));
            }
        } else if (b.has(Profile.WILDCARD)) {
            cn = "*." + base;
            sans.add(new GeneralName(GeneralName.dNSName, "*." + base));
            sans.add(new GeneralName(GeneralName.dNSName, base));
        } else if (b.has(Profile.IDN)) {
            cn = "bücher." + base;
            sans.add(new GeneralName(GeneralName.dNSName, base));
            sans.add(new GeneralName(GeneralName.dNSName, IDN.toASCII("bücher") + "." + base));
            sans.add(new GeneralName(GeneralName.dNSName, IDN.toASCII("münchen") + "." + base));
        } else if (b.has(Profile.CN_ONLY)) {
            cn = base;
        } else if (b.has(Profile.IP_SAN)) {
            cn = address.getHostAddress();
            sans.add(new GeneralName(GeneralName.iPAddress, address.getHostAddress()));
            sans.add(new GeneralName(GeneralName.dNSName, base));
        } else if (b.has(Profile.MANY_SANS)) {
            cn = base;
            int count = b.intArgument(Profile.MANY_SANS);
            sans.add(new GeneralName(GeneralName.dNSName, base));
            for (int i = 1; i < count; i++) {
                sans.add(new GeneralName(GeneralName.dNSName, "n" + i + "." + base));
            }
        } else {
            cn = base;
            sans.add(new GeneralName(GeneralName.dNSName, base));
            if (vhostName == null) {
                sans.add(new GeneralName(GeneralName.dNSName, "www." + base));
            }
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORG).addRDN(BCStyle.OU, "lab profile " + b).addRDN(BCStyle.CN, cn).build();

        Instant notBefore = day.minus(Duration.ofDays(30));
        Instant notAfter = day.plus(Duration.ofDays(365));
        if (b.has(Profile.EXPIRED)) {
            notBefore = day.minus(Duration.ofDays(400));
            notAfter = day.minus(Duration.ofDays(35));
        } else if (b.has(Profile.NOT_YET_VALID)) {
            notBefore = day.plus(Duration.ofDays(30));
            notAfter = day.plus(Duration.ofDays(400));
        }

        int chainLength = b.has(Profile.SELF_SIGNED) ? 1 : b.intArgument(Profile.CHAIN);
        X500Name issuerName;
        PrivateKey issuerKey;
        PublicKey issuerPublic;
        List<X509Certificate> tail;
        if (b.has(Profile.SELF_SIGNED)) {
            issuerName = subject;
            issuerKey = keyPair.getPrivate();
            issuerPublic = keyPair.getPublic();
            tail = List.of();
        } else if (chainLength == 1) {
            issuerName = X500Name.getInstance(root.getSubjectX500Principal().getEncoded());
            issuerKey = rootKey.getPrivate();
            issuerPublic = rootKey.getPublic();
            tail = List.of();
        } else if (chainLength == 2) {
            issuerName = X500Name.getInstance(intermediate1.getSubjectX500Principal().getEncoded());
            issuerKey = intermediate1Key.getPrivate();
            issuerPublic = intermediate1Key.getPublic();
            tail = List.of(intermediate1);
        } else {
            issuerName = X500Name.getInstance(intermediate2.getSubjectX500Principal().getEncoded());
            issuerKey = intermediate2Key.getPrivate();
            issuerPublic = intermediate2Key.getPublic();
            tail = List.of(intermediate2, intermediate1);
        }

        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial(id.toString()),
                Date.from(notBefore), Date.from(notAfter), subject, keyPair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        int usage = keyType.startsWith("rsa") ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keyPair.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerPublic));
        if (!sans.isEmpty()) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(new GeneralName[0])));
        }
        X509Certificate leaf = sign(builder, issuerKey, signatureAlgorithm(issuerKey, b.has(Profile.SHA1)));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(tail);
        return new CertBundle(keyPair.getPrivate(), chain);
    }

    /** The {@code multi-san:N} names: the base, {@code www.}, then names under the base and under example.com. */
    static List<String> multiSanNames(InetAddress address, String base, int count) {
        Set<String> names = new LinkedHashSet<>();
        names.add(base);
        names.add("www." + base);
        String dashed = address.getHostAddress().replace('.', '-');
        for (int i = 1; names.size() < count; i++) {
            names.add(i % 2 == 1 ? "svc" + i + "." + base : "site" + i + "-" + dashed + ".example.com");
        }
        return new ArrayList<>(names).subList(0, count);
    }

    /**
     * Makes the first pooled key of each key type the behaviours use, in the background, so that the
     * first handshake to an RSA 4096 host does not wait seconds for key generation.
     */
    public void warmUp(java.util.Collection<HostBehaviour> behaviours, java.util.concurrent.Executor executor) {
        Set<String> types = new LinkedHashSet<>();
        types.add("rsa:2048");
        behaviours.forEach(b -> types.add(keyType(b)));
        for (String type : types) {
            executor.execute(() -> {
                try {
                    pooledKey(type, "");
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("cannot make a " + type + " key: " + e.getMessage(), e);
                }
            });
        }
    }

    private static String keyType(HostBehaviour b) {
        if (b.has(Profile.ECDSA)) {
            return "ec:" + b.argument(Profile.ECDSA);
        }
        if (b.has(Profile.ED25519)) {
            return "ed25519";
        }
        return "rsa:" + (b.has(Profile.RSA) ? b.argument(Profile.RSA) : "2048");
    }

    private static String signatureAlgorithm(PrivateKey signer, boolean sha1) {
        String alg = signer.getAlgorithm();
        if (alg.equals("Ed25519") || alg.equals("EdDSA")) {
            return "Ed25519";
        }
        if (alg.equals("EC")) {
            if (sha1) {
                return "SHA1withECDSA";
            }
            int bits = ((java.security.interfaces.ECPrivateKey) signer).getParams().getCurve().getField().getFieldSize();
            return bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return sha1 ? "SHA1withRSA" : "SHA256withRSA";
    }

    private KeyPair pooledKey(String keyType, String id) throws GeneralSecurityException {
        // RSA 4096 keys take seconds each to make: one is enough.
        int size = keyType.equals("rsa:4096") ? 1 : POOL_SIZE;
        KeyPair[] pool = keyPools.computeIfAbsent(keyType, t -> new KeyPair[size]);
        int slot = id.isEmpty() ? 0 : Math.floorMod(id.hashCode(), size);
        synchronized (pool) {
            if (pool[slot] == null) {
                pool[slot] = generate(keyType);
            }
            return pool[slot];
        }
    }

    private static KeyPair generate(String keyType) throws GeneralSecurityException {
        KeyPairGenerator generator;
        if (keyType.startsWith("rsa:")) {
            generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(Integer.parseInt(keyType.substring(4)));
        } else if (keyType.equals("ec:p256")) {
            generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else if (keyType.equals("ec:p384")) {
            generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp384r1"));
        } else if (keyType.equals("ed25519")) {
            generator = KeyPairGenerator.getInstance("Ed25519");
        } else {
            throw new IllegalArgumentException("unknown key type " + keyType);
        }
        return generator.generateKeyPair();
    }

    private static X500Name caName(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, ORG).addRDN(BCStyle.CN, cn).build();
    }

    private X509v3CertificateBuilder caBuilder(X500Name issuer, X500Name subject, PublicKey key, PublicKey issuerKey,
                                               int serial, int pathLength) throws GeneralSecurityException, java.io.IOException {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial),
                Date.from(day.minus(Duration.ofDays(365))), Date.from(day.plus(Duration.ofDays(3650))), subject, key);
        builder.addExtension(Extension.basicConstraints, true,
                pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
        if (!issuerKey.equals(key)) {
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKey));
        }
        return builder;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, String algorithm)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder(algorithm).setProvider(BC).build(key);
        byte[] der;
        try {
            der = builder.build(signer).getEncoded();
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot encode certificate: " + e.getMessage(), e);
        }
        // The JDK's own X509Certificate, so that comparisons with what a JDK client received are equal.
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static BigInteger serial(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            byte[] bytes = java.util.Arrays.copyOf(digest, 16);
            bytes[0] = (byte) ((bytes[0] & 0x7F) | 0x01);
            return new BigInteger(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** PEM text of a certificate. */
    public static String pem(X509Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
        }
    }
}
