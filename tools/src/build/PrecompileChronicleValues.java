import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Build step (run by the tools pom with the java source launcher): generates the classes that Chronicle
 * Values would otherwise generate and compile with javac at run time, the first time a JVM opens a
 * Chronicle Map, and compiles them into the output directory.
 *
 * <p>Chronicle Values first tries {@code ClassLoader.loadClass(name)} and compiles only if that fails, so a
 * class found on the class path is used as it is. The source comes from Chronicle Values' own generator:
 * the class is exactly the one it would have compiled.
 *
 * <p>Usage: {@code java PrecompileChronicleValues.java OUTPUT_DIR SOURCE_DIR VALUE_INTERFACE...}: the
 * generated sources are kept in {@code SOURCE_DIR} (in the build directory, so that a build leaves
 * nothing behind elsewhere), the classes compiled into {@code OUTPUT_DIR}.
 */
public final class PrecompileChronicleValues {
    private PrecompileChronicleValues() {
    }

    public static void main(final String[] args) throws Exception {
        final Path out = Path.of(args[0]);
        final Class<?> modelType = Class.forName("net.openhft.chronicle.values.ValueModel");
        final Method generate = Class.forName("net.openhft.chronicle.values.Generators")
            .getDeclaredMethod("generateNativeClass", modelType, String.class);
        generate.setAccessible(true);
        final Path sources = Path.of(args[1]);
        for (int i = 2; i < args.length; i++) {
            final Class<?> valueType = Class.forName(args[i]);
            final Object model = modelType.getMethod("acquire", Class.class).invoke(null, valueType);
            final String simpleName = valueType.getName().substring(valueType.getName().lastIndexOf('.') + 1)
                + "$$Native";
            final String source = (String) generate.invoke(null, model, simpleName);
            final Path file = sources.resolve(valueType.getPackageName().replace('.', '/')).resolve(simpleName + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source, StandardCharsets.UTF_8);
            final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            final int rc = javac.run(null, null, null, "-nowarn", "-proc:none", "--release", "17",
                "-cp", System.getProperty("java.class.path"), "-d", out.toString(), file.toString());
            if (rc != 0) {
                throw new IllegalStateException("javac failed (exit " + rc + ") on generated " + file);
            }
        }
    }
}
