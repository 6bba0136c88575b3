package dev.autocert4j.internal.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Checks of collection arguments whose messages name the argument and the position of a null. */
public final class Arguments {
    private Arguments() {
    }

    /**
     * @param <T> the element type
     * @param values the argument, an array or varargs
     * @param argument its name, e.g. {@code dnsNames}
     * @return an immutable copy
     * @throws NullPointerException naming {@code argument} (and the index) when it or an element is null
     */
    public static <T> List<T> noNulls(String argument, T[] values) {
        if (values == null) {
            throw new NullPointerException(argument + " is null: pass the values, or leave " + argument + " unset");
        }
        return noNulls(argument, java.util.Arrays.asList(values));
    }

    /**
     * @param <T> the element type
     * @param values the argument
     * @param argument its name, e.g. {@code dnsNames}
     * @return an immutable copy, in order
     * @throws NullPointerException naming {@code argument} (and the index) when it or an element is null
     */
    public static <T> List<T> noNulls(String argument, Collection<T> values) {
        if (values == null) {
            throw new NullPointerException(argument + " is null: pass the values, or leave " + argument + " unset");
        }
        List<T> copy = new ArrayList<>(values.size());
        int i = 0;
        for (T value : values) {
            if (value == null) {
                throw new NullPointerException(argument + "[" + i + "] is null: remove it from " + argument);
            }
            copy.add(value);
            i++;
        }
        return List.copyOf(copy);
    }

    /**
     * @param <K> the key type
     * @param <V> the value type
     * @param map the argument
     * @param argument its name, e.g. {@code matchLabels}
     * @return an immutable copy
     * @throws NullPointerException naming {@code argument} and the key when it, a key or a value is null
     */
    public static <K, V> Map<K, V> noNulls(String argument, Map<K, V> map) {
        if (map == null) {
            throw new NullPointerException(argument + " is null: pass a map, or leave " + argument + " unset");
        }
        for (Map.Entry<K, V> e : map.entrySet()) {
            if (e.getKey() == null) {
                throw new NullPointerException(argument + " has a null key: remove it");
            }
            if (e.getValue() == null) {
                throw new NullPointerException(argument + "[" + e.getKey() + "] is null: give it a value or remove it");
            }
        }
        return Map.copyOf(map);
    }
}
