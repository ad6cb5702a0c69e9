package io.corral.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import io.corral.client.ConnectString.HostPort;
import org.junit.jupiter.api.Test;

/**
 * The rebalancing decision of {@link HostList} (ZooKeeper's client's, ZOOKEEPER-1355) on simulated populations of
 * clients, each with its own seeded random source, and the order in which servers are tried.
 */
class HostListTest {
    private static final int CLIENTS = 1000;

    private static List<HostPort> servers(int... ports) {
        return IntStream.of(ports).mapToObj(p -> new HostPort("127.0.0.1", p)).toList();
    }

    /** One simulated client: its list, and the server it is connected to. */
    private record Client(HostList hosts, HostPort on) {
    }

    /** {@link #CLIENTS} clients, client i on server i mod the list's size (an even spread), seeds 0.. */
    private static List<Client> spreadOver(List<HostPort> servers) {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            HostList hosts = new HostList(servers, new Random(i), true);
            HostPort on = servers.get(i % servers.size());
            hosts.connected(on);
            clients.add(new Client(hosts, on));
        }
        return clients;
    }

    /** Updates every client; returns where each ends: where it was, or the first server {@code next()} draws. */
    private static Map<HostPort, Integer> update(List<Client> clients, List<HostPort> to, int[] moved) {
        Map<HostPort, Integer> load = new HashMap<>();
        for (Client c : clients) {
            HostPort at = c.on();
            if (c.hosts().update(to, c.on(), null)) {
                moved[0]++;
                at = c.hosts().next();
                c.hosts().connected(at);
            }
            load.merge(at, 1, Integer::sum);
        }
        return load;
    }

    @Test
    void growingFromThreeToFiveServersMovesAboutTwoFifthsOfTheClientsAllToTheAddedServers() {
        List<HostPort> three = servers(1, 2, 3);
        List<HostPort> five = servers(1, 2, 3, 4, 5);
        int[] moved = {0};
        Map<HostPort, Integer> load = update(spreadOver(three), five, moved);
        // 1 - 3/5 of 1,000: 400 expected, a standard deviation of about 15
        assertThat(moved[0]).isBetween(340, 460);
        int toAdded = load.getOrDefault(five.get(3), 0) + load.getOrDefault(five.get(4), 0);
        assertThat(toAdded).as("every client that moved went to an added server").isEqualTo(moved[0]);
        for (HostPort s : five) {
            assertThat(load.get(s)).as("clients on %s", s).isBetween(150, 250); // 200 each expected
        }
    }

    @Test
    void aClientWhoseServerIsRemovedAlwaysMovesAndTheOthersStay() {
        List<HostPort> five = servers(1, 2, 3, 4, 5);
        List<HostPort> three = servers(1, 2, 3);
        List<Client> clients = spreadOver(five);
        int[] moved = {0};
        Map<HostPort, Integer> load = update(clients, three, moved);
        // exactly the clients of servers 4 and 5 move (two fifths), onto the three kept servers
        assertThat(moved[0]).isEqualTo(CLIENTS * 2 / 5);
        assertThat(load.keySet()).containsExactlyInAnyOrderElementsOf(three);
        for (HostPort s : three) {
            assertThat(load.get(s)).isBetween(280, 390); // 333 expected
        }
    }

    @Test
    void aKeptServerKeepsItsClientsWhenTheListShrinks() {
        List<HostPort> three = servers(1, 2, 3);
        for (int seed = 0; seed < CLIENTS; seed++) {
            HostList hosts = new HostList(three, new Random(seed), true);
            hosts.connected(three.get(seed % 3));
            HostPort on = three.get(seed % 3);
            List<HostPort> shrunk = new ArrayList<>(three);
            shrunk.remove(on.equals(three.get(0)) ? 1 : 0); // another server leaves
            assertThat(hosts.update(shrunk, on, null)).isFalse();
            assertThat(hosts.rebalancing()).isFalse();
        }
    }

    @Test
    void aServerReplacedByAnotherSendsItsClientsToTheNewOne() {
        List<HostPort> before = servers(1, 2, 3);
        List<HostPort> after = servers(1, 2, 4);
        for (int seed = 0; seed < 100; seed++) {
            HostList hosts = new HostList(before, new Random(seed), true);
            hosts.connected(before.get(2));
            assertThat(hosts.update(after, before.get(2), null)).isTrue();
            assertThat(hosts.next()).isEqualTo(after.get(2)); // as many servers: the kept ones take no more
        }
    }

    /**
     * A reconfiguration's list names servers as their configuration does (by address) where the connect string
     * named them: the server the client is connected to is recognised by the address it is connected to, as
     * ZooKeeper's client does, and the client stays.
     */
    @Test
    void aServerNamedByItsAddressInTheNewListIsTheSameServer() throws Exception {
        List<HostPort> named = List.of(new HostPort("localhost", 1), new HostPort("localhost", 2),
                new HostPort("localhost", 3));
        List<HostPort> byAddress = List.of(new HostPort("127.0.0.1", 1), new HostPort("127.0.0.1", 2));
        java.net.InetAddress loopback = java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        for (int seed = 0; seed < 50; seed++) {
            HostList hosts = new HostList(named, new Random(seed), true);
            hosts.connected(named.get(0));
            assertThat(hosts.update(byAddress, named.get(0), loopback)).as("seed %d", seed).isFalse();
            assertThat(hosts.next()).as("the next after the one it is on").isEqualTo(byAddress.get(1));

            HostList blind = new HostList(named, new Random(seed), true); // by name only, it looks gone: it moves
            blind.connected(named.get(0));
            assertThat(blind.update(byAddress, named.get(0), null)).isTrue();
        }
        HostList v6 = new HostList(List.of(new HostPort("localhost", 1), new HostPort("localhost", 2)),
                new Random(1), true);
        v6.connected(new HostPort("localhost", 1));
        assertThat(v6.update(List.of(new HostPort("[0:0:0:0:0:0:0:1]", 1)), new HostPort("localhost", 1),
                java.net.InetAddress.getByName("::1"))).isFalse();
    }

    @Test
    void theSameServersInAnotherOrderChangeNothing() {
        List<HostPort> three = servers(1, 2, 3);
        HostList hosts = new HostList(three, new Random(1), true);
        hosts.connected(three.get(0));
        List<HostPort> order = hosts.hosts();
        assertThat(hosts.update(servers(3, 2, 1), three.get(0), null)).isFalse();
        assertThat(hosts.hosts()).isEqualTo(order);
    }

    @Test
    void aMoveTriesTheAddedServersThenFallsBackToRoundRobin() {
        List<HostPort> one = servers(1);
        List<HostPort> three = servers(1, 2, 3);
        int moves = 0;
        for (int seed = 0; seed < 100; seed++) {
            HostList hosts = new HostList(one, new Random(seed), true);
            hosts.connected(one.get(0));
            if (!hosts.update(three, null, null)) { // not connected: judged by the server it was last on, which stays
                assertThat(hosts.rebalancing()).isFalse();
                continue;
            }
            moves++;
            // every attempt fails: the two added servers first, then round robin over all three
            assertThat(List.of(hosts.next(), hosts.next())).containsExactlyInAnyOrder(three.get(1), three.get(2));
            List<HostPort> rest = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                rest.add(hosts.next());
            }
            assertThat(hosts.rebalancing()).isFalse();
            assertThat(rest.subList(0, 3)).containsExactlyInAnyOrderElementsOf(three);
            assertThat(rest.subList(3, 6)).isEqualTo(rest.subList(0, 3));
        }
        assertThat(moves).isBetween(50, 85); // 2/3 expected
    }

    @Test
    void theListIsShuffledUnlessAskedNotTo() {
        List<HostPort> nine = servers(1, 2, 3, 4, 5, 6, 7, 8, 9);
        HostList ordered = new HostList(nine, new Random(3), false);
        List<HostPort> tried = new ArrayList<>();
        for (int i = 0; i < nine.size(); i++) {
            tried.add(ordered.next());
        }
        assertThat(tried).isEqualTo(nine);
        // shuffled: over a few seeds the first server tried is not always the first written, and all are tried
        Set<HostPort> firsts = new HashSet<>();
        for (int seed = 0; seed < 20; seed++) {
            HostList shuffled = new HostList(nine, new Random(seed), true);
            List<HostPort> round = new ArrayList<>();
            for (int i = 0; i < nine.size(); i++) {
                round.add(shuffled.next());
            }
            assertThat(round).containsExactlyInAnyOrderElementsOf(nine);
            firsts.add(round.get(0));
        }
        assertThat(firsts.size()).isGreaterThan(3);
    }

    @Test
    void anEmptyListIsRefused() {
        assertThatThrownBy(() -> new HostList(List.of(), new Random(), true))
                .isInstanceOf(IllegalArgumentException.class);
        HostList hosts = new HostList(servers(1), new Random(), true);
        assertThatThrownBy(() -> hosts.update(List.of(), null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
