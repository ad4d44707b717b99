package org.multimagnet.attack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.multimagnet.common.UserException;

/**
 * Reads an attack's parameters from text ({@code --param eps=0.1}), with defaults, short aliases and errors that
 * name the attack and the parameter. Unknown names are rejected so that a typo never silently keeps a default.
 */
final class ParamReader {
    private final String attack;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> known = new TreeSet<>();

    /**
     * @param attack  the attack's name, for messages
     * @param given   the parameters as given (may be empty, never null)
     * @param aliases short names mapped to canonical names (e.g. {@code eps -> epsilon})
     */
    ParamReader(String attack, Map<String, String> given, Map<String, String> aliases) {
        this.attack = attack;
        for (Map.Entry<String, String> e : given.entrySet()) {
            String name = aliases.getOrDefault(e.getKey().trim(), e.getKey().trim());
            if (values.put(name, e.getValue().trim()) != null) {
                throw new UserException(attack + ": parameter '" + name + "' given twice (directly and by an alias)");
            }
        }
    }

    /** @return the real parameter {@code name}, or {@code dflt} when absent */
    double real(String name, double dflt) {
        known.add(name);
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UserException(attack + ": parameter '" + name + "' = '" + v + "' is not a finite number");
        }
    }

    /** @return the integer parameter {@code name}, or {@code dflt} when absent */
    int integer(String name, int dflt) {
        known.add(name);
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UserException(attack + ": parameter '" + name + "' = '" + v + "' is not a whole number");
        }
    }

    /**
     * Rejects names that no {@link #real}/{@link #integer} call asked for.
     *
     * @throws UserException naming the unknown parameter and the known ones
     */
    void rejectUnknown() {
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw new UserException(attack + ": unknown parameter '" + name + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    /**
     * Builds the record, turning its validation error into a user error that names the attack.
     *
     * @param build the record constructor call
     * @return the record
     */
    <T> T build(java.util.function.Supplier<T> build) {
        rejectUnknown();
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new UserException(attack + ": " + e.getMessage(), e);
        }
    }

    /** Checks a real parameter lies in an interval, for the records' constructors. */
    static void check(boolean ok, String name, double value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("parameter '" + name + "' must be " + expected + ", got " + value);
        }
    }
}
