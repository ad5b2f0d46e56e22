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
 *
 * Every form the patterns use is one the User Guide documents, each checked by `undocumentedRegexForms`:
 * character classes with ranges, a class negated with `^` (`%\D%` "is equivalent to `%[^0-9]%`", and the
 * example `ab[^c]`), the escapes `\s` `\S` `\d` `\D` `\w` `\W` `\xhh` and `\` before an operator, `?` `*` `+`,
 * and `{m, n}` where "either m or n can be omitted": a run of at least n characters is written `{n,}`,
 * since an exact count `{n}` is not among the documented forms.
 */

/** Characters outside the JWT secret's alphabet that commonly delimit tokens in log lines, escaped for the class. */
const TOKEN_DELIMITERS = ["\\s", "\\.", ":", "/", ";", ",", "\\?", "\\[", "\\]", "\\{", "\\}", "\\|"];

/** The characters, symbols and operators the User Guide lists as supported. */
const LITERAL = /[A-Za-z0-9:_#=@/;,-]/;
const OPERATORS = "^$?[]{}|\\*+.";
const ESCAPED_CLASSES = "dDsSwW";
const QUANTIFIERS = "?*+";

export const MAX_REGEX_FILTER_PATTERNS_PER_LOG_GROUP = 5;

/**
 * The design document's leak search (`aws logs filter-log-events --filter-pattern "password"`), case-insensitive:
 * a plain term match is case-sensitive and would miss `Password=` or `PASSWORD`.
 */
export function passwordFilterPattern(): string {
    const caseInsensitive = [..."password"].map((letter) => `[${letter.toUpperCase()}${letter}]`).join("");
    return cloudWatchRegex(caseInsensitive);
}

/** A run of `length` characters (the configured JWT secret length) that could be the JWT secret (see the module comment). */
export function jwtSecretShapeFilterPattern(length: number): string {
    return cloudWatchRegex(`[^${TOKEN_DELIMITERS.join("")}]{${length},}`);
}

/**
 * Wraps a regex in `%` after checking it only uses forms CloudWatch Logs documents, so a pattern AWS
 * would reject, or read otherwise, fails here, at preview, instead of halfway through `pulumi up`.
 */
export function cloudWatchRegex(regex: string): string {
    const undocumented = undocumentedRegexForms(regex);
    if (undocumented.length > 0) {
        throw new Error(`"${regex}" is not a CloudWatch Logs filter regex as the User Guide documents it: ${undocumented.join("; ")}`);
    }
    return `%${regex}%`;
}

/**
 * The forms in `regex` that "Supported regular expressions (regex) syntax" (CloudWatch Logs User
 * Guide) does not document, one description each; empty when every form is documented.
 */
export function undocumentedRegexForms(regex: string): string[] {
    const forms: string[] = regex.length === 0 ? ["an empty regex"] : [];
    let inClass = false;
    let afterTerm = false;
    for (let i = 0; i < regex.length; i++) {
        const character = regex[i];
        if (character === "\\") {
            const next = regex[i + 1] ?? "";
            if (next === "x" && /^[0-9A-Fa-f]{2}$/.test(regex.slice(i + 2, i + 4))) {
                i += 3;
            } else if (!ESCAPED_CLASSES.includes(next) && !OPERATORS.includes(next)) {
                forms.push(`the escape \\${next}`);
            }
            i += 1;
            afterTerm = true;
        } else if (inClass) {
            if (character === "]") {
                inClass = false;
                afterTerm = true;
            } else if (!LITERAL.test(character) && !(character === "^" && regex[i - 1] === "[")) {
                forms.push(`"${character}" in a character class`);
            }
        } else if (character === "[") {
            inClass = true;
        } else if (character === "{") {
            const end = regex.indexOf("}", i);
            const bounds = end < 0 ? "" : regex.slice(i + 1, end);
            if (!afterTerm || !/^\d*,\d*$/.test(bounds) || bounds === ",") {
                forms.push(`the quantifier {${bounds}} (documented: {m,n}, either m or n omitted, after a term)`);
            }
            i = end < 0 ? regex.length : end;
            afterTerm = false;
        } else if (QUANTIFIERS.includes(character)) {
            if (!afterTerm) {
                forms.push(`"${character}" with nothing to repeat`);
            }
            afterTerm = false;
        } else if ("^$|".includes(character)) {
            afterTerm = false;
        } else if (character === "." || LITERAL.test(character)) {
            afterTerm = true;
        } else {
            forms.push(`"${character}"`);
        }
    }
    if (inClass) {
        forms.push("an unclosed character class");
    }
    return forms;
}
