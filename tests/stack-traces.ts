/**
 * The SDK records `new Error().stack` for every promise it creates (runtime/debuggable.ts), and
 * under ts-node each stack goes through source-map-support: that made one deployment cost ~1.5 s
 * instead of ~0.2 s. Tests run programs with stack traces off (assertions run afterwards, with
 * stacks); set ADMA_TEST_STACK_TRACES=1 to keep them when debugging an error thrown inside one.
 */
export async function withoutStackTraces<T>(run: () => Promise<T>): Promise<T> {
    if (process.env.ADMA_TEST_STACK_TRACES === "1") {
        return run();
    }
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await run();
    } finally {
        Error.stackTraceLimit = limit;
    }
}
