package dev.autocert4j.store.file;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Properties;

/** Reading the store's properties files. */
final class StoreProperties {
    private StoreProperties() {
    }

    /**
     * @return the properties in {@code bytes}
     * @throws IOException or IllegalArgumentException (a malformed escape) when they do not parse
     */
    static Properties parse(byte[] bytes) throws IOException {
        Properties properties = new Properties();
        properties.load(new ByteArrayInputStream(bytes));
        return properties;
    }

    /** @throws NoSuchFieldException naming the property when it is missing */
    static String required(Properties properties, String name) throws NoSuchFieldException {
        String value = properties.getProperty(name);
        if (value == null) {
            throw new NoSuchFieldException(name);
        }
        return value;
    }
}
