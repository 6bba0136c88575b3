package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.OutputFormat;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * cert-manager's {@code additionalOutputFormats}, as {@code setAdditionalOutputFormats}
 * ({@code pkg/controller/certificates/issuing/internal/secret.go}) with
 * {@code OutputFormatCombinedPEM} and {@code OutputFormatDER}
 * ({@code internal/controller/certificates/secrets.go}) write them. Stateless.
 */
public final class OutputFormats {
    /** The data key of {@link OutputFormat#COMBINED_PEM}. */
    public static final String COMBINED_PEM = "tls-combined.pem";
    /** The data key of {@link OutputFormat#DER}. */
    public static final String DER = "key.der";
    /** Every key this class may write: a save removes those the certificate no longer asks for. */
    public static final Set<String> KEYS = Set.of(COMBINED_PEM, DER);

    private OutputFormats() {
    }

    /**
     * @param formats the formats asked for
     * @param keyPem {@code tls.key} as written
     * @param chainPem {@code tls.crt} as written
     * @return base64 data entries, one per format
     */
    public static Map<String, String> encode(Set<OutputFormat> formats, String keyPem, String chainPem) {
        Map<String, String> data = new LinkedHashMap<>();
        for (OutputFormat format : formats) {
            switch (format) {
                // bytes.Join([][]byte{privateKey, certificate}, []byte("\n"))
                case COMBINED_PEM -> data.put(COMBINED_PEM, SecretCodec.encode(keyPem + "\n" + chainPem));
                // The bytes of tls.key's PEM block, in whatever encoding it has.
                case DER -> data.put(DER, Base64.getEncoder().encodeToString(pemBlockBytes(keyPem)));
            }
        }
        return data;
    }

    private static byte[] pemBlockBytes(String pem) {
        StringBuilder body = new StringBuilder();
        boolean inside = false;
        for (String line : pem.split("\\R")) {
            if (line.startsWith("-----BEGIN ")) {
                inside = true;
            } else if (line.startsWith("-----END ")) {
                break;
            } else if (inside) {
                body.append(line.trim());
            }
        }
        return Base64.getDecoder().decode(body.toString());
    }
}
