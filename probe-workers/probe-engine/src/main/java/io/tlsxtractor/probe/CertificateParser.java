package io.tlsxtractor.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.RFC4519Style;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.util.Properties;

/**
 * Reads certificates as the Internet serves them. Strict parsers (the JDK's, Bouncy Castle's
 * {@code X509CertificateHolder}) reject a whole certificate for one bad field, and the names in
 * it are lost; this parser walks the structure field by field, keeps what it can read and lists
 * the rest in {@link ParsedCertificate#parseProblems()}. It never throws on input and never reads
 * past the given bytes, so malformed DER can neither crash nor stall a probe. Thread-safe.
 */
public final class CertificateParser {
    /** Longer attribute values are cut: they are noise, and they would bloat every record. */
    static final int MAX_VALUE_CHARS = 4096;
    /** A certificate with more problems than this is garbage; listing them all helps nobody. */
    private static final int MAX_PROBLEMS = 50;

    private static final ASN1ObjectIdentifier SAN = new ASN1ObjectIdentifier("2.5.29.17");
    private static final ASN1ObjectIdentifier BASIC_CONSTRAINTS = new ASN1ObjectIdentifier("2.5.29.19");
    private static final DefaultAlgorithmNameFinder ALGORITHM_NAMES = new DefaultAlgorithmNameFinder();

