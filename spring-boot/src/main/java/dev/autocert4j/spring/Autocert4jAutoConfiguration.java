package dev.autocert4j.spring;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateListener;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.http.Http01Solver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Configures a {@link CertificateManager} from {@code autocert4j.*} properties, the HTTP-01 responder it
 * needs, and the SSL bundles that serve its certificates ({@link CertificateSslBundles}). Each bean backs off
 * when the application defines its own of the same type. Off with {@code autocert4j.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnAutocert4jEnabled
@EnableConfigurationProperties(Autocert4jProperties.class)
public class Autocert4jAutoConfiguration implements EnvironmentAware, BeanClassLoaderAware {
    private Environment environment;
    private ClassLoader classLoader;

    /** Created by Spring Boot's auto-configuration. */
    public Autocert4jAutoConfiguration() {
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * @param publisher the application context
     * @return the listener that republishes certificate events as application events
     */
    @Bean
    @ConditionalOnMissingBean
    public ApplicationEventCertificateListener autocert4jEventListener(ApplicationEventPublisher publisher) {
        return new ApplicationEventCertificateListener(publisher);
    }

    /**
     * The standalone HTTP-01 responder on {@code autocert4j.http01.address:port}. The starter's certificate
     * manager starts it, after the properties passed their checks and before the first order, and only when an
     * ACME issuer is configured: a self-signed setup opens no port. With {@code autocert4j.http01.mode=application}
     * a mounted responder instead, which opens no port: the application's own connector answers through it.
     *
     * @param properties the bound properties
     * @return the responder, not listening yet; closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Http01Solver autocert4jHttp01Solver(Autocert4jProperties properties) {
        Autocert4jProperties.Http01 http01 = properties.getHttp01();
        if (http01.getMode() == Http01Mode.APPLICATION) {
            // Answered by Autocert4jHttp01AutoConfiguration's filter, in the application's own connector.
            return Http01Solver.builder().mounted().build();
        }
        try {
            return Http01Solver.builder().standalone(http01.getAddress(), http01.getPort()).build();
        } catch (IllegalArgumentException e) {
            throw new InvalidAutocert4jPropertyException("autocert4j.http01", e.getMessage(),
                    "set autocert4j.http01.address to an IP address and autocert4j.http01.port to 1-65535");
        }
    }

    /**
     * The certificate manager, managing every certificate under {@code autocert4j.certificates} and those of the
     * manifests under {@code autocert4j.manifests.locations}.
     *
     * @param properties the bound properties
     * @param http01 the HTTP-01 responder
     * @param listener the listener that republishes events
     * @param otherListeners the application's {@link CertificateListener} beans, told of each event on the
     *     manager's thread as it happens (Spring application events of the start-up phase arrive later)
     * @param resources where {@code autocert4j.manifests.locations} are read from
     * @param environment where the manifests' secret references are looked up
     * @param manifestsCustomizers the application's adjustments to how manifests are read
     * @param beans where the Kubernetes store finds its client
     * @return the manager; closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public CertificateManager autocert4jCertificateManager(Autocert4jProperties properties, Http01Solver http01,
            ApplicationEventCertificateListener listener, ObjectProvider<CertificateListener> otherListeners,
            ResourceLoader resources, Environment environment,
            ObjectProvider<Autocert4jManifestsCustomizer> manifestsCustomizers, BeanFactory beans) {
        List<Issuer> issuers = PropertiesModel.issuers(properties);
        StoreModel store = StoreModel.of(properties, resources.getClassLoader(), beans);
        ManifestsModel manifests = ManifestsModel.load(properties, resources, environment,
                manifestsCustomizers.orderedStream().toList(), store.namespace.orElse("default"));
        List<Certificate> certificates = new ArrayList<>(manifests.certificates.isEmpty() || !properties.getCertificates().isEmpty()
                ? PropertiesModel.certificates(properties) : List.of());
        store.namespace.ifPresent(namespace -> certificates.replaceAll(c -> c.toBuilder().namespace(namespace).build()));
        certificates.addAll(manifests.certificates);
        List<SolverSet.Entry> solvers = SolversModel.solvers(properties, environment, classLoader, http01);
        if (PropertiesModel.hasAcmeIssuer(properties)) {
            startResponder(http01, properties.getHttp01());
        }
        CertificateManager.Builder builder = CertificateManager.builder()
                .store(store.store)
                .listener(listener);
        otherListeners.orderedStream().filter(l -> l != listener).forEach(builder::listener);
        issuers.forEach(builder::issuer);
        solvers.forEach(entry -> builder.solver(entry.selector(), entry.solver()));
        manifests.applyTo.apply(builder);
        CertificateManager manager = builder.build();
        try {
            for (Certificate certificate : certificates) {
                try {
                    manager.manage(certificate);
                } catch (IllegalArgumentException e) {
                    String property = manifests.certificates.contains(certificate) ? ManifestsModel.LOCATIONS
                            : "autocert4j.certificates." + certificate.name();
                    throw new InvalidAutocert4jPropertyException(property, e.getMessage(),
                            "give " + property + " names and an issuer that a configured solver can serve");
                }
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return manager;
    }

    private static void startResponder(Http01Solver http01, Autocert4jProperties.Http01 settings) {
        try {
            http01.start();
        } catch (IOException e) {
            throw new UncheckedIOException("the HTTP-01 responder cannot listen on " + settings.getAddress() + ":"
                    + settings.getPort() + " (autocert4j.http01.address, autocert4j.http01.port): " + e.getMessage(), e);
        }
    }

    /**
     * @param manager the certificate manager, the starter's or the application's
     * @param properties the bound properties
     * @param environment the environment, for the web server's {@code server.ssl.bundle}
     * @return the SSL bundles of the managed certificates
     */
    @Bean
    @ConditionalOnMissingBean
    public CertificateSslBundles autocert4jSslBundles(CertificateManager manager, Autocert4jProperties properties,
            Environment environment) {
        return new CertificateSslBundles(manager, properties.getSsl().getBundle(), properties.getSsl().getCertificate(),
                properties.getStartup(), obtainBeforeStart(properties), environment.getProperty("server.ssl.bundle"));
    }

    /** Whether a first certificate can be obtained before the web server serves: not when it answers HTTP-01. */
    private static boolean obtainBeforeStart(Autocert4jProperties properties) {
        return properties.getHttp01().getMode() == Http01Mode.STANDALONE || !PropertiesModel.hasAcmeIssuer(properties);
    }

    /**
     * @param manager the certificate manager
     * @param properties the bound properties
     * @return what starts its background renewal with the context and closes it on shutdown: before the web
     *     server, or after it when the application's own connector answers HTTP-01 and must be up for the first order
     */
    @Bean
    CertificateManagerLifecycle autocert4jLifecycle(CertificateManager manager, Autocert4jProperties properties) {
        boolean application = properties.getHttp01().getMode() == Http01Mode.APPLICATION;
        return new CertificateManagerLifecycle(manager,
                application ? CertificateManagerLifecycle.AFTER_WEB_SERVER_PHASE : CertificateManagerLifecycle.PHASE);
    }
}
