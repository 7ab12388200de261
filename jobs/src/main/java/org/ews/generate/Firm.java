package org.ews.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * A registry entry. Name and aliases change when the firm is renamed; everything else is fixed at creation.
 * localName is the name in the home script (Korean, Japanese) that declarants often write instead.
 */
final class Firm {
    final String id;
    final String country;
    final String sector;
    final String stem;
    final String localName;
    final String legalForm;
    final String registrationNumber;
    final String lei;
    final String industryCode;
    final String industryScheme;
    final int employees;
    final long revenueUsd;
    String name;
    final List<String> aliases = new ArrayList<>();

    Firm(String id, String country, String sector, String stem, String localName, String legalForm,
         String registrationNumber, String lei, String industryCode, String industryScheme, int employees,
         long revenueUsd) {
        this.id = id;
        this.country = country;
        this.sector = sector;
        this.stem = stem;
        this.localName = localName;
        this.legalForm = legalForm;
        this.registrationNumber = registrationNumber;
        this.lei = lei;
        this.industryCode = industryCode;
        this.industryScheme = industryScheme;
        this.employees = employees;
        this.revenueUsd = revenueUsd;
        this.name = stem + " " + legalForm;
    }
}
