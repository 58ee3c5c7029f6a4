package org.pwtck.tck;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.junit.platform.suite.api.SuiteDisplayName;

/**
 * The whole TCK. {@code mvn test -Ptck} runs it against the host named by {@code pwtck.host}
 * (default {@code reference}). To run the TCK from your own build, copy this class and add
 * {@code @ConfigurationParameter(key = "pwtck.host", value = "<your host id>")} (see the README).
 */
@Suite
@SuiteDisplayName("pwtck conformance")
@SelectPackages("org.pwtck.tck.cases")
@IncludeClassNamePatterns(".*Cases")
public class TckSuite {}
