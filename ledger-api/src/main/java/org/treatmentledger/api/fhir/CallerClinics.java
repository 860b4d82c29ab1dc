package org.treatmentledger.api.fhir;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * INTERIM, to be replaced by the clinics capability (api.clinics) once it exists: the clinics whose patients the
 * caller may export. The bulk export takes the clinic set as one argument from its controller, which asks only this
 * function, so the replacement is a change of this one class. Meanwhile it reads what the HTTP contract fixes: a
 * JWT's clinics claim ({@code ledger.security.clinics-claim}, default {@code clinics}), and for the demo users the
 * contract's assignment (clinician2 and auditor2 in clinic-2, the others in clinic-1).
 */
final class CallerClinics {

    private CallerClinics() { }

    static Set<String> of(Authentication caller, String clinicsClaim) {
        Set<String> clinics = new LinkedHashSet<>();
        if (caller instanceof JwtAuthenticationToken jwt) {
            Object value = jwt.getToken().getClaims().get(clinicsClaim);
            if (value instanceof Collection<?> c) c.forEach(v -> clinics.add(String.valueOf(v)));
            else if (value instanceof String s) clinics.addAll(List.of(s.split("[,\\s]+")));
            clinics.removeIf(String::isBlank);
            return clinics;
        }
        if (caller == null || caller.getName() == null) return clinics;
        clinics.add(caller.getName().endsWith("2") ? "clinic-2" : "clinic-1");
        return clinics;
    }
}
