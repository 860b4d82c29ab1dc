package org.treatmentledger.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Treatment Ledger service. Scans all of org.treatmentledger so the read side's components load too. */
@SpringBootApplication(scanBasePackages = "org.treatmentledger")
@ConfigurationPropertiesScan("org.treatmentledger")
public class LedgerApplication {

    public static void main(String[] args) {
        SpringApplication.run(LedgerApplication.class, args);
    }
}
