package org.treatmentledger.api.security;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Feeds the outcomes of password sign-ins (HTTP Basic, and a form login alike: both authenticate a
 * {@link UsernamePasswordAuthenticationToken} through a ProviderManager that publishes these events) into the
 * {@link LoginThrottle}. Bad credentials only: a user store that could not be reached is no guess. Bearer tokens
 * are not passwords and are not counted.
 */
public final class LoginOutcomeListener {

    private final LoginThrottle throttle;

    public LoginOutcomeListener(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @EventListener
    public void onFailure(AuthenticationFailureBadCredentialsEvent event) {
        Authentication attempt = event.getAuthentication();
        if (attempt instanceof UsernamePasswordAuthenticationToken) {
            throttle.failed(attempt.getName(), address(attempt));
        }
    }

    @EventListener
    public void onSuccess(AuthenticationSuccessEvent event) {
        if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken signedIn) {
            throttle.succeeded(signedIn.getName());
        }
    }

    /** The client address the authentication filter recorded (behind a trusted proxy: the forwarded one). */
    private static String address(Authentication attempt) {
        return attempt.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    }
}
