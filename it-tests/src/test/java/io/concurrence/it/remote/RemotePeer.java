package io.concurrence.it.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.concurrence.Tasklet;
import io.concurrence.remote.RemoteServer;

/**
 * The child JVM of the remoting tests: binds a {@link RemoteServer} allowing {@link PeerMsg#ALLOWED}, registers a
 * tasklet as {@value #NAME}, prints {@code READY <port>} and serves until its standard input ends (the parent
 * closed it, or died), then exits.
 *
 * <p>Arguments: the port (0: a free one; a fixed one to restart on the same port), then the auth token
 * (optional: without it the server requires none). Lines it prints: {@code READY <port>} once bound,
 * {@code HANG} when it takes a {@link PeerMsg.Hang}. With the system property {@value #DELIVERIES} set, it appends
 * the id of every {@link PeerMsg.Note} it takes to that file.
 */
public final class RemotePeer {

    /** The name the peer's tasklet is registered as. */
    static final String NAME = "peer";
    /** The system property naming the file the ids of {@link PeerMsg.Note}s are appended to, if set. */
    static final String DELIVERIES = "concurrence.peer.deliveries";

    private RemotePeer() {
    }

    /**
     * Runs the peer.
     *
     * @param args the port, then the optional auth token
     */
    public static void main(String[] args) throws IOException {
        RemoteServer.Builder builder = RemoteServer.builder().host("127.0.0.1").port(Integer.parseInt(args[0]))
                .allow(PeerMsg.ALLOWED);
        if (args.length > 1) {
            builder.authToken(args[1]);
        }
        RemoteServer server = builder.bind();
        String log = System.getProperty(DELIVERIES);
        FileChannel deliveries = log == null ? null : FileChannel.open(Path.of(log), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        server.register(NAME, Tasklet.receiver(new PeerHandler(deliveries)::handle));
        say("READY " + server.port());
        InputStream in = System.in;
        while (in.read() >= 0) {
            // the parent writes nothing: this waits for the end of the pipe
        }
        server.close();
        // halt, not exit: the parent is gone or done, and nothing here needs shutdown hooks
        Runtime.getRuntime().halt(0);
    }

    /** Prints one line for the parent to read, at once. */
    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
