// Preloaded into every Node process a measured command starts (NODE_OPTIONS=--require), so the
// runner learns each process's peak resident memory without extra tools. It is transpiled to
// plain JavaScript before a run (see compile.ts) because it loads before any TypeScript hook.
import { appendFileSync } from "fs";

const file = process.env.BENCH_RSS_FILE;
if (file) {
    process.on("exit", () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
}
