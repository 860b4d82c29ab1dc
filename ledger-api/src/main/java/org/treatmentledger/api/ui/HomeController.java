package org.treatmentledger.api.ui;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.treatmentledger.api.security.Roles;

/** Sign-in, the start page by role, and the page of a refused role. */
@Controller
@Hidden
public class HomeController {

    @GetMapping("/")
    public String home(Authentication caller) {
        boolean analyst = caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_" + Roles.ANALYST));
        return analyst ? "redirect:/analytics" : "redirect:/patients";
    }

    @GetMapping("/login")
    public String login() {
        return "ui/login";
    }

    /** Any method: the security chain forwards a refused POST here too (a missing CSRF token, a role). */
    @RequestMapping("/denied")
    public String denied(HttpServletResponse response) {
        response.setStatus(403);
        return "ui/denied";
    }
}
