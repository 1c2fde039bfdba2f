package io.concurrence.remote;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link RemoteClient.Builder}'s checks of its options, made when an option is given, before any connection. */
class RemoteClientTest {

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void aConnectTimeoutThatIsNotPositiveIsRejectedNamingTheOptionAndWhatIsExpected(long millis) {
        Duration timeout = Duration.ofMillis(millis);
        assertThatThrownBy(() -> RemoteClient.builder().connectTimeout(timeout))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout " + timeout + " is not positive: expected a positive duration")
                .hasNoCause();
    }

    @Test
    void aNullConnectTimeoutIsRejectedNamingTheParameter() {
        assertThatThrownBy(() -> RemoteClient.builder().connectTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("timeout").hasNoCause();
    }

    /** As {@link RemoteServer.Builder#authToken}: an empty token is a mistake, not "no token" (leave it unset). */
    @Test
    void anEmptyAuthTokenIsRejectedAsTheServerBuilderRejectsIt() {
        assertThatThrownBy(() -> RemoteClient.builder().authToken(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the auth token is empty: expected a secret (leave it unset for a server that requires"
                        + " none)")
                .hasNoCause();
    }
}
