package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The type mapping of result sets: what {@code getObject} returns for each MySQL type, what the typed getters
 * convert, and what {@link ResultSetMetaData} says, checked against the values stored and, for a selection of
 * types, against what MySQL Connector/J reports for the same query (users compare the two drivers).
 */
class TypesTest {

    private static final String TABLE = "t1_types";
    private static final String UNSIGNED_MAX = "18446744073709551615";
    /** Latin with an accent, an emoji, CJK, a musical symbol beyond the BMP, and Arabic. */
    private static final String TEXT = "h\u00e9llo \uD83D\uDE00 \u6f22\u5b57 \uD834\uDD1E"
            + " \u0645\u0631\u062d\u0628\u0627";
    private static final String UUID_TEXT = "123e4567-e89b-12d3-a456-426614174000";
    private static final int MEGABYTE = 1 << 20;

    private static ConcurrenceDataSource db;
    private static byte[] allBytes;
    private static byte[] bigBlob;

    @BeforeAll
    static void createTable() throws Exception {
        DbTestSupport.requireServer();
        db = DbTestSupport.dataSource("poolSize=2&poolName=t1-types");
        allBytes = new byte[256];
        for (int i = 0; i < 256; i++) {
            allBytes[i] = (byte) i;
        }
        bigBlob = new byte[MEGABYTE];
        new Random(42).nextBytes(bigBlob);
        try (Connection c = db.getConnection()) {
            DbTestSupport.exec(c, "DROP TABLE IF EXISTS " + TABLE,
                    "CREATE TABLE " + TABLE + " (id INT NOT NULL PRIMARY KEY,"
                            + " c_int INT, c_int_u INT UNSIGNED, c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED,"
                            + " c_smallint SMALLINT, c_tinyint TINYINT, c_mediumint MEDIUMINT, c_bool TINYINT(1),"
                            + " c_bit BIT(1), c_decimal DECIMAL(20,6), c_float FLOAT, c_double DOUBLE,"
                            + " c_date DATE, c_time TIME, c_datetime DATETIME(6), c_timestamp TIMESTAMP NULL,"
                            + " c_year YEAR, c_char CHAR(36), c_varchar VARCHAR(100), c_text TEXT, c_blob BLOB,"
                            + " c_mblob MEDIUMBLOB, c_varbinary VARBINARY(300), c_binary BINARY(4), c_json JSON,"
                            + " c_enum ENUM('a','b','c'), c_set SET('x','y','z'))"
                            + " DEFAULT CHARSET utf8mb4",
                    "INSERT INTO " + TABLE + " VALUES (1, 2147483647, 4294967295, -9223372036854775808, "
                            + UNSIGNED_MAX + ", -32768, -128, 8388607, 1, b'1', 12345678901234.123456, 1.5,"
                            + " 3.141592653589793, '2024-02-29', '13:14:15', '2024-02-29 13:14:15.123456',"
                            + " '2024-03-01 01:02:03', 2024, 'abc', 'a varchar', '" + TEXT + "', NULL, NULL,"
                            + " X'00FF7F80', X'01020304', '{\"a\": [1, 2]}', 'b', 'x,z')",
                    "INSERT INTO " + TABLE + " (id) VALUES (2)",
                    "INSERT INTO " + TABLE + " (id, c_bool, c_bit, c_varchar, c_char, c_bigint)"
                            + " VALUES (3, 5, b'0', '42', '" + UUID_TEXT + "', 9223372036854775807)");
            try (PreparedStatement p = c.prepareStatement("UPDATE " + TABLE
                    + " SET c_blob = ?, c_mblob = ? WHERE id = 1")) {
                p.setBytes(1, allBytes);
                p.setBytes(2, bigBlob);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
        }
    }

    @AfterAll
    static void dropTable() throws Exception {
        if (db != null) {
            try (Connection c = db.getConnection()) {
                DbTestSupport.exec(c, "DROP TABLE IF EXISTS " + TABLE);
            } finally {
                db.close();
            }
        }
    }

    /** Runs {@code check} on row {@code id} of the table, read with our driver. */
    private static void row(int id, String columns, RowCheck check) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + columns + " FROM " + TABLE + " WHERE id = " + id)) {
            assertThat(rs.next()).as("row %d exists", id).isTrue();
            check.accept(rs);
            assertThat(rs.next()).isFalse();
        }
    }

    private interface RowCheck {
        void accept(ResultSet rs) throws Exception;
    }

    @Test
    void signedIntegersReadAsIntegerAndLong() throws Exception {
        row(1, "c_int, c_bigint, c_smallint, c_tinyint, c_mediumint", rs -> {
            assertThat(rs.getObject(1)).isInstanceOf(Integer.class).isEqualTo(Integer.MAX_VALUE);
            assertThat(rs.getObject(2)).isInstanceOf(Long.class).isEqualTo(Long.MIN_VALUE);
            assertThat(rs.getObject(3)).isInstanceOf(Integer.class).isEqualTo(-32768);
            assertThat(rs.getObject(4)).isInstanceOf(Integer.class).isEqualTo(-128);
            assertThat(rs.getObject(5)).isInstanceOf(Integer.class).isEqualTo(8388607);
            assertThat(rs.getInt(1)).isEqualTo(Integer.MAX_VALUE);
            assertThat(rs.getLong(2)).isEqualTo(Long.MIN_VALUE);
            assertThat(rs.getShort(3)).isEqualTo((short) -32768);
            assertThat(rs.getByte(4)).isEqualTo((byte) -128);
            assertThat(rs.getObject(1, Integer.class)).isEqualTo(Integer.MAX_VALUE);
            assertThat(rs.getObject(1, Long.class)).isEqualTo(2147483647L);
            assertThat(rs.getObject(2, Long.class)).isEqualTo(Long.MIN_VALUE);
            assertThat(rs.getObject(2, BigInteger.class)).isEqualTo(BigInteger.valueOf(Long.MIN_VALUE));
            assertThat(rs.getObject(3, Short.class)).isEqualTo((short) -32768);
            assertThat(rs.getObject(4, Byte.class)).isEqualTo((byte) -128);
            assertThat(rs.getObject(5, BigDecimal.class)).isEqualByComparingTo("8388607");
        });
    }

    @Test
    void unsignedIntReadsAsLongAndUnsignedBigintAsBigInteger() throws Exception {
        row(1, "c_int_u, c_bigint_u", rs -> {
            assertThat(rs.getObject(1)).isInstanceOf(Long.class).isEqualTo(4294967295L);
            assertThat(rs.getLong(1)).isEqualTo(4294967295L);
            assertThat(rs.getObject(2)).isInstanceOf(BigInteger.class).isEqualTo(new BigInteger(UNSIGNED_MAX));
            assertThat(rs.getObject(2, BigInteger.class)).isEqualTo(new BigInteger(UNSIGNED_MAX));
            assertThat(rs.getBigDecimal(2)).isEqualTo(new BigDecimal(UNSIGNED_MAX));
            assertThat(rs.getString(2)).isEqualTo(UNSIGNED_MAX);
        });
    }

    @Test
    void integralGettersOutOfRangeThrowSqlDataException22003() throws Exception {
        row(1, "c_bigint_u, c_bigint, c_int_u, c_int", rs -> {
            assertThatThrownBy(() -> rs.getLong(1)).isInstanceOf(SQLDataException.class)
                    .hasMessageContaining(UNSIGNED_MAX)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22003"));
            assertThatThrownBy(() -> rs.getInt(2)).isInstanceOf(SQLDataException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22003"));
            assertThatThrownBy(() -> rs.getInt(3)).isInstanceOf(SQLDataException.class)
                    .hasMessageContaining("4294967295");
            assertThatThrownBy(() -> rs.getShort(4)).isInstanceOf(SQLDataException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22003"));
            assertThatThrownBy(() -> rs.getObject(1, Long.class)).isInstanceOf(SQLDataException.class);
        });
    }

    @Test
    void tinyint1AndBit1ReadAsBoolean() throws Exception {
        row(1, "c_bool, c_bit", rs -> {
            assertThat(rs.getObject(1)).isEqualTo(Boolean.TRUE);
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getObject(2)).isEqualTo(Boolean.TRUE);
            assertThat(rs.getBoolean(2)).isTrue();
            assertThat(rs.getObject(2, Boolean.class)).isTrue();
        });
        row(3, "c_bool, c_bit", rs -> {
            assertThat(rs.getObject(1)).as("TINYINT(1) holding 5").isEqualTo(Boolean.TRUE);
            assertThat(rs.getInt(1)).isEqualTo(5);
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getObject(1, Integer.class)).isEqualTo(5);
            assertThat(rs.getObject(2)).isEqualTo(Boolean.FALSE);
            assertThat(rs.getBoolean(2)).isFalse();
        });
    }

    @Test
    void decimalIsExactAndFloatingTypesKeepTheirPrecision() throws Exception {
        row(1, "c_decimal, c_float, c_double", rs -> {
            BigDecimal exact = new BigDecimal("12345678901234.123456");
            assertThat(rs.getObject(1)).isInstanceOf(BigDecimal.class).isEqualTo(exact);
            assertThat(rs.getBigDecimal(1)).isEqualTo(exact);
            assertThat(rs.getString(1)).isEqualTo("12345678901234.123456");
            assertThat(rs.getLong(1)).isEqualTo(12345678901234L);
            assertThat(rs.getObject(2)).isInstanceOf(Float.class).isEqualTo(1.5f);
            assertThat(rs.getFloat(2)).isEqualTo(1.5f);
            assertThat(rs.getDouble(2)).isEqualTo(1.5d);
            assertThat(rs.getObject(3)).isInstanceOf(Double.class).isEqualTo(Math.PI);
            assertThat(rs.getDouble(3)).isEqualTo(Math.PI);
            assertThat(rs.getObject(3, BigDecimal.class)).isEqualByComparingTo(BigDecimal.valueOf(Math.PI));
        });
    }

    @Test
    void dateAndTimeTypesReadAsConnectorJReadsThem() throws Exception {
        row(1, "c_date, c_time, c_datetime, c_timestamp, c_year", rs -> {
            assertThat(rs.getObject(1)).isInstanceOf(java.sql.Date.class)
                    .isEqualTo(java.sql.Date.valueOf("2024-02-29"));
            assertThat(rs.getDate(1)).isEqualTo(java.sql.Date.valueOf("2024-02-29"));
            assertThat(rs.getObject(1, LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 29));

            assertThat(rs.getObject(2)).isInstanceOf(Time.class).isEqualTo(Time.valueOf("13:14:15"));
            assertThat(rs.getTime(2)).isEqualTo(Time.valueOf("13:14:15"));
            assertThat(rs.getObject(2, LocalTime.class)).isEqualTo(LocalTime.of(13, 14, 15));

            LocalDateTime micros = LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000);
            assertThat(rs.getObject(3)).isInstanceOf(LocalDateTime.class).isEqualTo(micros);
            assertThat(rs.getObject(3, LocalDateTime.class)).isEqualTo(micros);
            Timestamp ts = rs.getTimestamp(3);
            assertThat(ts).isEqualTo(Timestamp.valueOf(micros));
            assertThat(ts.getNanos()).isEqualTo(123_456_000);

            assertThat(rs.getObject(4)).isInstanceOf(Timestamp.class)
                    .isEqualTo(Timestamp.valueOf("2024-03-01 01:02:03"));
            assertThat(rs.getTimestamp(4)).isEqualTo(Timestamp.valueOf("2024-03-01 01:02:03"));
            assertThat(rs.getObject(4, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 3, 1, 1, 2, 3));

            // Connector/J's yearIsDateType=true (its default): YEAR reads as the 1st of January.
            assertThat(rs.getObject(5)).isInstanceOf(java.sql.Date.class)
                    .isEqualTo(java.sql.Date.valueOf("2024-01-01"));
            assertThat(rs.getInt(5)).isEqualTo(2024);
            assertThat(rs.getShort(5)).isEqualTo((short) 2024);
        });
    }

    @Test
    void textTypesReadAsStringAndUtf8mb4RoundTripsExactly() throws Exception {
        row(1, "c_char, c_varchar, c_text", rs -> {
            assertThat(rs.getObject(1)).isInstanceOf(String.class).isEqualTo("abc");
            assertThat(rs.getString(2)).isEqualTo("a varchar");
            assertThat(rs.getObject(3)).isEqualTo(TEXT);
            assertThat(rs.getString(3).codePoints().toArray()).isEqualTo(TEXT.codePoints().toArray());
        });
        String bound = "bound \uD83D\uDE80\uD83C\uDDE9\uD83C\uDDEA \u4e2d\u6587 \u65e5\u672c\u8a9e \ud55c\uad6d\uc5b4";
        try (Connection c = db.getConnection()) {
            try (PreparedStatement p = c.prepareStatement("UPDATE " + TABLE + " SET c_text = ? WHERE id = 2")) {
                p.setString(1, bound);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT c_text, CHAR_LENGTH(c_text) FROM " + TABLE
                    + " WHERE c_text = ?")) {
                p.setString(1, bound);
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.next()).as("the row found by its utf8mb4 text").isTrue();
                    assertThat(rs.getString(1)).isEqualTo(bound);
                    assertThat(rs.getInt(2)).isEqualTo(bound.codePointCount(0, bound.length()));
                }
            } finally {
                DbTestSupport.exec(c, "UPDATE " + TABLE + " SET c_text = NULL WHERE id = 2");
            }
        }
    }

    @Test
    void binaryTypesReadAsByteArraysExactly() throws Exception {
        row(1, "c_blob, c_mblob, c_varbinary, c_binary", rs -> {
            assertThat(rs.getObject(1)).isInstanceOf(byte[].class).isEqualTo(allBytes);
            assertThat(rs.getBytes(1)).isEqualTo(allBytes);
            assertThat(rs.getObject(1, byte[].class)).isEqualTo(allBytes);
            byte[] big = rs.getBytes(2);
            assertThat(big).hasSize(MEGABYTE);
            assertThat(big).isEqualTo(bigBlob);
            try (InputStream in = rs.getBinaryStream(1)) {
                assertThat(in.readAllBytes()).isEqualTo(allBytes);
            }
            Blob blob = rs.getBlob(2);
            assertThat(blob.length()).isEqualTo(MEGABYTE);
            assertThat(blob.getBytes(1, 16)).isEqualTo(java.util.Arrays.copyOf(bigBlob, 16));
            assertThat(rs.getBytes(3)).containsExactly(0x00, 0xFF, 0x7F, 0x80);
            assertThat(rs.getObject(4)).isInstanceOf(byte[].class).isEqualTo(new byte[] {1, 2, 3, 4});
        });
    }

    @Test
    void jsonEnumAndSetReadAsString() throws Exception {
        row(1, "c_json, c_enum, c_set", rs -> {
            assertThat(rs.getObject(1)).isInstanceOf(String.class);
            assertThat(rs.getString(1)).isEqualTo("{\"a\": [1, 2]}");
            assertThat(rs.getObject(2)).isEqualTo("b");
            assertThat(rs.getObject(3)).isEqualTo("x,z");
        });
    }

    @Test
    void nullOfEveryKindReadsAsNullAndSetsWasNull() throws Exception {
        List<String> columns = List.of("c_int", "c_int_u", "c_bigint", "c_bigint_u", "c_smallint", "c_tinyint",
                "c_mediumint", "c_bool", "c_bit", "c_decimal", "c_float", "c_double", "c_date", "c_time",
                "c_datetime", "c_timestamp", "c_year", "c_char", "c_varchar", "c_text", "c_blob", "c_mblob",
                "c_varbinary", "c_binary", "c_json", "c_enum", "c_set");
        row(2, "id, " + String.join(", ", columns), rs -> {
            for (int i = 2; i <= columns.size() + 1; i++) {
                String name = columns.get(i - 2);
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.wasNull()).as("wasNull after the non-null id").isFalse();
                assertThat(rs.getObject(i)).as("getObject(%s)", name).isNull();
                assertThat(rs.wasNull()).as("wasNull after getObject(%s)", name).isTrue();
                assertThat(rs.getString(i)).as("getString(%s)", name).isNull();
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getInt(i)).as("getInt(%s)", name).isZero();
                assertThat(rs.wasNull()).as("wasNull after getInt(%s)", name).isTrue();
                assertThat(rs.getLong(i)).isZero();
                assertThat(rs.getDouble(i)).isZero();
                assertThat(rs.getBoolean(i)).as("getBoolean(%s)", name).isFalse();
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getBigDecimal(i)).isNull();
                assertThat(rs.getBytes(i)).isNull();
                assertThat(rs.getTimestamp(i)).isNull();
                assertThat(rs.getDate(i)).isNull();
                assertThat(rs.getObject(i, String.class)).isNull();
                assertThat(rs.getObject(i, LocalDateTime.class)).isNull();
                assertThat(rs.wasNull()).isTrue();
            }
        });
    }

    @Test
    void gettersConvertAcrossTypesAsConnectorJDoes() throws Exception {
        row(1, "c_int, c_decimal, c_date, c_datetime, c_time, c_double, c_bool", rs -> {
            assertThat(rs.getString(1)).isEqualTo("2147483647");
            assertThat(rs.getString(2)).isEqualTo("12345678901234.123456");
            assertThat(rs.getString(3)).isEqualTo("2024-02-29");
            assertThat(rs.getString(4)).isEqualTo("2024-02-29 13:14:15.123456");
            assertThat(rs.getString(5)).isEqualTo("13:14:15");
            assertThat(rs.getString(6)).isEqualTo("3.141592653589793");
            assertThat(rs.getString(7)).isEqualTo("1");
            assertThat(rs.getTimestamp(3)).isEqualTo(Timestamp.valueOf("2024-02-29 00:00:00"));
            assertThat(rs.getDate(4)).isEqualTo(java.sql.Date.valueOf("2024-02-29"));
            assertThat(rs.getInt(6)).isEqualTo(3);
        });
        row(3, "c_varchar, c_char, c_bigint", rs -> {
            assertThat(rs.getInt(1)).as("getInt on the string '42'").isEqualTo(42);
            assertThat(rs.getLong(1)).isEqualTo(42L);
            assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("42");
            assertThat(rs.getDouble(1)).isEqualTo(42.0);
            assertThat(rs.getObject(1, Integer.class)).isEqualTo(42);
            assertThat(rs.getObject(2, UUID.class)).isEqualTo(UUID.fromString(UUID_TEXT));
            assertThatThrownBy(() -> rs.getInt(2)).as("getInt on a UUID string")
                    .isInstanceOf(SQLDataException.class).hasMessageContaining(UUID_TEXT);
            assertThat(rs.getLong(3)).isEqualTo(Long.MAX_VALUE);
            assertThatThrownBy(() -> rs.getInt(3)).isInstanceOf(SQLDataException.class)
                    .hasMessageContaining("9223372036854775807")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22003"));
        });
    }

    @Test
    void metaDataDescribesTheColumns() throws Exception {
        row(1, "id, c_int AS the_int, c_int_u, c_bigint_u, c_decimal, c_varchar, c_datetime, c_bool, c_blob,"
                + " c_char, c_binary, c_varbinary",
                rs -> {
                    ResultSetMetaData md = rs.getMetaData();
                    assertThat(md.getColumnCount()).isEqualTo(12);
                    assertThat(md.getColumnLabel(1)).isEqualTo("id");
                    assertThat(md.getColumnLabel(2)).isEqualTo("the_int");
                    assertThat(rs.findColumn("THE_INT")).isEqualTo(2);

                    assertThat(md.isNullable(1)).isEqualTo(ResultSetMetaData.columnNoNulls);
                    assertThat(md.isNullable(2)).isEqualTo(ResultSetMetaData.columnNullable);
                    assertThat(md.isSigned(2)).isTrue();
                    assertThat(md.isSigned(3)).isFalse();
                    assertThat(md.isSigned(4)).isFalse();
                    assertThat(md.isSigned(5)).isTrue();

                    assertThat(md.getColumnType(2)).isEqualTo(Types.INTEGER);
                    assertThat(md.getColumnTypeName(2)).isEqualTo("INT");
                    assertThat(md.getColumnClassName(2)).isEqualTo(Integer.class.getName());
                    assertThat(md.getColumnType(3)).isEqualTo(Types.INTEGER);
                    assertThat(md.getColumnTypeName(3)).isEqualTo("INT UNSIGNED");
                    assertThat(md.getColumnClassName(3)).isEqualTo(Long.class.getName());
                    assertThat(md.getColumnType(4)).isEqualTo(Types.BIGINT);
                    assertThat(md.getColumnTypeName(4)).isEqualTo("BIGINT UNSIGNED");
                    assertThat(md.getColumnClassName(4)).isEqualTo(BigInteger.class.getName());
                    assertThat(md.getColumnType(5)).isEqualTo(Types.DECIMAL);
                    assertThat(md.getScale(5)).isEqualTo(6);
                    assertThat(md.getColumnType(6)).isEqualTo(Types.VARCHAR);
                    assertThat(md.getColumnClassName(6)).isEqualTo(String.class.getName());
                    assertThat(md.getColumnType(7)).isEqualTo(Types.TIMESTAMP);
                    assertThat(md.getColumnTypeName(7)).isEqualTo("DATETIME");
                    assertThat(md.getColumnType(8)).isEqualTo(Types.BIT);
                    assertThat(md.getColumnClassName(8)).isEqualTo(Boolean.class.getName());
                    assertThat(md.getColumnClassName(9)).isEqualTo("[B");
                    assertThat(md.getColumnType(9)).isEqualTo(Types.LONGVARBINARY);
                    assertThat(md.getColumnType(10)).as("CHAR(36)").isEqualTo(Types.CHAR);
                    assertThat(md.getColumnTypeName(10)).isEqualTo("CHAR");
                    assertThat(md.getColumnType(11)).as("BINARY(4)").isEqualTo(Types.BINARY);
                    assertThat(md.getColumnType(12)).as("VARBINARY(300)").isEqualTo(Types.VARBINARY);
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        if (value != null) {
                            assertThat(value.getClass().getName()).as("getObject class of %s", md.getColumnLabel(i))
                                    .isEqualTo(md.getColumnClassName(i));
                        }
                    }
                });
    }

    /**
     * The class of {@code getObject} and {@code getColumnType} must be what Connector/J reports for the same query:
     * the types users meet most (INT, BIGINT, BIGINT UNSIGNED, DECIMAL, VARCHAR, DATETIME, TINYINT(1), BLOB) and the
     * rest of the table.
     *
     * <p>Not compared, because they differ (by design or as known gaps, none of them changes a value read):
     * {@code getPrecision} (ours is R2DBC MySQL's column length in bytes, e.g. 400 for a utf8mb4 VARCHAR(100) and
     * 11 for INT; Connector/J's is in characters or digits: 100 and 10), {@code getScale} of FLOAT and DOUBLE (ours
     * 31, the protocol's "not fixed" marker; Connector/J 0), {@code getColumnTypeName} of MEDIUMBLOB (ours BLOB:
     * R2DBC MySQL does not tell the BLOB sizes apart), of ENUM and SET (ours ENUM and SET, Connector/J CHAR) and of
     * MariaDB's JSON (ours TEXT, Connector/J LONGTEXT), {@code isSigned} of TINYINT(1) (ours true, Connector/J
     * false), and {@code getString} of YEAR (ours "2024", Connector/J "2024-01-01", its date reading).
     */
    @Test
    void getObjectClassesAndColumnTypesAgreeWithConnectorJ() throws Exception {
        String query = "SELECT c_int, c_bigint, c_bigint_u, c_decimal, c_varchar, c_datetime, c_bool, c_blob,"
                + " c_int_u, c_smallint, c_tinyint, c_mediumint, c_float, c_double, c_date, c_time, c_timestamp,"
                + " c_year, c_bit, c_char, c_text, c_mblob, c_varbinary, c_binary, c_json, c_enum, c_set"
                + " FROM " + TABLE + " WHERE id = 1";
        List<String> ours = describe(db.getConnection(), query);
        String connectorJ = DbTestSupport.url().replace("jdbc:concurrence:mysql://", "jdbc:mysql://");
        List<String> theirs = describe(DriverManager.getConnection(connectorJ), query);
        assertThat(ours).hasSize(27).containsExactlyElementsOf(theirs);
    }

    /** {@code getString} gives the same text as Connector/J for every non-binary type but YEAR (see above). */
    @Test
    void getStringAgreesWithConnectorJ() throws Exception {
        String query = "SELECT c_int, c_int_u, c_bigint, c_bigint_u, c_smallint, c_tinyint, c_mediumint, c_bool,"
                + " c_bit, c_decimal, c_float, c_double, c_date, c_time, c_datetime, c_timestamp, c_char, c_varchar,"
                + " c_text, c_json, c_enum, c_set, CAST(c_datetime AS DATETIME) AS whole_seconds FROM " + TABLE
                + " WHERE id IN (1, 3) ORDER BY id";
        String connectorJ = DbTestSupport.url().replace("jdbc:concurrence:mysql://", "jdbc:mysql://");
        assertThat(strings(db.getConnection(), query)).containsExactlyElementsOf(
                strings(DriverManager.getConnection(connectorJ), query));
    }

    private static List<String> strings(Connection connection, String query) throws SQLException {
        try (Connection c = connection; Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            List<String> strings = new ArrayList<>();
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    strings.add(rs.getMetaData().getColumnLabel(i) + "=" + rs.getString(i));
                }
            }
            return strings;
        }
    }

    /** One line per column: label, class of {@code getObject}, {@code getColumnType}. */
    private static List<String> describe(Connection connection, String query) throws SQLException {
        try (Connection c = connection; Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            ResultSetMetaData md = rs.getMetaData();
            List<String> described = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                Object value = rs.getObject(i);
                assertThat(value).as("%s of row 1", md.getColumnLabel(i)).isNotNull();
                described.add(md.getColumnLabel(i) + ": " + value.getClass().getName() + ", type "
                        + md.getColumnType(i));
            }
            return described;
        }
    }
}
