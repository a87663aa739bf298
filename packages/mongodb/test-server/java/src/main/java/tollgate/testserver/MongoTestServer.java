package tollgate.testserver;

import java.util.List;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * Usage: java -jar mongo-java-test-server.jar [port]   (0 or nothing = ephemeral port)
 *
 * Binds 127.0.0.1, prints "LISTENING <port>" once ready and runs until stdin closes or SIGTERM.
 */
public final class MongoTestServer {

    /**
     * mongo-java-server's newest built-in version (MONGO_5_0) reports wire version 8, which the Node
     * driver 7.x rejects (it needs at least 9 = MongoDB 4.4). The version is only reported in
     * hello/buildInfo/serverStatus, so claiming 4.4 changes nothing else on the server side.
     */
    private static final MongoVersion MONGO_4_4 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    };

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;

        MongoServer server = new MongoServer(new MemoryBackend().version(MONGO_4_4));
        server.bind("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));

        System.out.println("LISTENING " + server.getLocalAddress().getPort());
        System.out.flush();

        // The parent holds our stdin open; when it exits (even by crashing) we stop too.
        while (System.in.read() != -1) {
            // discard input
        }
        System.exit(0);
    }
}
