package org.pwtck.tck.hosts.reference;

import java.util.List;
import org.pwtck.host.abi.PeerType;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.plugin.FilterFailedException;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.PluginVm;
import org.pwtck.host.plugin.TcpStream;
import org.pwtck.tck.api.NetworkDeployment;
import org.pwtck.tck.api.TcpResult;
import org.pwtck.tck.http.TcpEchoBackend;

/**
 * One network filter on the in-process reference host. An exchange follows a TCP proxy's steps: new
 * connection, the client's bytes (ending with its half-close) through on_downstream_data to the
 * echo, the echo's answer through on_upstream_data to the client, then both close events (the peer
 * closed: REMOTE) and the teardown. A paused data callback holds its bytes (nothing goes on); a
 * trap closes the connection with nothing forwarded, and the VM is replaced.
 */
final class InProcessTcpDeployment implements NetworkDeployment {
    private static final byte[] NOTHING = new byte[0];

    private final Plugin plugin;
    private final TcpEchoBackend echo;
    private final InProcessDeployment.LogBuffer logs;
    private PluginVm vm;

    InProcessTcpDeployment(
            Plugin plugin, PluginVm vm, TcpEchoBackend echo, InProcessDeployment.LogBuffer logs) {
        this.plugin = plugin;
        this.vm = vm;
        this.echo = echo;
        this.logs = logs;
    }

    @Override
    public synchronized TcpResult exchange(byte[] data) throws Exception {
        if (vm.isFailed()) {
            vm.close();
            vm = plugin.startVm();
        }
        InProcessDeployment.Events events = new InProcessDeployment.Events();
        TcpStream stream = vm.newTcpStream(events, StreamInfo.local());
        try {
            if (!stream.newConnection().isContinue() || events.closed.isDone()) {
                return new TcpResult(NOTHING, NOTHING);
            }
            TcpStream.Result down = stream.downstreamData(data, true);
            if (!down.action().isContinue() || events.closed.isDone()) {
                return new TcpResult(NOTHING, NOTHING);
            }
            byte[] reply = echo.handle(down.data());
            TcpStream.Result up = stream.upstreamData(reply, true);
            byte[] toClient = up.action().isContinue() ? up.data() : NOTHING;
            stream.downstreamClose(PeerType.REMOTE);
            stream.upstreamClose(PeerType.REMOTE);
            return new TcpResult(down.data(), toClient);
        } catch (FilterFailedException e) {
            return new TcpResult(NOTHING, NOTHING);
        } finally {
            if (!vm.isFailed()) {
                stream.complete();
            }
        }
    }

    @Override
    public List<String> logs() {
        return logs.lines();
    }

    @Override
    public synchronized void close() {
        vm.close();
    }
}
