package org.treatmentledger.api.eventstore;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.AppendEventsStatementBuilder;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.TimestampWriter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.eventhandling.DomainEventMessage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Axon's statement for appending events ({@link JdbcEventStorageEngineStatements#appendEvents}), with the writes'
 * {@link CompanionRows} inserted by the same statement (data-modifying WITH clauses, which always run): one
 * statement is atomic without a transaction around it, and one round trip. Writes without companion rows get
 * Axon's statement unchanged. (Two statements in one prepared statement cannot be batched by pgjdbc, and Axon
 * executes appends as a batch.)
 */
public final class CompanionStatements implements AppendEventsStatementBuilder {

    /** Companion rows by the identifier of their write's first event (a write's identity across a group). */
    private final Map<String, CompanionRows.Rows> byFirstEvent = new ConcurrentHashMap<>();

    void attach(EventMessage<?> firstEvent, CompanionRows.Rows rows) {
        byFirstEvent.put(firstEvent.getIdentifier(), rows);
    }

    void detach(EventMessage<?> firstEvent) {
        byFirstEvent.remove(firstEvent.getIdentifier());
    }

    @Override
    public PreparedStatement build(Connection connection, EventSchema schema, Class<?> dataType,
                                   List<? extends EventMessage<?>> events, Serializer serializer,
                                   TimestampWriter timestampWriter) throws SQLException {
        List<CompanionRows.Rows> rows = new ArrayList<>();
        if (!byFirstEvent.isEmpty()) {
            for (EventMessage<?> event : events) {
                CompanionRows.Rows r = byFirstEvent.get(event.getIdentifier());
                if (r != null) rows.add(r);
            }
        }
        if (rows.isEmpty()) {
            return JdbcEventStorageEngineStatements.appendEvents(connection, schema, dataType, events, serializer,
                    timestampWriter);
        }
        StringBuilder sql = new StringBuilder("WITH ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("companion").append(i).append(" AS (").append(rows.get(i).insertSql()).append(")");
        }
        sql.append(" INSERT INTO ").append(schema.domainEventTable()).append(" (").append(schema.domainEventFields())
                .append(") VALUES ");
        for (int i = 0; i < events.size(); i++) sql.append(i == 0 ? "" : ", ").append("(?,?,?,?,?,?,?,?,?)");
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        int p = 1;
        for (CompanionRows.Rows r : rows) p = r.bind(statement, p);
        // The columns and values of Axon's own statement, in its order (JdbcEventStorageEngineStatements.appendEvents).
        for (EventMessage<?> message : events) {
            if (!(message instanceof DomainEventMessage<?> event)) {
                throw new IllegalStateException("companion rows with an event of no stream: " + message.getIdentifier());
            }
            SerializedObject<?> payload = event.serializePayload(serializer, dataType);
            SerializedObject<?> metaData = event.serializeMetaData(serializer, dataType);
            statement.setString(p++, event.getIdentifier());
            statement.setString(p++, event.getAggregateIdentifier());
            statement.setLong(p++, event.getSequenceNumber());
            statement.setString(p++, event.getType());
            timestampWriter.writeTimestamp(statement, p++, event.getTimestamp());
            statement.setString(p++, payload.getType().getName());
            statement.setString(p++, payload.getType().getRevision());
            statement.setObject(p++, payload.getData());
            statement.setObject(p++, metaData.getData());
        }
        statement.addBatch();
        return statement;
    }
}
