package io.memoir.store;

import io.memoir.bench.ConfigShare;
import io.memoir.bench.TypedConfig;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.wire.SelfDescribingMarshallable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The object codec alone on the ~1 KiB config of {@link ConfigShare} (in the store's package to reach
 * the package-private codec; benchmarks only).
 *
 * <pre>mvn -B -q -pl bench -am package -DskipTests -Prun -Dbench.args="CodecBenchmark -prof gc"</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CodecBenchmark {
    /** A quote with fields of value types whose form Chronicle Wire owns (planned field by field). */
    public static final class Quote extends SelfDescribingMarshallable {
        String symbol = "VOD.L";
        Instant at = Instant.parse("2026-11-30T11:00:00.123456789Z");
        LocalDate tradeDate = LocalDate.of(2026, 11, 30);
        UUID id = new UUID(0x1234_5678_9abc_def0L, 0x0fed_cba9_8765_4321L);
        BigDecimal price = new BigDecimal("101.25");
        long seq = 42;
        double bid = 101.2;
        double ask = 101.3;
        List<String> venues = new ArrayList<>(List.of("XLON", "BATE", "CHIX"));
    }

    private final Map<String, Object> config = ConfigShare.config();
    private final byte[] encoded = ObjectCodec.encode(config, "config");
    private final String json = ObjectCodec.toJson(encoded, "config", 1);
    private final TypedConfig typed = TypedConfig.sample();
    private final byte[] encodedTyped = ObjectCodec.encode(typed, "typed");
    private final Quote quote = new Quote();
    private final byte[] encodedQuote = ObjectCodec.encode(quote, "quote");
    private final byte[] chronicleQuote = ObjectCodec.encodeWithChronicle(quote, "quote");

    /** The fast path's encoder. */
    @Benchmark
    public byte[] encode() {
        return ObjectCodec.encode(config, "config");
    }

    /** The fast path's decoder. */
    @Benchmark
    public Object decode() {
        return ObjectCodec.decode(encoded, Map.class, "config", 1);
    }

    /** {@code putJson}'s parse of the config's JSON text. */
    @Benchmark
    public Object parseJson() {
        return Json.parse(json);
    }

    /** {@code putJson}'s encoding of the config's JSON text: written as it is parsed. */
    @Benchmark
    public int jsonToBinary() {
        return ObjectCodec.encodeJsonInPlace(json).pos;
    }

    /** The same through a tree, as {@code putJson} did before: parse, then encode the tree. */
    @Benchmark
    public int jsonToBinaryThroughTree() {
        return ObjectCodec.encodeInPlace(Json.parse(json), "config").pos;
    }

    /** {@code getJson}'s decode and JSON writing of the config. */
    @Benchmark
    public String toJson() {
        return ObjectCodec.toJson(encoded, "config", 1);
    }

    /** A typed object, through Memoir's codec (its plan for the class: {@link TypedCodec}). */
    @Benchmark
    public byte[] encodeTyped() {
        return ObjectCodec.encode(typed, "typed");
    }

    /** A typed object back. */
    @Benchmark
    public Object decodeTyped() {
        return ObjectCodec.decode(encodedTyped, TypedConfig.class, "typed", 1);
    }

    /** The same object through Chronicle Wire's own marshaller: what Memoir did before its typed path. */
    @Benchmark
    public byte[] encodeTypedChronicle() {
        return ObjectCodec.encodeWithChronicle(typed, "typed");
    }

    /** A {@link Quote}: Memoir's plan, with Chronicle Wire for its java.time, UUID and BigDecimal fields. */
    @Benchmark
    public byte[] encodeQuote() {
        return ObjectCodec.encode(quote, "quote");
    }

    /** A {@link Quote} back through the plan. */
    @Benchmark
    public Object decodeQuote() {
        return ObjectCodec.decode(encodedQuote, Quote.class, "quote", 1);
    }

    /** A {@link Quote} through Chronicle Wire's own marshaller (what Memoir did for such classes before). */
    @Benchmark
    public byte[] encodeQuoteChronicle() {
        return ObjectCodec.encodeWithChronicle(quote, "quote");
    }

    /** Chronicle Wire's bytes of a {@link Quote} back through its own reader. */
    @Benchmark
    public Object decodeQuoteChronicle() {
        return ObjectCodec.decodeWithChronicle(ObjectCodec.wireOver(chronicleQuote, "quote", 1), "quote", 1);
    }

    /** The same bytes back through Chronicle Wire's own reader. */
    @Benchmark
    public Object decodeTypedChronicle() {
        return ObjectCodec.decodeWithChronicle(ObjectCodec.wireOver(encodedTyped, "typed", 1), "typed", 1);
    }
}
