package org.pwtck.tck.http;

/** One HTTP header as the TCK sees it on the wire. Names are compared case-insensitively. */
public record HttpHeader(String name, String value) {}
