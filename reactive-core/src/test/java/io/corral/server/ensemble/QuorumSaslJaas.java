package io.corral.server.ensemble;

/**
 * The JAAS file of the quorum SASL tests, on Corral and on ZooKeeper alike: the sections ZooKeeper's keys name
 * ({@code QuorumServer} with the user the learners log in as, {@code QuorumLearner}) and a learner section with the
 * wrong password.
 */
public final class QuorumSaslJaas {
    public static final String FILE = """
            QuorumServer {
              org.apache.zookeeper.server.auth.DigestLoginModule required
              user_corral="quorum-secret";
            };
            QuorumLearner {
              org.apache.zookeeper.server.auth.DigestLoginModule required
              username="corral"
              password="quorum-secret";
            };
            WrongLearner {
              org.apache.zookeeper.server.auth.DigestLoginModule required
              username="corral"
              password="not-the-secret";
            };
            """;

    private QuorumSaslJaas() {
    }
}
