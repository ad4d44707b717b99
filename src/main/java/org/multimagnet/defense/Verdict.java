package org.multimagnet.defense;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The outcome of one member's vote or of the ensemble's majority vote (paper §4.1.3, §4.2.4). */
public enum Verdict {
    /** The image looks like the legitimate data: a mark ≤ threshold, or q_leg &gt; q_adv. */
    LEGITIMATE,
    /** The image looks adversarial: a mark &gt; threshold, or q_leg &lt; q_adv. */
    ADVERSARIAL;

    /** @return {@code "legitimate"} or {@code "adversarial"}, the form used in JSON */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads the JSON form (case-insensitive). */
    @JsonCreator
    public static Verdict fromJson(String s) {
        for (Verdict v : values()) {
            if (v.name().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("verdict '" + s + "': expected legitimate or adversarial");
    }
}
