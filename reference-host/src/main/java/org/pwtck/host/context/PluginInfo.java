package org.pwtck.host.context;

import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.LogLevel;

/** What a host call may need to know about the plugin it runs for. */
public record PluginInfo(
        String name,
        String rootId,
        String vmId,
        LogLevel logLevel,
        AbiVersion abiVersion,
        byte[] vmConfiguration,
        byte[] pluginConfiguration) {}
