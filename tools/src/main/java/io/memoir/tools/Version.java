package io.memoir.tools;

import picocli.CommandLine.IVersionProvider;

/** {@code memoir --version}: the tools jar's version and the JVM running it. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        final String v = Memoir.class.getPackage().getImplementationVersion();
        return new String[] {"memoir " + (v == null ? "(development build)" : v),
            "JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")};
    }
}
