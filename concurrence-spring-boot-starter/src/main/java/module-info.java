/**
 * Concurrence for Spring Boot: auto-configuration of the Concurrence modules.
 * Its package ({@code io.concurrence.spring}) arrives with the starter issue.
 */
module io.concurrence.spring {
    requires transitive io.concurrence;
}
