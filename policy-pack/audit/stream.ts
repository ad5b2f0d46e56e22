/**
 * The audit of a document read as a stream of chunks: each resource of a stack export's
 * `deployment.resources` (or each step of a `pulumi preview --json` document) is parsed on its
 * own, audited and dropped, so the whole document is never held at once: memory stays near the
 * size of one chunk plus what the stack policies keep (see AuditRun).
 *
 * The result is the one `runPolicies(resourcesFromDocument(JSON.parse(text)))` gives, errors
 * included and in the same precedence: invalid JSON anywhere, then the document's shape (neither
 * format, the export's version, a resource list that is not a list, the first resource entry
 * that cannot be read), then the policy config, then the first policy that fails. Every character of the
 * input is checked: the elements and the values the audit does not descend into are parsed with
 * JSON.parse, the punctuation around them here.
 */
import { closeSync, openSync, readSync } from "fs";
import { StringDecoder } from "string_decoder";
import { AuditResource, AuditRun, Violation, exportedResource, previewStepResource, resourcesFromDocument } from "./engine";

/** The input is not one valid JSON document; the message says where. */
export class InvalidJsonError extends Error { }

export interface StreamedAudit {
    readonly violations: Violation[];
    readonly resourceCount: number;
}

/**
 * Audits the document `chunks` hold (UTF-8 bytes or text, in order). `startRun` creates the run
 * (it resolves the policy config, so it may throw): when the first resource of an export arrives,
 * or at the end (a preview's resources, an export without any).
 */
export async function auditDocumentStream(
    chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, startRun: () => AuditRun,
): Promise<StreamedAudit> {
    const tokenizer = new DocumentTokenizer();
    const document = new StreamedDocument(startRun);
    const decoder = new StringDecoder("utf8");
    for await (const chunk of chunks) {
        tokenizer.push(typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer));
        await drain(tokenizer, document);
    }
    tokenizer.push(decoder.end(), true);
    await drain(tokenizer, document);
    return document.finish();
}

/**
 * Large enough that a read costs little per byte; small enough that a chunk's text is an
 * ordinary young-generation string, not a large object that lingers until a full GC.
 */
const CHUNK_BYTES = 64 * 1024;

/** A file's bytes, chunk by chunk, in one reused buffer: each chunk must be used before the next is read. */
export function* fileChunks(file: string): Generator<Buffer> {
    const fd = openSync(file, "r");
    try {
        const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
        for (let length = readSync(fd, buffer); length > 0; length = readSync(fd, buffer)) {
            yield buffer.subarray(0, length);
        }
    } finally {
        closeSync(fd);
    }
}

