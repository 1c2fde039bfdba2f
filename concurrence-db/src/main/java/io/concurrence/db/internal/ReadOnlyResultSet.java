package io.concurrence.db.internal;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The part of {@link ResultSet} a forward-only, read-only result set does not have: cursor movement other than
 * {@code next}, and every update method. Each throws {@link java.sql.SQLFeatureNotSupportedException} naming
 * itself.
 */
abstract class ReadOnlyResultSet implements ResultSet {

    @Override
    public void beforeFirst() throws SQLException {
        throw Unsupported.method("ResultSet.beforeFirst");
    }

    @Override
    public void afterLast() throws SQLException {
        throw Unsupported.method("ResultSet.afterLast");
    }

    @Override
    public boolean first() throws SQLException {
        throw Unsupported.method("ResultSet.first");
    }

    @Override
    public boolean last() throws SQLException {
        throw Unsupported.method("ResultSet.last");
    }

    @Override
    public boolean absolute(int arg0) throws SQLException {
        throw Unsupported.method("ResultSet.absolute");
    }

    @Override
    public boolean relative(int arg0) throws SQLException {
        throw Unsupported.method("ResultSet.relative");
    }

    @Override
    public boolean previous() throws SQLException {
        throw Unsupported.method("ResultSet.previous");
    }

    @Override
    public void updateNull(int arg0) throws SQLException {
        throw Unsupported.method("ResultSet.updateNull");
    }

    @Override
    public void updateBoolean(int arg0, boolean arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBoolean");
    }

    @Override
    public void updateByte(int arg0, byte arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateByte");
    }

    @Override
    public void updateShort(int arg0, short arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateShort");
    }

    @Override
    public void updateInt(int arg0, int arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateInt");
    }

    @Override
    public void updateLong(int arg0, long arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateLong");
    }

    @Override
    public void updateFloat(int arg0, float arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateFloat");
    }

    @Override
    public void updateDouble(int arg0, double arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateDouble");
    }

    @Override
    public void updateBigDecimal(int arg0, java.math.BigDecimal arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBigDecimal");
    }

    @Override
    public void updateString(int arg0, String arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateString");
    }

    @Override
    public void updateBytes(int arg0, byte[] arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBytes");
    }

    @Override
    public void updateDate(int arg0, java.sql.Date arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateDate");
    }

    @Override
    public void updateTime(int arg0, java.sql.Time arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateTime");
    }

    @Override
    public void updateTimestamp(int arg0, java.sql.Timestamp arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateTimestamp");
    }

