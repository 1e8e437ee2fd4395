package io.tlsxtractor.enrichment.internal;

import io.tlsxtractor.enrichment.DnsRecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the answer section of a response to an A or AAAA query: follows the CNAME chain from the query
 * name and keeps the addresses of the name the chain ends at. Records about other names (which a
 * misbehaving server may add) are ignored, so that an answer cannot attach an address to a name it was
 * not asked about.
 */
public final class AnswerReader {

    /** Longest CNAME chain followed, inside one answer and across follow-up queries. */
    public static final int MAX_CHAIN = 16;

    private AnswerReader() {
    }

    /**
     * @param records   the CNAME records of the chain then the address records of its end, in that order
     * @param chain     the CNAME targets in order (empty without CNAME)
     * @param end       the name the chain ends at (the query name without CNAME)
     * @param addresses how many address records of the asked type the end name has
     * @param loop      true when the chain loops or is longer than {@link #MAX_CHAIN}
     */
    public record Read(List<DnsRecord> records, List<String> chain, Name end, int addresses, boolean loop) {
    }

    public static Read read(Message response, Name query, int type) {
        Map<Name, CNAMERecord> cnames = new HashMap<>();
        List<Record> answers = response.getSection(Section.ANSWER);
        for (Record r : answers) {
            if (r instanceof CNAMERecord c) {
                cnames.putIfAbsent(c.getName(), c);
            }
        }
        List<DnsRecord> records = new ArrayList<>();
        List<String> chain = new ArrayList<>();
        Set<Name> seen = new HashSet<>();
        Name current = query;
        boolean loop = false;
        seen.add(current);
        while (cnames.containsKey(current)) {
            CNAMERecord c = cnames.get(current);
            Name target = c.getTarget();
            records.add(new DnsRecord(text(current), DnsRecord.Type.CNAME, c.getTTL(), text(target)));
            chain.add(text(target));
            if (!seen.add(target) || chain.size() > MAX_CHAIN) {
                loop = true;
                break;
            }
            current = target;
        }
        int addresses = 0;
        if (!loop) {
            for (Record r : answers) {
                if (r.getType() != type || !r.getName().equals(current)) {
                    continue;
                }
                if (r instanceof ARecord a) {
                    records.add(new DnsRecord(text(current), DnsRecord.Type.A, a.getTTL(),
                            a.getAddress().getHostAddress()));
                    addresses++;
                } else if (r instanceof AAAARecord a) {
                    records.add(new DnsRecord(text(current), DnsRecord.Type.AAAA, a.getTTL(),
                            a.getAddress().getHostAddress()));
                    addresses++;
                }
            }
        }
        return new Read(records, chain, current, addresses, loop);
    }

    /** A name as the enricher reports it: lower case, without the trailing dot. */
    public static String text(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    /** The query type's record name, for messages. */
    public static String typeName(int type) {
        return Type.string(type);
    }
}
