import * as fs from "fs";
import * as path from "path";
import { packageScripts } from "../../tools/dev/npm-scripts";
import { repoRoot } from "./paths";
import { Row } from "./report";
import { RepeatOptions } from "./runner";

export interface BenchContext {
    /** Smaller inputs and fewer rounds (`npm run bench -- --quick`). */
    readonly quick: boolean;
    /** Rounds for whole-process measurements; heavy measurements may use fewer. */
    readonly repeat: RepeatOptions;
    log(message: string): void;
}

export interface Measurement {
    /** Name for `--only`. */
    readonly name: string;
    run(context: BenchContext): Row[];
}

/** A subject that does not exist (yet) in this work tree: reported as a row, not a crash. */
export class NotAvailable extends Error {}

/** Throws NotAvailable unless every path (relative to the repo root) exists. */
export function requireFiles(...files: string[]): void {
    const missing = files.filter((file) => !fs.existsSync(path.join(repoRoot, file)));
    if (missing.length > 0) {
        throw new NotAvailable(`missing ${missing.join(", ")}`);
    }
}

/** Throws NotAvailable unless package.json defines the npm script; returns its command. */
export function requireScript(name: string): string {
    try {
        return packageScripts(repoRoot, [name]).get(name) as string;
    } catch (error) {
        throw new NotAvailable((error as Error).message);
    }
}
