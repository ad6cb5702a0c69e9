package io.corral.protocol;

import java.util.ArrayList;
import java.util.List;

/** whoAmI: every authenticated identity of the connection. */
public record WhoAmIResponse(List<ClientInfo> clientInfo) implements Record {

    public static WhoAmIResponse read(JuteInput in) {
        int count = in.readInt();
        List<ClientInfo> list = new ArrayList<>(Math.max(count, 0));
        for (int i = 0; i < count; i++) {
            list.add(ClientInfo.read(in));
        }
        return new WhoAmIResponse(list);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(clientInfo.size());
        for (ClientInfo info : clientInfo) {
            info.write(out);
        }
    }
}