async function drain(tokenizer: DocumentTokenizer, document: StreamedDocument): Promise<void> {
    for (let event = tokenizer.next(); event !== undefined; event = tokenizer.next()) {
        const pending = document.accept(event);
        if (pending !== undefined) {
            await pending;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The document's meaning

/**
 * The containers the audit descends into; every other value is parsed whole. `root` is the
 * document object, `deployment` the export's, `resources` and `steps` the lists whose elements
 * are audited one by one.
 */
type Container = "root" | "deployment" | "resources" | "steps";

type DocumentEvent =
    /** A container of the list above opens at `key` of its parent (undefined for the root). */
    | { readonly kind: "open"; readonly container: Container; readonly key?: string }
    /** A complete value inside `parent`: at `key` of an object, at `index` of a list. */
    | { readonly kind: "value"; readonly parent: Container | undefined; readonly key?: string; readonly index: number; readonly value: unknown };

class StreamedDocument {
    private rootValue: unknown;
    private rootIsObject = false;
    private sawVersion = false;
    private version: unknown;
    private sawDeployment = false;
    /** The deployment when it is not an object (then its resources are not a list). */
    private deploymentValue: unknown;
    private deploymentIsObject = false;
    /** `deployment.resources` when present and not a list (null reads as no resources). */
    private resourcesValue: unknown;

    // The export's resources, audited as they arrive.
    private run: AuditRun | undefined;
    private runError: Error | undefined;
    private conversionError: Error | undefined;
    private policyError: Error | undefined;

    // A preview's steps: the last new state per URN is audited, so they are collected first.
    private stepsIsList = false;
    private steps = new Map<string, AuditResource>();
    private stepError: Error | undefined;

    constructor(private readonly startRun: () => AuditRun) { }

    accept(event: DocumentEvent): Promise<void> | undefined {
        if (event.kind === "open") {
            this.open(event.container);
            return undefined;
        }
        switch (event.parent) {
            case undefined:
                this.rootValue = event.value;
                return undefined;
            case "root":
                // A repeated key replaces the earlier value, as JSON.parse does.
                if (event.key === "version") {
                    this.sawVersion = true;
                    this.version = event.value;
                } else if (event.key === "deployment") {
                    this.sawDeployment = true;
                    this.deploymentIsObject = false;
                    this.deploymentValue = event.value;
                    this.restartExport();
                } else if (event.key === "steps") {
                    this.stepsIsList = false;
                    this.steps = new Map();
                }
                return undefined;
            case "deployment":
                if (event.key === "resources") {
                    this.resourcesValue = event.value;
                    this.restartExport();
                }
                return undefined;
            case "resources":
                return this.addExported(event.value, event.index);
            case "steps":
                this.addStep(event.value, event.index);
                return undefined;
        }
    }

    private open(container: Container): void {
        switch (container) {
            case "root":
                this.rootIsObject = true;
                break;
            case "deployment":
                this.sawDeployment = true;
                this.deploymentIsObject = true;
                this.resourcesValue = undefined;
                this.restartExport();
                break;
            case "resources":
                this.resourcesValue = undefined;
                this.restartExport();
                break;
            case "steps":
                this.stepsIsList = true;
                this.steps = new Map();
                this.stepError = undefined;
                break;
        }
    }

    /** A new resource list replaces the one audited so far. */
    private restartExport(): void {
        this.run = undefined;
        this.runError = undefined;
        this.conversionError = undefined;
        this.policyError = undefined;
    }

    private addExported(state: unknown, index: number): Promise<void> | undefined {
        // After the first unusable resource nothing else is reported; after a policy failure the
        // remaining resources are still read, since an unusable one would be reported first.
        if (this.conversionError !== undefined) {
            return undefined;
        }
        let resource: AuditResource;
        try {
            resource = exportedResource(state, index);
        } catch (error) {
            this.conversionError = error as Error;
            return undefined;
        }
        const run = this.currentRun();
        if (run === undefined || this.policyError !== undefined) {
            return undefined;
        }
        try {
            const pending = run.add(resource);
            return pending?.catch((error: Error) => {
                this.policyError = error;
            });
        } catch (error) {
            this.policyError = error as Error;
            return undefined;
        }
    }

    private currentRun(): AuditRun | undefined {
        if (this.run === undefined && this.runError === undefined) {
            try {
                this.run = this.startRun();
            } catch (error) {
                this.runError = error as Error;
            }
        }
        return this.run;
    }

    private addStep(step: unknown, index: number): void {
        if (this.stepError !== undefined) {
            return;
        }
        try {
            const resource = previewStepResource(step, index);
            if (resource !== undefined) {
                this.steps.set(resource.urn, resource);
            }
        } catch (error) {
            this.stepError = error as Error;
        }
    }

    async finish(): Promise<StreamedAudit> {
        if (!this.rootIsObject) {
            resourcesFromDocument(this.rootValue);   // throws: neither format
        }
        if (this.stepsIsList) {
            if (this.stepError !== undefined) {
                throw this.stepError;
            }
            const run = this.startRun();
            for (const resource of this.steps.values()) {
                const pending = run.add(resource);
                if (pending !== undefined) {
                    await pending;
                }
            }
            return { violations: await run.finish(), resourceCount: run.resourceCount };
        }
        // The export's header, checked by the same code as a whole document's; throws what that would.
        const header: Record<string, unknown> = {};
        if (this.sawVersion) {
            header.version = this.version;
        }
        if (this.sawDeployment) {
            header.deployment = this.deploymentIsObject ? { resources: this.resourcesValue } : this.deploymentValue;
        }
        resourcesFromDocument(header);
        const firstError = this.conversionError ?? this.runError ?? this.policyError;
        if (firstError !== undefined) {
            throw firstError;
        }
        const run = this.run ?? this.startRun();
        return { violations: await run.finish(), resourceCount: run.resourceCount };
    }
}

// ---------------------------------------------------------------------------------------------
// Tokenizing

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(code: number): boolean {
    return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Where a container's parser stands: what it expects next. */
interface Frame {
    readonly container: Container;
    readonly isObject: boolean;
    state: "first" | "key" | "colon" | "value" | "after";
    key?: string;
    index: number;
}

/** The container a value opens when the audit descends into it, by its parent, key and first character. */
function descendsInto(parent: Frame | undefined, code: number): Container | undefined {
    if (parent === undefined) {
        return code === OPEN_BRACE ? "root" : undefined;
    }
    if (parent.container === "root") {
        return parent.key === "deployment" && code === OPEN_BRACE ? "deployment"
            : parent.key === "steps" && code === OPEN_BRACKET ? "steps" : undefined;
    }
    return parent.container === "deployment" && parent.key === "resources" && code === OPEN_BRACKET ? "resources" : undefined;
}

function pathOf(frame: Frame | undefined): string {
    if (frame === undefined) {
        return "the document";
    }
    const parent = frame.container === "root" ? "" : frame.container === "resources" ? "deployment.resources" : frame.container;
    return frame.isObject ? (parent === "" ? frame.key ?? "" : `${parent}.${frame.key}`) : `${parent}[${frame.index}]`;
}

/**
 * Turns text, pushed in pieces, into DocumentEvents. Keeps only the text from the start of the
 * value or token it has not finished, so a value split between pieces is scanned on from where it
 * stopped when the next piece arrives.
 */
class DocumentTokenizer {
    private text = "";
    /** Offset of `text` in the whole input, for messages. */
    private base = 0;
    private pos = 0;
    private ended = false;
    private readonly frames: Frame[] = [];
    private rootDone = false;
    // The value being scanned, when one is: where it starts, how far the scan got, its nesting there.
    private valueStart = -1;
    private scanPos = 0;
    private depth = 0;
    /** Text pushed while a long value waits for enough of it (see push). */
    private waiting: string[] = [];
    private waitingLength = 0;

    push(text: string, ended = false): void {
        // A value longer than a chunk is joined to more text only once the new text is as long as
        // what it already holds: joining at every chunk would copy a large value once per chunk.
        if (this.valueStart >= 0 && !ended && this.waitingLength + text.length < this.text.length - this.valueStart) {
            this.waiting.push(text);
            this.waitingLength += text.length;
            return;
        }
        if (this.waiting.length > 0) {
            this.waiting.push(text);
            text = this.waiting.join("");
            this.waiting = [];
            this.waitingLength = 0;
        }
        const keep = this.valueStart >= 0 ? this.valueStart : this.pos;
        this.text = keep === this.text.length ? text : this.text.slice(keep) + text;
        this.base += keep;
        this.pos -= keep;
        if (this.valueStart >= 0) {
            this.valueStart -= keep;
            this.scanPos -= keep;
        }
        this.ended = ended;
    }

    /** The next event, or undefined when more text is needed (or the input is done). */
    next(): DocumentEvent | undefined {
        for (;;) {
            if (this.valueStart >= 0) {
                return this.finishValue();
            }
            const text = this.text;
            let pos = this.pos;
            while (pos < text.length && isWhitespace(text.charCodeAt(pos))) {
                pos++;
            }
            this.pos = pos;
            if (pos >= text.length) {
                if (this.ended && (this.frames.length > 0 || !this.rootDone)) {
                    if (this.frames.length === 0) {
                        throw new InvalidJsonError("the input is empty");
                    }
                    throw this.truncated(pathOf(this.frames[this.frames.length - 2]));
                }
                return undefined;
            }
            const code = text.charCodeAt(pos);
            const frame = this.frames[this.frames.length - 1];
            if (frame === undefined) {
                if (this.rootDone) {
                    throw this.error(`unexpected ${JSON.stringify(text[pos])} after the end of the document`);
                }
                const event = this.startValue(undefined, code);
                if (event !== undefined) {
                    return event;
                }
                continue;
            }
            switch (frame.state) {
                case "first":
                case "key":
                    if (frame.state === "first" && code === (frame.isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
                        this.close();
                        continue;
                    }
                    if (!frame.isObject) {
                        const event = this.startValue(frame, code);
                        if (event !== undefined) {
                            return event;
                        }
                        continue;
                    }
                    if (code !== QUOTE) {
                        throw this.error(`expected a property name in ${pathOf(this.frames[this.frames.length - 2])}, found ${JSON.stringify(text[pos])}`);
                    } else {
                        const end = stringEnd(text, pos);
                        if (end < 0) {
                            return this.needMore(pathOf(this.frames[this.frames.length - 2]));
                        }
                        frame.key = this.parse(`a property name in ${pathOf(this.frames[this.frames.length - 2])}`, pos, end) as string;
                        frame.state = "colon";
                        this.pos = end;
                    }
                    continue;
                case "colon":
                    if (code !== COLON) {
                        throw this.error(`expected ":" after ${JSON.stringify(pathOf(frame))}, found ${JSON.stringify(text[pos])}`);
                    }
                    frame.state = "value";
                    this.pos = pos + 1;
                    continue;
                case "value": {
                    const event = this.startValue(frame, code);
                    if (event !== undefined) {
                        return event;
                    }
                    continue;
                }
                case "after":
                    if (code === COMMA) {
                        frame.state = frame.isObject ? "key" : "value";
                        if (!frame.isObject) {
                            frame.index++;
                        }
                        this.pos = pos + 1;
                    } else if (code === (frame.isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
                        this.close();
                    } else {
                        throw this.error(`expected "," or "${frame.isObject ? "}" : "]"}" after ${pathOf(frame)}, found ${JSON.stringify(text[pos])}`);
                    }
                    continue;
            }
        }
    }

    /** A value starts at this.pos: descend into it (an open event), or start scanning it whole. */
    private startValue(parent: Frame | undefined, code: number): DocumentEvent | undefined {
        if (code === CLOSE_BRACE || code === CLOSE_BRACKET || code === COMMA || code === COLON) {
            throw this.error(`expected a value at ${pathOf(parent)}, found ${JSON.stringify(this.text[this.pos])}`);
        }
        const container = descendsInto(parent, code);
        if (container === undefined) {
            this.valueStart = this.pos;
            this.scanPos = this.pos;
            this.depth = 0;
            return undefined;
        }
        const key = parent?.isObject ? parent.key : undefined;
        this.frames.push({ container, isObject: code === OPEN_BRACE, state: "first", index: 0 });
        this.pos++;
        return key === undefined ? { kind: "open", container } : { kind: "open", container, key };
    }

    private close(): void {
        this.frames.pop();
        this.pos++;
        this.valueDone();
    }

    /** The value in the current frame (or the root) is complete. */
    private valueDone(): void {
        const frame = this.frames[this.frames.length - 1];
        if (frame === undefined) {
            this.rootDone = true;
        } else {
            frame.state = "after";
        }
    }

    /** Scans on through the value being read; its event once it is complete. */
    private finishValue(): DocumentEvent | undefined {
        const end = this.valueEnd();
        if (end < 0) {
            return this.needMore(pathOf(this.frames[this.frames.length - 1]));
        }
        const start = this.valueStart;
        const frame = this.frames[this.frames.length - 1];
        const value = this.parse(pathOf(frame), start, end);
        this.valueStart = -1;
        this.pos = end;
        const event: DocumentEvent = frame === undefined
            ? { kind: "value", parent: undefined, index: 0, value }
            : { kind: "value", parent: frame.container, ...(frame.isObject && { key: frame.key }), index: frame.index, value };
        this.valueDone();
        return event;
    }

    /** JSON.parse of the text from `start` to `end`; an InvalidJsonError naming `what` and where when it is not JSON. */
    private parse(what: string, start: number, end: number): unknown {
        try {
            return JSON.parse(this.text.slice(start, end));
        } catch (error) {
            throw new InvalidJsonError(`${what} (characters ${this.base + start} to ${this.base + end}): ${(error as Error).message}`);
        }
    }

    /** Where the value being scanned ends (exclusive), or -1 when the text so far ends inside it. */
    private valueEnd(): number {
        const text = this.text;
        const length = text.length;
        let i = this.scanPos;
        const first = text.charCodeAt(this.valueStart);
        if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
            if (first === QUOTE) {
                return stringEnd(text, this.valueStart);
            }
            // A number, true, false or null: up to the next delimiter (JSON.parse judges it).
            while (i < length) {
                const code = text.charCodeAt(i);
                if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isWhitespace(code)) {
                    return i;
                }
                i++;
            }
            return this.ended ? length : -1;
        }
        // Nesting only: JSON.parse of the value checks that it is well formed.
        let depth = this.depth;
        while (i < length) {
            const code = text.charCodeAt(i);
            if (code === QUOTE) {
                const end = stringEnd(text, i);
                if (end < 0) {
                    break;
                }
                i = end;
                continue;
            }
            if (code === OPEN_BRACE || code === OPEN_BRACKET) {
                depth++;
            } else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --depth === 0) {
                return i + 1;
            }
            i++;
        }
        this.scanPos = i;
        this.depth = depth;
        return -1;
    }

    /** Waits for more text; at the end of the input, the input is truncated inside `where`. */
    private needMore(where: string): undefined {
        if (this.ended) {
            throw this.truncated(where);
        }
        return undefined;
    }

    private truncated(where: string): InvalidJsonError {
        return new InvalidJsonError(`the input is truncated: it ends after ${this.base + this.text.length} characters, inside ${where}`);
    }

    private error(message: string): InvalidJsonError {
        return new InvalidJsonError(`${message} (at character ${this.base + this.pos})`);
    }
}

/** The end (exclusive) of the string whose opening quote is at `start`, or -1 when the text ends first. */
function stringEnd(text: string, start: number): number {
    let quote = start;
    for (;;) {
        quote = text.indexOf('"', quote + 1);
        if (quote < 0) {
            return -1;
        }
        let backslashes = 0;
        while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) {
            backslashes++;
        }
        if (backslashes % 2 === 0) {
            return quote + 1;
        }
    }
}
