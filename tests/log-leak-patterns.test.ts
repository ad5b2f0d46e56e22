import * as assert from "assert";
import {
    MAX_REGEX_FILTER_PATTERNS_PER_LOG_GROUP, cloudWatchRegex, jwtSecretShapeFilterPattern, passwordFilterPattern, undocumentedRegexForms,
} from "../lib/log-leak-patterns";

const JWT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+=@#%";

/** The CloudWatch Logs regex (between the `%`) as a JavaScript RegExp: the supported subset means the same in both. */
function asRegExp(filterPattern: string): RegExp {
    assert.match(filterPattern, /^%.+%$/);
    return new RegExp(filterPattern.slice(1, -1));
}

/** A JWT secret as random.RandomPassword makes it (length 64, special: true, overrideSpecial "_-+=@#%"). */
function randomJwtSecret(seed: number): string {
    let state = seed;
    return Array.from({ length: 64 }, () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return JWT_ALPHABET[state % JWT_ALPHABET.length];
    }).join("");
}

describe("log leak filter patterns (lib/log-leak-patterns)", () => {
    it("password: the design document's search, case-insensitive", () => {
        const regex = asRegExp(passwordFilterPattern());
        for (const line of ["password=hunter2", "Password: x", "FATAL: PASSWORD authentication failed for user appuser"]) {
            assert.ok(regex.test(line), line);
        }
        assert.ok(!regex.test("2026-03-04 10:30:00 - Started UrlShortenerApplication in 4.2 seconds"));
    });

    it("JWT shape: finds every generated secret, including those with % (which a CloudWatch regex cannot spell)", () => {
        const regex = asRegExp(jwtSecretShapeFilterPattern(64));
        const secrets = Array.from({ length: 500 }, (_, i) => randomJwtSecret(i + 1));
        assert.ok(secrets.some((secret) => secret.includes("%")), "the sample includes secrets with %");
        for (const secret of secrets) {
            for (const line of [`JWT_SECRET=${secret}`, `{"level":"DEBUG","jwt":"${secret}"}`, `signing key ${secret} loaded`]) {
                assert.ok(regex.test(line), line);
            }
        }
    });

    it("JWT shape: stays quiet on ordinary log lines", () => {
        const regex = asRegExp(jwtSecretShapeFilterPattern(64));
        const lines = [
            "2026-03-04 10:30:00 - o.s.b.w.embedded.tomcat.TomcatWebServer : Tomcat started on port(s): 8080 (http) with context path ''",
            "2026-03-04 10:30:01 - org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorControllerConfiguration initialised",
            "GET https://adma.example.com/api/v1/links/abc123?utm_source=newsletter&utm_medium=email 200 12ms",
            "{\"level\":\"INFO\",\"logger\":\"com.adma.shortener.LinkService\",\"message\":\"created link\",\"id\":\"a1b2c3\"}",
        ];
        for (const line of lines) {
            assert.ok(!regex.test(line), line);
        }
    });

    it("JWT shape: the documented price of never missing a secret, any 64-character unbroken token matches", () => {
        const regex = asRegExp(jwtSecretShapeFilterPattern(64));
        assert.ok(regex.test(`pulled image digest sha256 ${"9f".repeat(32)}`));
    });

    it("JWT shape follows the configured length", () => {
        assert.match(jwtSecretShapeFilterPattern(128), /\{128,\}%$/);
    });

    it("use only forms the CloudWatch Logs User Guide documents (issue 16, case 12): no exact count {n}, which it does not show", () => {
        for (const pattern of [passwordFilterPattern(), jwtSecretShapeFilterPattern(64)]) {
            assert.deepStrictEqual(undocumentedRegexForms(pattern.slice(1, -1)), [], pattern);
        }
        assert.deepStrictEqual(undocumentedRegexForms("[^\\s\\.:/]{64}"), ["the quantifier {64} (documented: {m,n}, either m or n omitted, after a term)"]);
        assert.deepStrictEqual(undocumentedRegexForms("\\d{1,3}\\.\\d{1,3}|[Ee]rror|ab[^c]$|\\x3A|colou?r|ab*c|ab+c|.at"), []);
        assert.deepStrictEqual(undocumentedRegexForms("(a)"), ["\"(\"", "\")\""]);
        assert.deepStrictEqual(undocumentedRegexForms("\\bword[a"), ["the escape \\b", "an unclosed character class"]);
        assert.deepStrictEqual(undocumentedRegexForms("*a{,}"), ["\"*\" with nothing to repeat", "the quantifier {,} (documented: {m,n}, either m or n omitted, after a term)"]);
    });

    it("only use what CloudWatch Logs regex supports, within the per-log-group quota", () => {
        for (const pattern of [passwordFilterPattern(), jwtSecretShapeFilterPattern(64)]) {
            assert.doesNotThrow(() => cloudWatchRegex(pattern.slice(1, -1)));
            assert.ok(!/[()%'"!&<>\s]/.test(pattern.slice(1, -1)), pattern);
        }
        assert.ok(2 <= MAX_REGEX_FILTER_PATTERNS_PER_LOG_GROUP);
        assert.throws(() => cloudWatchRegex("(password)"), /not a CloudWatch Logs filter regex as the User Guide documents it: "\(";/);
        assert.throws(() => cloudWatchRegex("100%"), /not a CloudWatch Logs filter regex/);
    });
});
