package org.treatmentledger.api.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.treatmentledger.api.LedgerTestSupport;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo users' passwords keep their cheap BCrypt cost: HTTP Basic checks them on every request. */
class DemoUsersTest extends LedgerTestSupport {

    @Autowired
    UserDetailsService users;

    @Test
    void signingInDoesNotRehashThePasswordAtBCryptsDefaultCost() {
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("auditor", "/api/patients/" + UUID.randomUUID()).status()).isEqualTo(404);
        }
        // Spring Security upgrades a hash whose cost is below the encoder's default (10) after a sign-in, if the
        // user store lets it: every later request then spent about 80 ms in BCrypt.
        assertThat(users.loadUserByUsername("auditor").getPassword()).startsWith("{bcrypt}$2a$04$");
    }
}
