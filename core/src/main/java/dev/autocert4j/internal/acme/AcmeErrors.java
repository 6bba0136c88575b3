package dev.autocert4j.internal.acme;

import dev.autocert4j.AutocertException;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.issuer.RateLimitedException;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;

/** Turns acme4j exceptions into ours, keeping the CA's problem detail and Retry-After. */
public final class AcmeErrors {
    private AcmeErrors() {
    }

    /**
     * @param e the acme4j failure
     * @param what what we were doing, e.g. "creating the order for default/www"
     * @return our exception, retryable where a retry can help
     */
    public static AutocertException translate(AcmeException e, String what) {
        if (e instanceof AcmeRateLimitedException rl) {
            return new RateLimitedException("The CA rate-limited " + what + ": " + detail(rl.getProblem())
                    + rl.getRetryAfter().map(t -> "; retry after " + t).orElse(""), rl.getRetryAfter().orElse(null), e);
        }
        if (e instanceof AcmeUserActionRequiredException ua) {
            return new AutocertException("The CA requires a user action before " + what + ": " + detail(ua.getProblem())
                    + " (see " + ua.getInstance() + ")", false, e);
        }
        if (e instanceof AcmeServerException se) {
            String type = String.valueOf(se.getType());
            boolean retryable = type.endsWith(":serverInternal") || type.endsWith(":badNonce");
            return new AutocertException("The CA refused " + what + ": " + detail(se.getProblem()) + " (" + type + ")", retryable, e);
        }
        if (e instanceof AcmeNetworkException) {
            return new AutocertException("Network failure while " + what + ": " + rootCause(e)
                    + ". Check that the directory URL is reachable and its TLS certificate is trusted.", true, e);
        }
        return new AutocertException("ACME failure while " + what + ": " + Messages.describe(e), true, e);
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? Messages.describe(e)
                : Messages.describe(e) + " (" + root.getClass().getSimpleName() + ": " + Messages.describe(root) + ")";
    }

    /**
     * @param p a problem document
     * @return its detail, with sub-problems, or its title
     */
    public static String detail(Problem p) {
        if (p == null) {
            return "no detail";
        }
        StringBuilder s = new StringBuilder(p.getDetail().or(p::getTitle).orElse(String.valueOf(p.getType())));
        for (Problem sub : p.getSubProblems()) {
            s.append("; ").append(sub.getIdentifier().map(i -> i.getValue() + ": ").orElse("")).append(detail(sub));
        }
        return s.toString();
    }
}
