-- Axon's event store (JdbcEventStorageEngine, default EventSchema). Unquoted identifiers fold to lower case,
-- which is what the engine's unquoted SQL expects. Payload and metadata are bytea, never oid large objects.
-- The global index has its own sequence with increment 1 and cache 1: a cached range per session would
-- leave large gaps, and the tracking processors' gap detection must only ever see short-lived gaps.
CREATE SEQUENCE domain_event_global_index_seq AS BIGINT START WITH 1 INCREMENT BY 1 CACHE 1;

CREATE TABLE domainevententry (
    globalindex         BIGINT       NOT NULL DEFAULT nextval('domain_event_global_index_seq'),
    aggregateidentifier VARCHAR(255) NOT NULL,
    sequencenumber      BIGINT       NOT NULL,
    type                VARCHAR(255),
    eventidentifier     VARCHAR(255) NOT NULL,
    metadata            BYTEA,
    payload             BYTEA        NOT NULL,
    payloadrevision     VARCHAR(255),
    payloadtype         VARCHAR(255) NOT NULL,
    timestamp           VARCHAR(255) NOT NULL,
    CONSTRAINT domainevententry_pk PRIMARY KEY (globalindex),
    CONSTRAINT domainevententry_aggregate_seq_uk UNIQUE (aggregateidentifier, sequencenumber),
    CONSTRAINT domainevententry_event_id_uk UNIQUE (eventidentifier)
);

ALTER SEQUENCE domain_event_global_index_seq OWNED BY domainevententry.globalindex;