    @Override
    public void updateAsciiStream(int arg0, java.io.InputStream arg1, int arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(int arg0, java.io.InputStream arg1, int arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(int arg0, java.io.Reader arg1, int arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateObject(int arg0, Object arg1, int arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateObject");
    }

    @Override
    public void updateObject(int arg0, Object arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateObject");
    }

    @Override
    public void updateNull(String arg0) throws SQLException {
        throw Unsupported.method("ResultSet.updateNull");
    }

    @Override
    public void updateBoolean(String arg0, boolean arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBoolean");
    }

    @Override
    public void updateByte(String arg0, byte arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateByte");
    }

    @Override
    public void updateShort(String arg0, short arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateShort");
    }

    @Override
    public void updateInt(String arg0, int arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateInt");
    }

    @Override
    public void updateLong(String arg0, long arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateLong");
    }

    @Override
    public void updateFloat(String arg0, float arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateFloat");
    }

    @Override
    public void updateDouble(String arg0, double arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateDouble");
    }

    @Override
    public void updateBigDecimal(String arg0, java.math.BigDecimal arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBigDecimal");
    }

    @Override
    public void updateString(String arg0, String arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateString");
    }

    @Override
    public void updateBytes(String arg0, byte[] arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBytes");
    }

    @Override
    public void updateDate(String arg0, java.sql.Date arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateDate");
    }

    @Override
    public void updateTime(String arg0, java.sql.Time arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateTime");
    }

    @Override
    public void updateTimestamp(String arg0, java.sql.Timestamp arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateTimestamp");
    }

    @Override
    public void updateAsciiStream(String arg0, java.io.InputStream arg1, int arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(String arg0, java.io.InputStream arg1, int arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(String arg0, java.io.Reader arg1, int arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateObject(String arg0, Object arg1, int arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateObject");
    }

    @Override
    public void updateObject(String arg0, Object arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateObject");
    }

    @Override
    public void insertRow() throws SQLException {
        throw Unsupported.method("ResultSet.insertRow");
    }

    @Override
    public void updateRow() throws SQLException {
        throw Unsupported.method("ResultSet.updateRow");
    }

    @Override
    public void deleteRow() throws SQLException {
        throw Unsupported.method("ResultSet.deleteRow");
    }

    @Override
    public void refreshRow() throws SQLException {
        throw Unsupported.method("ResultSet.refreshRow");
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        throw Unsupported.method("ResultSet.cancelRowUpdates");
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        throw Unsupported.method("ResultSet.moveToInsertRow");
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        throw Unsupported.method("ResultSet.moveToCurrentRow");
    }

    @Override
    public java.sql.Ref getRef(int arg0) throws SQLException {
        throw Unsupported.method("ResultSet.getRef");
    }

    @Override
    public java.sql.Array getArray(int arg0) throws SQLException {
        throw Unsupported.method("ResultSet.getArray");
    }

    @Override
    public java.sql.Ref getRef(String arg0) throws SQLException {
        throw Unsupported.method("ResultSet.getRef");
    }

    @Override
    public java.sql.Array getArray(String arg0) throws SQLException {
        throw Unsupported.method("ResultSet.getArray");
    }

    @Override
    public void updateRef(int arg0, java.sql.Ref arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateRef");
    }

    @Override
    public void updateRef(String arg0, java.sql.Ref arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateRef");
    }

    @Override
    public void updateBlob(int arg0, java.sql.Blob arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBlob");
    }

    @Override
    public void updateBlob(String arg0, java.sql.Blob arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBlob");
    }

    @Override
    public void updateClob(int arg0, java.sql.Clob arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateClob");
    }

    @Override
    public void updateClob(String arg0, java.sql.Clob arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateClob");
    }

    @Override
    public void updateArray(int arg0, java.sql.Array arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateArray");
    }

    @Override
    public void updateArray(String arg0, java.sql.Array arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateArray");
    }

    @Override
    public java.sql.RowId getRowId(int arg0) throws SQLException {
        throw Unsupported.method("ResultSet.getRowId");
    }

    @Override
    public java.sql.RowId getRowId(String arg0) throws SQLException {
        throw Unsupported.method("ResultSet.getRowId");
    }

    @Override
    public void updateRowId(int arg0, java.sql.RowId arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateRowId");
    }

    @Override
    public void updateRowId(String arg0, java.sql.RowId arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateRowId");
    }

    @Override
    public void updateNString(int arg0, String arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateNString");
    }

    @Override
    public void updateNString(String arg0, String arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateNString");
    }

    @Override
    public void updateNClob(int arg0, java.sql.NClob arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateNClob");
    }

    @Override
    public void updateNClob(String arg0, java.sql.NClob arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateNClob");
    }

    @Override
    public java.sql.SQLXML getSQLXML(int arg0) throws SQLException {
        throw Unsupported.method("ResultSet.getSQLXML");
    }

    @Override
    public java.sql.SQLXML getSQLXML(String arg0) throws SQLException {
        throw Unsupported.method("ResultSet.getSQLXML");
    }

    @Override
    public void updateSQLXML(int arg0, java.sql.SQLXML arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateSQLXML");
    }

    @Override
    public void updateSQLXML(String arg0, java.sql.SQLXML arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateSQLXML");
    }

    @Override
    public void updateNCharacterStream(int arg0, java.io.Reader arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(String arg0, java.io.Reader arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateNCharacterStream");
    }

    @Override
    public void updateAsciiStream(int arg0, java.io.InputStream arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(int arg0, java.io.InputStream arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(int arg0, java.io.Reader arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateAsciiStream(String arg0, java.io.InputStream arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(String arg0, java.io.InputStream arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(String arg0, java.io.Reader arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateBlob(int arg0, java.io.InputStream arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateBlob");
    }

    @Override
    public void updateBlob(String arg0, java.io.InputStream arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateBlob");
    }

    @Override
    public void updateClob(int arg0, java.io.Reader arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateClob");
    }

    @Override
    public void updateClob(String arg0, java.io.Reader arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateClob");
    }

    @Override
    public void updateNClob(int arg0, java.io.Reader arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateNClob");
    }

    @Override
    public void updateNClob(String arg0, java.io.Reader arg1, long arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateNClob");
    }

    @Override
    public void updateNCharacterStream(int arg0, java.io.Reader arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(String arg0, java.io.Reader arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateNCharacterStream");
    }

    @Override
    public void updateAsciiStream(int arg0, java.io.InputStream arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(int arg0, java.io.InputStream arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(int arg0, java.io.Reader arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateAsciiStream(String arg0, java.io.InputStream arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(String arg0, java.io.InputStream arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(String arg0, java.io.Reader arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateBlob(int arg0, java.io.InputStream arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBlob");
    }

    @Override
    public void updateBlob(String arg0, java.io.InputStream arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateBlob");
    }

    @Override
    public void updateClob(int arg0, java.io.Reader arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateClob");
    }

    @Override
    public void updateClob(String arg0, java.io.Reader arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateClob");
    }

    @Override
    public void updateNClob(int arg0, java.io.Reader arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateNClob");
    }

    @Override
    public void updateNClob(String arg0, java.io.Reader arg1) throws SQLException {
        throw Unsupported.method("ResultSet.updateNClob");
    }

    @Override
    public void updateObject(int arg0, Object arg1, java.sql.SQLType arg2, int arg3) throws SQLException {
        throw Unsupported.method("ResultSet.updateObject");
    }

    @Override
    public void updateObject(String arg0, Object arg1, java.sql.SQLType arg2, int arg3) throws SQLException {
        throw Unsupported.method("ResultSet.updateObject");
    }

    @Override
    public void updateObject(int arg0, Object arg1, java.sql.SQLType arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateObject");
    }

    @Override
    public void updateObject(String arg0, Object arg1, java.sql.SQLType arg2) throws SQLException {
        throw Unsupported.method("ResultSet.updateObject");
    }

}
