package io.concurrence.remote;

/**
 * How a {@link RemoteClient} reaches a {@link RemoteServer}: both sides must use the same one. Either can be secured
 * with TLS.
 *
 * @since 0.1
 */
public enum RemoteTransport {

    /** RSocket frames straight over TCP (the default): the fastest. */
    TCP,

    /**
     * RSocket frames over a WebSocket (one binary message per frame): for networks that pass only HTTP, through
     * proxies and load balancers that speak it.
     */
    WEBSOCKET
}
