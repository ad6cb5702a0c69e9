package io.corral.server.compat;

import io.corral.net.LoopbackPorts;
import io.corral.server.ops.ZooKeeperProcess;
import java.util.List;
import java.util.Map;

/**
 * ZooKeeper 3.9.5 in a child JVM ({@code ZooKeeperServerMain zoo.cfg}): its Kerberos name mapping reads the default
 * realm and the removal switches into statics once per JVM, so each server gets a JVM of its own with this class's
 * JAAS file, Kerberos configuration and super user, and the kerberos.* keys in its zoo.cfg as operators write them.
 */
class KerberosOnZooKeeperTest extends KerberosContract {
    @Override
    protected ServerUnderTest startServer(Map<String, String> config) {
        ZooKeeperProcess zk = ZooKeeperProcess.start(LoopbackPorts.reserve(1).get(0), withSaslProvider(config),
                List.of("-Djava.security.auth.login.config=" + jaasFile,
                        "-Djava.security.krb5.conf=" + kdc.krb5Conf(), "-Dzookeeper.superUser=" + CAROL));
        return new ServerUnderTest() {
            @Override
            public String connectString() {
                return zk.connectString();
            }

            @Override
            public String kind() {
                return "zookeeper";
            }

            @Override
            public void close() {
                zk.close();
            }
        };
    }
}
