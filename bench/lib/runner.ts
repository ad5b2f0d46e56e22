// Spawns measured commands and repeats them interleaved: every round runs each variant once, in an
// order rotated per round, so a slow phase of this noisy 2-core machine lands on all variants alike
// and the paired ratios of stats.ts cancel it.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { transpileToWork } from "./compile";
import { repoRoot } from "./paths";

let rssProbe: string | undefined;

export interface Command {
    /** Short name shown in the table. */
    readonly label: string;
    readonly argv: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
    /** Working directory; the repository root by default. */
    readonly cwd?: string;
    /** Extra options for every Node process of the command (e.g. --stack-trace-limit=0). */
    readonly nodeOptions?: string;
    /** Exit codes that mean success (default [0]); e.g. the audit exits 1 when it finds violations. */
    readonly okExitCodes?: readonly number[];
}

export interface Sample {
    readonly wallMs: number;
    /** Largest peak resident set of any Node process the command started. */
    readonly maxRssKiB: number;
    /** CPU time (user + system) of the whole process tree, NaN where the platform does not say. */
    readonly cpuMs: number;
    readonly exitCode: number;
    readonly stdout: string;
}

export interface RepeatOptions {
    readonly warmups: number;
    readonly runs: number;
}

/**
 * Runs one command to completion and measures its wall time and peak memory. Throws if it fails
 * (an exit code outside `okExitCodes`, a signal, or no start), with its label, command line, how it
 * ended and the last OUTPUT_TAIL_LINES lines of its stderr and stdout: a failing run inside the
 * bench fails the measurement (and the bench), and says why.
 */
export function measure(command: Command): Sample {
    rssProbe ??= transpileToWork(path.join(__dirname, "rss-probe.ts"));
    const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Date.now()}.txt`);
    const inherited = process.env.NODE_OPTIONS ?? "";
    const env = {
        ...process.env,
        ...command.env,
        BENCH_RSS_FILE: rssFile,
        NODE_OPTIONS: [inherited, `--require ${rssProbe}`, command.nodeOptions ?? ""].join(" ").trim(),
    };
    const [file, ...args] = command.argv;
    const cpuBefore = childrenCpuMs();
    const start = performance.now();
    const result = spawnSync(file, args, { cwd: command.cwd ?? repoRoot, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const wallMs = performance.now() - start;
    const cpuMs = childrenCpuMs() - cpuBefore;
    const rssLines = fs.existsSync(rssFile) ? fs.readFileSync(rssFile, "utf8").trim().split("\n") : [];
    fs.rmSync(rssFile, { force: true });
    if (result.error || !(command.okExitCodes ?? [0]).includes(result.status ?? -1)) {
        const why = result.error?.message ?? (result.status === null ? `killed by ${result.signal}` : `exit ${result.status}`);
        throw new Error(`${command.label} (${command.argv.join(" ")}) failed: ${why}\n${outputTail("stderr", result.stderr)}${outputTail("stdout", result.stdout)}`);
    }
    const maxRssKiB = Math.max(0, ...rssLines.map(Number).filter(Number.isFinite));
    return { wallMs, maxRssKiB, cpuMs, exitCode: result.status ?? -1, stdout: result.stdout };
}

/** Linux's clock tick (USER_HZ), the unit of /proc's CPU times; 100 on every mainstream kernel build. */
const USER_HZ = 100;

/**
 * CPU time of this process's waited-for descendants so far (cutime + cstime of /proc/self/stat):
 * each process's own and its waited-for children's, so one difference around spawnSync covers
 * the whole tree (npm, node, native compilers alike). NaN off Linux.
 */
function childrenCpuMs(): number {
    try {
        const stat = fs.readFileSync("/proc/self/stat", "utf8");
        // Fields after the parenthesised command name (which may contain spaces): cutime and cstime are fields 16 and 17.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return ((Number(fields[13]) + Number(fields[14])) * 1000) / USER_HZ;
    } catch {
        return NaN;
    }
}

/** Enough of a failing run's output to hold mocha's failure report (titles, assertion, stack) or a type error. */
export const OUTPUT_TAIL_LINES = 60;

function outputTail(stream: string, text: string | null): string {
    const lines = (text ?? "").trimEnd().split("\n");
    return lines.length === 1 && lines[0] === "" ? "" : `--- last ${Math.min(lines.length, OUTPUT_TAIL_LINES)} line(s) of its ${stream}:\n${lines.slice(-OUTPUT_TAIL_LINES).join("\n")}\n`;
}

/**
 * Runs every command `warmups` rounds unrecorded (page cache, compile caches), then `runs`
 * recorded rounds, each round running all commands once in a rotated order. Sample i of every
 * command comes from round i, which is what pairedRatio expects.
 */
export function interleave(commands: readonly Command[], options: RepeatOptions, onRound?: (round: number) => void): Sample[][] {
    const samples: Sample[][] = commands.map(() => []);
    for (let round = 0; round < options.warmups + options.runs; round++) {
        for (let k = 0; k < commands.length; k++) {
            const index = (round + k) % commands.length;
            const sample = measure(commands[index]);
            if (round >= options.warmups) {
                samples[index].push(sample);
            }
        }
        onRound?.(round);
    }
    return samples;
}

/**
 * Node with the TypeScript hook of everything that runs the Pulumi program (mocha, the offline
 * preview, Pulumi's own runner): transpile-only ts-node.
 */
export function tsNode(script: string, ...args: string[]): string[] {
    return [process.execPath, "--require", "ts-node/register/transpile-only", script, ...args];
}

export function npmRun(script: string, ...args: string[]): string[] {
    return ["npm", "run", "--silent", script, ...(args.length > 0 ? ["--", ...args] : [])];
}

/** The last line of a child's stdout parsed as JSON: how in-process measurements report back. */
export function lastJsonLine<T>(sample: Sample): T {
    const lines = sample.stdout.trim().split("\n");
    return JSON.parse(lines[lines.length - 1]) as T;
}
