package org.treatmentledger.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The role matrix of docs/http-api.md: 403 problem+json outside a role, nothing stored. */
class RoleMatrixTest extends LedgerTestSupport {

    @Test
    void auditorAndAnalystWriteNothing() {
        for (String user : new String[]{"auditor", "analyst"}) {
            assertProblem(http.post(user, "/api/patients", "{\"clinicId\":\"clinic-1\",\"sex\":\"MALE\"}"), 403);
        }
        String patient = registerPatient(daysAgo(50));
        for (String user : new String[]{"auditor", "analyst"}) {
            assertProblem(http.post(user, "/api/patients/" + patient + "/cycle-factors",
                    "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(1))), 403);
        }
        assertThat(eventCount(patient)).isEqualTo(1);
    }

    @Test
    void injectorWritesButMayNotOverrideOrCorrect() {
        String patient = registerPatient(daysAgo(50));
        http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(3)));
        long before = eventCount(patient);

        Http.Response override = http.post("injector", "/api/patients/" + patient + "/laser-sessions", """
                {"occurredAt":"%s","deviceClass":"BROADBAND_LIGHT","zones":["CHEEKS"],"override":{"reason":"I insist"}}"""
                .formatted(daysAgo(1)));
        assertProblem(override, 403);

        Http.Response correction = http.post("injector", "/api/patients/" + patient + "/corrections",
                "{\"targetEntryId\":\"x\",\"action\":\"VOID\",\"reason\":\"x\"}");
        assertProblem(correction, 403);
        assertThat(eventCount(patient)).isEqualTo(before);
    }

    @Test
    void clinicianMayRegisterRecordAndCorrect() {
        Http.Response r = http.post("clinician", "/api/patients", "{\"clinicId\":\"clinic-1\",\"sex\":\"OTHER\",\"registeredAt\":\"%s\"}"
                .formatted(daysAgo(10)));
        assertThat(r.status()).isEqualTo(201);
        String patient = r.text("patientId");
        String entry = http.post("clinician", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(1))).text("entryId");
        assertThat(http.post("clinician", "/api/patients/" + patient + "/corrections",
                "{\"targetEntryId\":\"%s\",\"action\":\"VOID\",\"reason\":\"duplicate\"}".formatted(entry)).status()).isEqualTo(201);
    }

    @Test
    void analystReadsNoPatientAndOthersReadNoAnalytics() {
        String patient = registerPatient(daysAgo(50));
        for (String path : new String[]{"/schedule", "/units", "/intervals", "/history"}) {
            assertProblem(http.get("analyst", "/api/patients/" + patient + path), 403);
        }
        assertProblem(http.get("analyst", "/api/lots/LOT-A1/patients"), 403);
        for (String user : new String[]{"injector", "clinician", "auditor"}) {
            assertProblem(http.get(user, "/api/analytics/durability?groupBy=product"), 403);
        }
    }

    @Test
    void openEndpointsNeedNoCredentials() {
        assertThat(http.get(null, "/actuator/health/readiness").status()).isIn(200, 503);
        assertThat(http.get(null, "/v3/api-docs").status()).isEqualTo(200);
        assertThat(http.get(null, "/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
