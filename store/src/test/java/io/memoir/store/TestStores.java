package io.memoir.store;

/** Store options for tests: small journal files. */
final class TestStores {
    private TestStores() {
    }

    static Store.Builder builder() {
        return Store.builder().rollCycle("TEST8_DAILY");
    }
}
