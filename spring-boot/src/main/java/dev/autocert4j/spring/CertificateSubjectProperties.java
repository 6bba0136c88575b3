package dev.autocert4j.spring;

import java.util.ArrayList;
import java.util.List;

/**
 * Subject attributes besides the common name, {@code autocert4j.certificates.<name>.subject.*}: cert-manager's
 * {@code spec.subject}. Honoured by the self-signed and CA issuers; ACME CAs such as Let's Encrypt ignore them.
 * Not thread-safe: Spring binds it once at start-up.
 */
public class CertificateSubjectProperties {
    /** Organizations (O). */
    private List<String> organizations = new ArrayList<>();

    /** Countries (C). */
    private List<String> countries = new ArrayList<>();

    /** Organizational units (OU). */
    private List<String> organizationalUnits = new ArrayList<>();

    /** Localities (L). */
    private List<String> localities = new ArrayList<>();

    /** Provinces or states (ST). */
    private List<String> provinces = new ArrayList<>();

    /** Street addresses. */
    private List<String> streetAddresses = new ArrayList<>();

    /** Postal codes. */
    private List<String> postalCodes = new ArrayList<>();

    /** The subject's serial number attribute (not the certificate's serial). */
    private String serialNumber;

    /** Created by Spring's binder. */
    public CertificateSubjectProperties() {
    }

    /** @return the organizations */
    public List<String> getOrganizations() {
        return organizations;
    }

    /** @param organizations the organizations */
    public void setOrganizations(List<String> organizations) {
        this.organizations = organizations;
    }

    /** @return the countries */
    public List<String> getCountries() {
        return countries;
    }

    /** @param countries the countries */
    public void setCountries(List<String> countries) {
        this.countries = countries;
    }

    /** @return the organizational units */
    public List<String> getOrganizationalUnits() {
        return organizationalUnits;
    }

    /** @param organizationalUnits the organizational units */
    public void setOrganizationalUnits(List<String> organizationalUnits) {
        this.organizationalUnits = organizationalUnits;
    }

    /** @return the localities */
    public List<String> getLocalities() {
        return localities;
    }

    /** @param localities the localities */
    public void setLocalities(List<String> localities) {
        this.localities = localities;
    }

    /** @return the provinces */
    public List<String> getProvinces() {
        return provinces;
    }

    /** @param provinces the provinces */
    public void setProvinces(List<String> provinces) {
        this.provinces = provinces;
    }

    /** @return the street addresses */
    public List<String> getStreetAddresses() {
        return streetAddresses;
    }

    /** @param streetAddresses the street addresses */
    public void setStreetAddresses(List<String> streetAddresses) {
        this.streetAddresses = streetAddresses;
    }

    /** @return the postal codes */
    public List<String> getPostalCodes() {
        return postalCodes;
    }

    /** @param postalCodes the postal codes */
    public void setPostalCodes(List<String> postalCodes) {
        this.postalCodes = postalCodes;
    }

    /** @return the serial number attribute, or null */
    public String getSerialNumber() {
        return serialNumber;
    }

    /** @param serialNumber the serial number attribute */
    public void setSerialNumber(String serialNumber) {
        this.serialNumber = serialNumber;
    }
}
