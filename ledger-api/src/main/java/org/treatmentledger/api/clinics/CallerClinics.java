package org.treatmentledger.api.clinics;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.Set;
import java.util.TreeSet;

/**
 * The clinics a caller belongs to. They travel as authorities {@code CLINIC_<id>} next to the roles, whether they
 * came from the JWT's clinics claim ({@code ledger.security.clinics-claim}) or from a demo user, so every check
 * reads them the same way.
 */
public final class CallerClinics {

    static final String PREFIX = "CLINIC_";

    private CallerClinics() { }

    public static GrantedAuthority authority(String clinicId) {
        return new SimpleGrantedAuthority(PREFIX + clinicId);
    }

    /** The clinics of the authenticated caller; empty when there is none (a caller of no clinic sees nothing). */
    public static Set<String> current() {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    public static Set<String> of(Authentication authentication) {
        Set<String> clinics = new TreeSet<>();
        if (authentication == null) return clinics;
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            String name = authority.getAuthority();
            if (name == null || !name.startsWith(PREFIX)) continue;
            String clinic = name.substring(PREFIX.length());
            // '*' means every clinic to the database (the read models' writers) and ',' separates clinics there:
            // a clinic id containing either is never one of the caller's.
            if (!clinic.isBlank() && !clinic.equals(RowLevelSecurity.ALL_CLINICS) && !clinic.contains(",")) {
                clinics.add(clinic);
            }
        }
        return clinics;
    }
}
