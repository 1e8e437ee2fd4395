package io.tlsxtractor.probe;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made with Bouncy Castle for parser tests, well-formed and deliberately broken. */
final class TestCertificates {
    static final KeyPair RSA = keyPair("RSA", 2048);
    static final KeyPair EC = ecKeyPair();

    private TestCertificates() {
    }

    static KeyPair keyPair(String alg, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signed, well-formed certificate. */
    static byte[] signed(String subject, String issuer, KeyPair key, List<GeneralName> sans, boolean ca,
                         Date notBefore, Date notAfter, String sigAlg) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(0x1234abcdL),
                    notBefore, notAfter, new X500Name(subject), key.getPublic());
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            }
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            return b.build(new JcaContentSignerBuilder(sigAlg).build(key.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    /**
     * A certificate assembled field by field, so that a test can put anything anywhere: the
     * signature is junk, which a parser of presented certificates must not care about.
     */
    static byte[] raw(ASN1Encodable serial, ASN1Encodable issuer, ASN1Encodable validity, ASN1Encodable subject,
                      ASN1Encodable[] extensions) {
        try {
            ASN1EncodableVector tbs = new ASN1EncodableVector();
            tbs.add(new DERTaggedObject(true, 0, new ASN1Integer(2)));
            tbs.add(serial);
            tbs.add(new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.113549.1.1.11")));
            tbs.add(issuer);
            tbs.add(validity);
            tbs.add(subject);
            tbs.add(SubjectPublicKeyInfo.getInstance(RSA.getPublic().getEncoded()));
            if (extensions != null) {
                tbs.add(new DERTaggedObject(true, 3, new DERSequence(extensions)));
            }
            ASN1EncodableVector cert = new ASN1EncodableVector();
            cert.add(new DERSequence(tbs));
            cert.add(new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.113549.1.1.11")));
            cert.add(new DERBitString(new byte[] {1, 2, 3, 4}));
            return new DERSequence(cert).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ASN1Encodable validity(Date from, Date to) {
        return new DERSequence(new ASN1Encodable[] {new DERUTCTime(from), new DERUTCTime(to)});
    }

    static ASN1Encodable extension(String oid, boolean critical, byte[] value) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1ObjectIdentifier(oid));
        if (critical) {
            v.add(org.bouncycastle.asn1.ASN1Boolean.TRUE);
        }
        v.add(new DEROctetString(value));
        return new DERSequence(v);
    }

    static byte[] sanValue(ASN1Encodable... names) {
        try {
            return new DERSequence(names).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ASN1Encodable dnsTagged(String name) {
        return new DERTaggedObject(false, GeneralName.dNSName, new DERIA5String(name));
    }

    static ASN1Encodable ipTagged(byte[] ip) {
        return new DERTaggedObject(false, GeneralName.iPAddress, new DEROctetString(ip));
    }
}
