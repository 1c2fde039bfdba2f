package io.concurrence.db.internal;

import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * A savepoint: named ({@code id} 0) or numbered ({@code SAVEPOINT_n}).
 *
 * @param id the number of an unnamed savepoint, 0 for a named one
 * @param name the name the server knows it by
 */
record JdbcSavepoint(int id, String name) implements Savepoint {

    @Override
    public int getSavepointId() throws SQLException {
        if (id == 0) {
            throw new SQLException("savepoint '" + name + "' is named: use getSavepointName()", "HY000");
        }
        return id;
    }

    @Override
    public String getSavepointName() throws SQLException {
        if (id != 0) {
            throw new SQLException("savepoint " + id + " is unnamed: use getSavepointId()", "HY000");
        }
        return name;
    }

    static String name(Savepoint savepoint) throws SQLException {
        if (savepoint instanceof JdbcSavepoint ours) {
            return ours.name();
        }
        if (savepoint == null) {
            throw new SQLException("savepoint is null", "3B001");
        }
        throw new SQLException("savepoint " + savepoint + " was not made by this driver", "3B001");
    }
}
