/**
 * CloudWatch Logs filter patterns that find a secret leaking into the backend's logs. Pure: no Pulumi calls.
 *
 * CloudWatch Logs filter patterns support a restricted regex between `%` delimiters ("Supported
 * regular expressions (regex) syntax", CloudWatch Logs User Guide): only letters, digits, the symbols
 * `: _ # = @ / ; , -`, the operators `^ $ ? [ ] { } | \ * + .`, no parentheses, no multi-byte characters,
 * and at most 5 regex filter patterns per log group. `%` itself cannot appear inside the regex, yet it is
 * one of the JWT secret's characters (`overrideSpecial: "_-+=@#%"`). A class of the JWT alphabet without
 * `%` would miss most secrets (each of 64 characters drawn from 69 avoids `%` with probability 68/69, so
 * only about 39% of secrets contain none), so the shape is written as a negated class instead: a run
 * of characters that are neither whitespace nor a delimiter that never occurs in the secret. It matches
 * every secret wherever it appears, at the cost of also matching other long unbroken tokens (a 64-hex
 * digest, say): acceptable for an alarm that should never fire.
 */

/** Characters outside the JWT secret's alphabet that commonly delimit tokens in log lines, escaped for the class. */
const TOKEN_DELIMITERS = ["\\s", "\\.", ":", "/", ";", ",", "\\?", "\\[", "\\]", "\\{", "\\}", "\\|"];

const DOCUMENTED_REGEX_CHARACTERS = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]*$/;

export const MAX_REGEX_FILTER_PATTERNS_PER_LOG_GROUP = 5;

/**
 * The seed's leak search (`aws logs filter-log-events --filter-pattern "password"`), case-insensitive:
 * a plain term match is case-sensitive and would miss `Password=` or `PASSWORD`.
 */
export function passwordFilterPattern(): string {
    const caseInsensitive = [..."password"].map((letter) => `[${letter.toUpperCase()}${letter}]`).join("");
    return cloudWatchRegex(caseInsensitive);
}

/** A run of `length` characters (the configured JWT secret length) that could be the JWT secret (see the module comment). */
export function jwtSecretShapeFilterPattern(length: number): string {
    return cloudWatchRegex(`[^${TOKEN_DELIMITERS.join("")}]{${length}}`);
}

/**
 * Wraps a regex in `%` after checking it only uses what CloudWatch Logs documents as supported, so a
 * pattern AWS would reject fails here, at preview, instead of halfway through `pulumi up`.
 */
export function cloudWatchRegex(regex: string): string {
    if (regex.length === 0 || !DOCUMENTED_REGEX_CHARACTERS.test(regex)) {
        throw new Error(
            `"${regex}" is not a CloudWatch Logs filter regex: only letters, digits, the symbols ": _ # = @ / ; , -" and the operators "^ $ ? [ ] { } | \\ * + ." are supported`);
    }
    return `%${regex}%`;
}
