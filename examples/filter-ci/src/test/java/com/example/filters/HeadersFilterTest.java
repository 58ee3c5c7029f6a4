package com.example.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.pwtck.tck.author.ExpectedExchange;
import org.pwtck.tck.author.FilterTest;
import org.pwtck.tck.author.FilterUnderTest;
import org.pwtck.tck.author.HostTest;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;

/**
 * The filter's behaviour, written once and run on every host in {@code pwtck.hosts} (the pom sets
 * {@code reference,envoy}; a host not installed here is SKIPPED with the reason, never passed).
 * Each exchange goes through the filter to pwtck's echo upstream, which reports what it received.
 */
@FilterTest(wasm = "target/filter/headers.wasm", configFile = "filter-config.json")
class HeadersFilterTest {

    @HostTest
    void addsARequestHeaderForTheUpstream(FilterUnderTest filter) throws Exception {
        filter.check(
                ExpectedExchange.of(TckRequest.get("/headers"))
                        .expectStatus(200)
                        .expectUpstreamHeader("x-hello", "world"));
    }

    @HostTest
    void neverLeaksTheInternalTokenUpstream(FilterUnderTest filter) throws Exception {
        filter.check(
                ExpectedExchange.of(
                                TckRequest.get("/headers").withHeader("x-internal-token", "s3cr3t"))
                        .expectForwarded()
                        .expectNoUpstreamHeader("x-internal-token"));
    }

    @HostTest
    void marksTheResponse(FilterUnderTest filter) throws Exception {
        TckResponse response =
                filter.check(
                        ExpectedExchange.of(TckRequest.post("/anything", "hello"))
                                .expectStatus(200)
                                .expectResponseHeader("x-filtered-by", "headers")
                                .expectUpstreamBody("hello"));
        // plain JUnit assertions work too
        assertEquals("headers", response.header("x-filtered-by").orElseThrow());
    }
}
