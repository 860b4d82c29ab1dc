package org.treatmentledger.api.openapi;

import org.junit.jupiter.api.Test;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiDocumentTest extends LedgerTestSupport {

    @Test
    void writesTheServedDocument() throws Exception {
        Http.Response r = http.get(null, "/v3/api-docs");
        assertThat(r.status()).isEqualTo(200);
        Path out = Path.of("target", "openapi.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, r.json().toPrettyString());
    }
}