    /** The attribute keys Python's ssl.getpeercert() uses, which 1.x wrote to results.json. */
    private static final Map<String, String> ATTRIBUTE_KEYS = Map.ofEntries(
            Map.entry("2.5.4.3", "commonName"),
            Map.entry("2.5.4.4", "surname"),
            Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.6", "countryName"),
            Map.entry("2.5.4.7", "localityName"),
            Map.entry("2.5.4.8", "stateOrProvinceName"),
            Map.entry("2.5.4.9", "streetAddress"),
            Map.entry("2.5.4.10", "organizationName"),
            Map.entry("2.5.4.11", "organizationalUnitName"),
            Map.entry("2.5.4.12", "title"),
            Map.entry("2.5.4.13", "description"),
            Map.entry("2.5.4.15", "businessCategory"),
            Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.41", "name"),
            Map.entry("2.5.4.42", "givenName"),
            Map.entry("2.5.4.43", "initials"),
            Map.entry("2.5.4.46", "dnQualifier"),
            Map.entry("2.5.4.65", "pseudonym"),
            Map.entry("2.5.4.97", "organizationIdentifier"),
            Map.entry("0.9.2342.19200300.100.1.1", "userId"),
            Map.entry("0.9.2342.19200300.100.1.25", "domainComponent"),
            Map.entry("1.2.840.113549.1.9.1", "emailAddress"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionLocalityName"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionStateOrProvinceName"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionCountryName"));

    private CertificateParser() {
    }

    /** Parses one DER-encoded certificate; never throws. */
    public static ParsedCertificate parse(byte[] der) {
        Reader r = new Reader(der == null ? new byte[0] : der);
        // Old certificates encode integers with redundant leading bytes; Bouncy Castle refuses them
        // unless told otherwise. A thread override keeps the relaxation to this parse only.
        boolean overridden = Properties.setThreadOverride("org.bouncycastle.asn1.allow_unsafe_integer", true);
        try {
            r.read();
        } catch (RuntimeException | StackOverflowError e) {
            r.problem("certificate structure: " + describe(e));
        } finally {
            if (!overridden) {
                Properties.removeThreadOverride("org.bouncycastle.asn1.allow_unsafe_integer");
            }
        }
        return r.result();
    }

    /** SHA-256 of the bytes, lower-case hex. */
    public static String sha256Hex(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + truncate(m, 200) + ")");
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** State of one parse: the fields found so far and the problems met. */
    private static final class Reader {
        private final byte[] der;
        private final List<String> problems = new ArrayList<>();
        private int version;
        private String serialHex;
        private Map<String, List<String>> subject = Map.of();
        private Map<String, List<String>> issuer = Map.of();
        private String subjectDn;
        private String issuerDn;
        private final Set<String> sanDns = new LinkedHashSet<>();
        private final Set<String> sanIp = new LinkedHashSet<>();
        private final Set<String> sanOther = new LinkedHashSet<>();
        private Instant notBefore;
        private Instant notAfter;
        private String keyType;
        private int keyBits;
        private String keyCurve;
        private String signatureAlgorithm;
        private boolean ca;
        private boolean selfIssued;
        private final List<String> extensionOids = new ArrayList<>();

        Reader(byte[] der) {
            this.der = der;
        }

        void problem(String text) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(text);
            } else if (problems.size() == MAX_PROBLEMS) {
                problems.add("more problems not listed");
            }
        }

        void read() {
            if (der.length == 0) {
                problem("empty certificate");
                return;
            }
            ASN1Primitive top;
            // The limit makes a bogus length fail fast instead of allocating what it claims.
            try (ASN1InputStream in = new ASN1InputStream(der, true)) {
                top = in.readObject();
                if (in.available() > 0) {
                    problem("trailing bytes after certificate: " + in.available());
                }
            } catch (IOException | RuntimeException e) {
                problem("not DER: " + describe(e));
                return;
            }
            if (!(top instanceof ASN1Sequence cert) || cert.size() < 1) {
                problem("not a certificate: top level is " + (top == null ? "empty" : top.getClass().getSimpleName()));
                return;
            }
            if (cert.size() != 3) {
                problem("certificate has " + cert.size() + " elements instead of 3");
            }
            if (cert.size() >= 2) {
                attempt("signature algorithm", () -> signatureAlgorithm = algorithmName(cert.getObjectAt(1)));
            }
            if (!(cert.getObjectAt(0) instanceof ASN1Sequence tbs)) {
                problem("tbsCertificate is not a sequence");
                return;
            }
            readTbs(tbs);
        }

        private void readTbs(ASN1Sequence tbs) {
            int i = 0;
            version = 1;
            if (i < tbs.size() && tbs.getObjectAt(i) instanceof ASN1TaggedObject t && t.getTagNo() == 0) {
                attempt("version", () -> version = ASN1Integer.getInstance(t.getExplicitBaseObject()).intValueExact() + 1);
                i++;
            }
            ASN1Encodable[] f = tbs.toArray();
            if (f.length - i < 6) {
                problem("tbsCertificate has only " + f.length + " elements");
            }
            int base = i;
            field(f, base, "serial number", e -> serialHex = serial(e));
            field(f, base + 2, "issuer", e -> {
                issuer = attributes(e, "issuer");
                issuerDn = dn(e, "issuer");
            });
            field(f, base + 3, "validity", this::validity);
            field(f, base + 4, "subject", e -> {
                subject = attributes(e, "subject");
                subjectDn = dn(e, "subject");
            });
            if (base + 4 < f.length && base + 2 < f.length) {
                try {
                    selfIssued = Arrays.equals(f[base + 2].toASN1Primitive().getEncoded(), f[base + 4].toASN1Primitive().getEncoded());
                } catch (IOException e) {
                    problem("comparing subject and issuer: " + describe(e));
                }
            }
            field(f, base + 5, "public key", this::publicKey);
            for (int j = base + 6; j < f.length; j++) {
                if (f[j] instanceof ASN1TaggedObject t && t.getTagNo() == 3) {
                    attempt("extensions", () -> extensions(ASN1Sequence.getInstance(t.getExplicitBaseObject())));
                }
            }
        }

        private interface FieldReader {
            void read(ASN1Encodable e) throws Exception;
        }

        private interface Step {
            void run() throws Exception;
        }

        private void field(ASN1Encodable[] f, int index, String what, FieldReader reader) {
            if (index >= f.length) {
                problem(what + ": missing");
                return;
            }
            attempt(what, () -> reader.read(f[index]));
        }

        private void attempt(String what, Step step) {
            try {
                step.run();
            } catch (Exception | StackOverflowError e) {
                problem(what + ": " + describe(e));
            }
        }

        private String serial(ASN1Encodable e) {
            if (e instanceof ASN1Integer i) {
                return HexFormat.of().formatHex(i.getValue().toByteArray());
            }
            throw new IllegalArgumentException("not an INTEGER but " + e.getClass().getSimpleName());
        }

        private Map<String, List<String>> attributes(ASN1Encodable e, String which) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            ASN1Sequence rdns = ASN1Sequence.getInstance(e);
            for (ASN1Encodable rdn : rdns) {
                if (!(rdn instanceof ASN1Set set)) {
                    problem(which + ": relative name is not a SET");
                    continue;
                }
                for (ASN1Encodable atv : set) {
                    try {
                        ASN1Sequence pair = ASN1Sequence.getInstance(atv);
                        String oid = ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0)).getId();
                        String key = ATTRIBUTE_KEYS.getOrDefault(oid, oid);
                        String value = stringValue(pair.getObjectAt(1), which + " " + key);
                        out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                    } catch (RuntimeException ex) {
                        problem(which + ": attribute: " + describe(ex));
                    }
                }
            }
            out.replaceAll((k, v) -> List.copyOf(v));
            return out;
        }

        private String dn(ASN1Encodable e, String which) {
            try {
                return RFC4519Style.INSTANCE.toString(X500Name.getInstance(e));
            } catch (RuntimeException ex) {
                // The attributes were read one by one already; only the one-line form is lost.
                return null;
            }
        }

        private String stringValue(ASN1Encodable value, String where) {
            String text;
            if (value instanceof ASN1String s) {
                text = s.getString();
            } else if (value instanceof ASN1OctetString o) {
                text = new String(o.getOctets(), StandardCharsets.UTF_8);
            } else {
                problem(where + ": not a string type (" + value.getClass().getSimpleName() + ")");
                text = value.toString();
            }
            if (text.length() > MAX_VALUE_CHARS) {
                problem(where + ": value of " + text.length() + " characters cut to " + MAX_VALUE_CHARS);
                text = text.substring(0, MAX_VALUE_CHARS);
            }
            return text;
        }

        private void validity(ASN1Encodable e) {
            ASN1Sequence v = ASN1Sequence.getInstance(e);
            if (v.size() != 2) {
                problem("validity has " + v.size() + " elements");
            }
            if (v.size() > 0) {
                attempt("validity notBefore", () -> notBefore = time(v.getObjectAt(0)));
            }
            if (v.size() > 1) {
                attempt("validity notAfter", () -> notAfter = time(v.getObjectAt(1)));
            }
        }

        private Instant time(ASN1Encodable e) throws ParseException {
            if (e instanceof ASN1UTCTime u) {
                return u.getAdjustedDate().toInstant();
            }
            if (e instanceof ASN1GeneralizedTime g) {
                return g.getDate().toInstant();
            }
            throw new IllegalArgumentException("not a time but " + e.getClass().getSimpleName());
        }

        private void publicKey(ASN1Encodable e) throws IOException {
            ASN1Sequence spki = ASN1Sequence.getInstance(e);
            AlgorithmIdentifier alg = AlgorithmIdentifier.getInstance(spki.getObjectAt(0));
            String oid = alg.getAlgorithm().getId();
            ASN1BitString bits = ASN1BitString.getInstance(spki.getObjectAt(1));
            switch (oid) {
                case "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10" -> {
                    keyType = "RSA";
                    RSAPublicKey rsa = RSAPublicKey.getInstance(bits.getOctets());
                    keyBits = rsa.getModulus().bitLength();
                }
                case "1.2.840.10045.2.1" -> {
                    keyType = "EC";
                    ASN1Encodable params = alg.getParameters();
                    if (params instanceof ASN1ObjectIdentifier curveOid) {
                        keyCurve = ECNamedCurveTable.getName(curveOid);
                        X9ECParameters curve = ECNamedCurveTable.getByOID(curveOid);
                        if (curve != null) {
                            keyBits = curve.getCurve().getFieldSize();
                        } else {
                            keyCurve = curveOid.getId();
                            problem("public key: unknown EC curve " + curveOid.getId());
                        }
                    } else {
                        problem("public key: EC key with explicit or missing curve parameters");
                    }
                }
                case "1.3.101.112" -> {
                    keyType = "Ed25519";
                    keyBits = 256;
                }
                case "1.3.101.113" -> {
                    keyType = "Ed448";
                    keyBits = 456;
                }
                case "1.2.840.10040.4.1" -> {
                    keyType = "DSA";
                    ASN1Encodable params = alg.getParameters();
                    if (params instanceof ASN1Sequence dsa && dsa.size() > 0) {
                        keyBits = ASN1Integer.getInstance(dsa.getObjectAt(0)).getValue().bitLength();
                    }
                }
                default -> keyType = oid;
            }
        }

        private void extensions(ASN1Sequence exts) {
            for (ASN1Encodable item : exts) {
                try {
                    ASN1Sequence ext = ASN1Sequence.getInstance(item);
                    ASN1ObjectIdentifier oid = ASN1ObjectIdentifier.getInstance(ext.getObjectAt(0));
                    boolean critical = ext.size() == 3 && ASN1Boolean.getInstance(ext.getObjectAt(1)).isTrue();
                    ASN1OctetString value = ASN1OctetString.getInstance(ext.getObjectAt(ext.size() - 1));
                    extensionOids.add(oid.getId() + (critical ? "!" : ""));
                    if (oid.equals(SAN)) {
                        attempt("subjectAltName", () -> subjectAltNames(value.getOctets()));
                    } else if (oid.equals(BASIC_CONSTRAINTS)) {
                        attempt("basicConstraints", () -> ca = BasicConstraints.getInstance(
                                ASN1Primitive.fromByteArray(value.getOctets())).isCA());
                    }
                } catch (RuntimeException e) {
                    problem("extension: " + describe(e));
                }
            }
        }

        private void subjectAltNames(byte[] octets) throws IOException {
            ASN1Sequence names;
            try (ASN1InputStream in = new ASN1InputStream(octets, true)) {
                names = ASN1Sequence.getInstance(in.readObject());
            }
            for (ASN1Encodable item : names) {
                try {
                    subjectAltName(item);
                } catch (RuntimeException e) {
                    problem("subjectAltName entry: " + describe(e));
                }
            }
        }

        private void subjectAltName(ASN1Encodable item) {
            ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(item);
            int tag = tagged.getTagNo();
            switch (tag) {
                case GeneralName.dNSName -> {
                    String name = stringValue(ASN1OctetString.getInstance(tagged, false), "subjectAltName dNSName");
                    sanDns.add((name));
                }
                case GeneralName.iPAddress -> {
                    byte[] ip = ASN1OctetString.getInstance(tagged, false).getOctets();
                    if (ip.length == 4 || ip.length == 16) {
                        try {
                            sanIp.add(InetAddress.getByAddress(ip).getHostAddress());
                        } catch (UnknownHostException e) {
                            problem("subjectAltName iPAddress: " + describe(e));
                        }
                    } else {
                        problem("subjectAltName iPAddress of " + ip.length + " bytes: " + HexFormat.of().formatHex(ip));
                    }
                }
                case GeneralName.rfc822Name -> sanOther.add("email:" + (stringValue(
                        ASN1OctetString.getInstance(tagged, false), "subjectAltName rfc822Name")));
                case GeneralName.uniformResourceIdentifier -> sanOther.add("uri:" + (stringValue(
                        ASN1OctetString.getInstance(tagged, false), "subjectAltName URI")));
                case GeneralName.directoryName -> sanOther.add("dirname:"
                        + RFC4519Style.INSTANCE.toString(X500Name.getInstance(tagged, true)));
                case GeneralName.registeredID -> sanOther.add("rid:"
                        + ASN1ObjectIdentifier.getInstance(tagged, false).getId());
                case GeneralName.otherName -> {
                    ASN1Sequence other = ASN1Sequence.getInstance(tagged, false);
                    String oid = ASN1ObjectIdentifier.getInstance(other.getObjectAt(0)).getId();
                    String value = other.size() > 1 && other.getObjectAt(1) instanceof ASN1TaggedObject v
                            ? stringValue(v.getExplicitBaseObject(), "subjectAltName otherName")
                            : "";
                    sanOther.add("othername:" + oid + ":" + value);
                }
                default -> problem("subjectAltName: unknown GeneralName tag " + tag);
            }
        }

        private static String algorithmName(ASN1Encodable e) {
            ASN1ObjectIdentifier oid = AlgorithmIdentifier.getInstance(e).getAlgorithm();
            String name = ALGORITHM_NAMES.getAlgorithmName(oid);
            return name == null || name.isEmpty() ? oid.getId() : name;
        }

        ParsedCertificate result() {
            String sha = sha256Hex(der);
            return new ParsedCertificate(version, serialHex, subject, issuer, subjectDn, issuerDn,
                    new ArrayList<>(sanDns), new ArrayList<>(sanIp), new ArrayList<>(sanOther),
                    notBefore, notAfter, sha, keyType, keyBits, keyCurve, signatureAlgorithm, ca, selfIssued,
                    extensionOids, problems);
        }
    }
}
