package org.treatmentledger.api.ui;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.treatmentledger.api.clinics.CallerClinics;

import java.util.Set;
import java.util.TreeSet;

/** What every page's header shows: who is signed in, with which roles and clinics. */
@ControllerAdvice(assignableTypes = {HomeController.class, PatientPagesController.class, WriteFormsController.class,
        AuditPagesController.class, AnalyticsPagesController.class})
public class UiModel {

    @ModelAttribute("me")
    Me me() {
        return current();
    }

    /** The signed-in caller. */
    static Me current() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null) return new Me(null, Set.of(), Set.of());
        Set<String> roles = new TreeSet<>();
        for (GrantedAuthority a : caller.getAuthorities()) {
            if (a.getAuthority() != null && a.getAuthority().startsWith("ROLE_")) roles.add(a.getAuthority().substring(5));
        }
        return new Me(caller.getName(), roles, CallerClinics.of(caller));
    }

    public record Me(String name, Set<String> roles, Set<String> clinics) {
        public boolean has(String role) { return roles.contains(role); }
        public boolean writes() { return has("INJECTOR") || has("CLINICIAN"); }
        public boolean reads() { return writes() || has("AUDITOR"); }
    }
}
