/**
 * The {@code memoir} command line: one class per subcommand ({@code *Command}), shared options in
 * {@link io.memoir.tools.StoreOptions}, exit codes in {@link io.memoir.tools.ExitCodes}. Not an API:
 * run it through the launcher ({@code ./memoir}) or {@code java -jar tools/target/memoir.jar}.
 */
package io.memoir.tools;
