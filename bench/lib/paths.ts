import * as path from "path";

export const repoRoot = path.resolve(__dirname, "..", "..");
/** Generated inputs and transpiled helpers; ignored by git. */
export const workDir = path.join(repoRoot, "bench", ".work");
/** Shared read-only corpora beside the repository (never copied into it). */
export const corpusDir = path.resolve(repoRoot, "..", "shared", "corpus");
