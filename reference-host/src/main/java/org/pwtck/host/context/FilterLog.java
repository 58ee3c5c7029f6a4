package org.pwtck.host.context;

import org.pwtck.host.abi.LogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@code proxy_log} and the guest's stdout/stderr go. The default writes through SLF4J to the
 * logger {@code pwtck.filter.<plugin name>}; embedders and tests can capture instead.
 */
@FunctionalInterface
public interface FilterLog {

    void log(String pluginName, LogLevel level, String message);

    static FilterLog slf4j() {
        return (plugin, level, message) -> {
            Logger logger = LoggerFactory.getLogger("pwtck.filter." + plugin);
            switch (level) {
                case TRACE -> logger.trace(message);
                case DEBUG -> logger.debug(message);
                case INFO -> logger.info(message);
                case WARN -> logger.warn(message);
                default -> logger.error(message);
            }
        };
    }
}
