package org.pwtck.host.vm;

/** How Chicory runs a module. */
public enum EngineMode {
    /** Chicory's interpreter: fast to start, slow to run. */
    INTERPRETER,
    /** Chicory's runtime compiler (wasm to JVM bytecode): slower to start, several times faster. */
    COMPILER
}
