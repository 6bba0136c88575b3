package dev.autocert4j.manifests;

import static java.util.Objects.requireNonNull;

/**
 * A manifest that cannot be used as written: a field autocert4j does not support, an unknown kind, a
 * value of the wrong type, a secret that cannot be found. The message names the file, the document
 * (counted from 1, as they appear between {@code ---} separators), the line when known and the
 * field path, e.g. {@code spec.acme.solvers[0].dns01.route53}, and says what to change. It never
 * contains a secret's value.
 *
 * <p>A configuration mistake, hence unchecked, as the library's other configuration errors.
 * Immutable.
 */
public final class ManifestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @serial the file or label the manifests came from */
    private final String source;
    /** @serial the document, counted from 1 */
    private final int document;
    /** @serial the line, counted from 1, or 0 when unknown */
    private final int line;
    /** @serial the field path within the document, empty for the document itself */
    private final String field;
    /** @serial what is wrong and what to change */
    private final String problem;

    ManifestException(String source, int document, int line, String field, String problem) {
        super(format(source, document, line, field, problem));
        this.source = requireNonNull(source, "source");
        this.document = document;
        this.line = line;
        this.field = requireNonNull(field, "field");
        this.problem = requireNonNull(problem, "problem");
    }

    private static String format(String source, int document, int line, String field, String problem) {
        return source + ": document " + document + (line > 0 ? " (line " + line + ")" : "")
                + (field.isEmpty() ? "" : ", " + field) + ": " + problem;
    }

    /** @return the file or label the manifests came from */
    public String source() {
        return source;
    }

    /** @return the document, counted from 1 */
    public int document() {
        return document;
    }

    /** @return the line, counted from 1, or 0 when unknown */
    public int line() {
        return line;
    }

    /** @return the field path within the document, e.g. {@code spec.acme.solvers[0].dns01.route53}; empty for the document itself */
    public String field() {
        return field;
    }

    /** @return what is wrong and what to change, without the location */
    public String problem() {
        return problem;
    }
}
