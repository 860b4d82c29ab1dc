package org.treatmentledger.api.erasure;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.treatmentledger.api.embeddedpostgres.EmbeddedPostgresProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.fhir.BulkExport;
import org.treatmentledger.api.http.LedgerGateway;
import org.treatmentledger.api.idempotency.IdempotencyStore;
import org.treatmentledger.projections.store.EventCodec;

import javax.sql.DataSource;

/** Crypto-shredding's beans: the KEKs, the data key store (the service's SubjectKeys), the read side's codec. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ErasureProperties.class)
public class ErasureConfiguration {

    /** After the data source: the embedded store's data directory exists before a generated KEK is put into it. */
    @Bean
    KeyEncryptionKeys keyEncryptionKeys(ErasureProperties properties, Environment environment, DataSource dataSource) {
        return KeyEncryptionKeys.load(properties, EmbeddedPostgresProperties.generatedFile(environment, properties.generatedKek(),
                "ledger-erasure-kek"));
    }

    /** A new patient's data key, stored by the event store in its events' statement (the store's CompanionRows). */
    @Bean
    NewDataKeys newDataKeys() {
        return new NewDataKeys();
    }

    @Bean
    DataKeyStore dataKeyStore(JdbcTemplate jdbc, DataSource dataSource, KeyEncryptionKeys keks, ErasureProperties properties,
                              NewDataKeys newDataKeys) {
        return new DataKeyStore(jdbc, dataSource, keks, properties.keyCacheTtl(), DataKeyStore.MAX_CACHED, newDataKeys);
    }

    /**
     * A KEK rotation is a restart: the new KEK in {@code ledger.erasure.kek}, the old one in {@code previous-keks}.
     * Once the service is up, every data key still wrapped by an old KEK is rewrapped by the new one (the events are
     * not touched); the old KEK can be retired after that (docs/ERASURE.md, "Rotating the KEK").
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> kekRotation(DataKeyStore keys) {
        return ready -> keys.rotate();
    }

    /** How every read model reads the stored payloads: personal fields decrypted with the data keys. */
    @Bean
    EventCodec eventCodec(DataKeyStore keys) {
        return new EventCodec(keys);
    }

    @Bean
    ErasureService erasureService(LedgerGateway gateway, EventStore events,
                                  @Qualifier("eventSerializer") Serializer eventSerializer, DataKeyStore keys,
                                  IdempotencyStore idempotency, ObjectProvider<BulkExport> bulkExports) {
        return new ErasureService(gateway, events, eventSerializer, keys, idempotency, bulkExports);
    }
}
