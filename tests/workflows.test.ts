// No runner can execute the GitHub workflows here, so this suite checks them statically: every
// workflow and local action against GitHub's schema (@action-validator/core), then the facts the
// CI path depends on, each as a function that returns the problems it finds. Every fact is also
// run on a mutated copy to show it reports the break it exists to catch.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { CORE_SCHEMA, dump, load } from "js-yaml";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS_DIR = ".github/workflows";
const ACTIONS_DIR = ".github/actions";

interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
    "working-directory"?: string;
}

interface Job {
    uses?: string;
    with?: Record<string, unknown>;
    needs?: string | string[];
    if?: string;
    environment?: string | { name: string; url?: string };
    permissions?: string | Record<string, string>;
    concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
    strategy?: { matrix?: Record<string, unknown> };
    env?: Record<string, unknown>;
    steps?: Step[];
}

interface Workflow {
    on: unknown;
    permissions?: string | Record<string, string>;
    jobs: Record<string, Job>;
}

interface Action {
    inputs?: Record<string, { default?: string }>;
    runs: { using: string; steps?: Step[] };
}

/** The repository's CI files, keyed by repository-relative path (actions by their directory). */
interface CiFiles {
    workflows: Record<string, Workflow>;
    actions: Record<string, Action>;
}

/** A job with its steps expanded through local composite actions, inputs substituted. */
interface JobView {
    workflow: string;
    id: string;
    job: Job;
    steps: Step[];
}

function readCiFiles(): { sources: Record<string, string>; files: CiFiles } {
    const sources: Record<string, string> = {};
    const files: CiFiles = { workflows: {}, actions: {} };
    for (const file of fs.readdirSync(path.join(ROOT, WORKFLOWS_DIR)).filter((f) => /\.ya?ml$/.test(f))) {
        const relative = `${WORKFLOWS_DIR}/${file}`;
        sources[relative] = fs.readFileSync(path.join(ROOT, relative), "utf8");
        files.workflows[relative] = load(sources[relative], { schema: CORE_SCHEMA }) as Workflow;
    }
    for (const dir of fs.readdirSync(path.join(ROOT, ACTIONS_DIR))) {
        const relative = `${ACTIONS_DIR}/${dir}`;
        sources[relative] = fs.readFileSync(path.join(ROOT, relative, "action.yml"), "utf8");
        files.actions[relative] = load(sources[relative], { schema: CORE_SCHEMA }) as Action;
    }
    return { sources, files };
}

// ---------------------------------------------------------------------------------------------
// Expansion: composite actions into steps, reusable workflows into jobs.

const EXPRESSION = /\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/g;

function substituteInputs<T>(value: T, inputs: Record<string, string>): T {
    if (typeof value === "string") {
        return value.replace(EXPRESSION, (whole, name: string) => inputs[name] ?? whole) as T;
    }
    if (Array.isArray(value)) {
        return value.map((item) => substituteInputs(item, inputs)) as T;
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteInputs(v, inputs)])) as T;
    }
    return value;
}

function localPath(uses: string): string {
    return uses.replace(/^\.\//, "").replace(/\/$/, "");
}

function expandSteps(files: CiFiles, steps: readonly Step[]): Step[] {
    return steps.flatMap((step) => {
        if (!step.uses?.startsWith("./")) {
            return [step];
        }
        const action = files.actions[localPath(step.uses)];
        assert.ok(action, `local action ${step.uses} not found`);
        const inputs: Record<string, string> = {};
        for (const [name, spec] of Object.entries(action.inputs ?? {})) {
            if (spec.default !== undefined) {
                inputs[name] = String(spec.default);
            }
        }
        for (const [name, value] of Object.entries(step.with ?? {})) {
            inputs[name] = String(value);
        }
        return expandSteps(files, substituteInputs(action.runs.steps ?? [], inputs));
    });
}

function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : ([] as string[]).concat(job.needs);
}

/** The jobs a workflow's job stands for: itself, or the called reusable workflow's jobs. */
function jobViews(files: CiFiles, workflow: string, id: string): JobView[] {
    const job = files.workflows[workflow].jobs[id];
    if (job.uses?.startsWith("./")) {
        const called = localPath(job.uses);
        assert.ok(files.workflows[called], `reusable workflow ${job.uses} not found`);
        return Object.keys(files.workflows[called].jobs).flatMap((calledId) => jobViews(files, called, calledId));
    }
    return [{ workflow, id, job, steps: expandSteps(files, job.steps ?? []) }];
}

/** Every job of the workflows that run on an event (reusable workflows appear through their callers). */
function triggeredJobs(files: CiFiles): JobView[] {
    return Object.entries(files.workflows)
        .filter(([, workflow]) => !isReusable(workflow))
        .flatMap(([name, workflow]) => Object.keys(workflow.jobs).flatMap((id) => jobViews(files, name, id)));
}

function isReusable(workflow: Workflow): boolean {
    return typeof workflow.on === "object" && workflow.on !== null && "workflow_call" in workflow.on;
}

/** The jobs that must finish before `id` starts, transitively, expanded. */
function upstreamJobs(files: CiFiles, workflow: string, id: string): JobView[] {
    const seen = new Set<string>();
    const pending = [...needsOf(files.workflows[workflow].jobs[id])];
    const views: JobView[] = [];
    while (pending.length > 0) {
        const need = pending.pop() as string;
        if (seen.has(need) || !files.workflows[workflow].jobs[need]) {
            continue;
        }
        seen.add(need);
        views.push(...jobViews(files, workflow, need));
        pending.push(...needsOf(files.workflows[workflow].jobs[need]));
    }
    return views;
}

// ---------------------------------------------------------------------------------------------
// Step classification.

const isPulumiAction = (step: Step) => step.uses?.startsWith("pulumi/actions@") === true;
const isAwsCredentials = (step: Step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@") === true;
const pulumiCommand = (step: Step) => (isPulumiAction(step) ? (step.with?.command as string | undefined) : undefined);
const isCloudStep = (step: Step) =>
    pulumiCommand(step) !== undefined || isAwsCredentials(step) || /\bpulumi\s+\w/.test(step.run ?? "");
const isOfflineGate = (step: Step) => /\bnpm run gate:offline\b/.test(step.run ?? "");

function permissionsOf(job: Job): Record<string, string> {
    return typeof job.permissions === "object" ? job.permissions : {};
}

function environmentName(job: Job): string | undefined {
    return typeof job.environment === "object" ? job.environment.name : job.environment;
}

function pulumiRuns(files: CiFiles, command: string): Array<{ view: JobView; step: Step }> {
    return triggeredJobs(files).flatMap((view) =>
        view.steps.filter((step) => pulumiCommand(step) === command).map((step) => ({ view, step })),
    );
}

const where = (view: JobView) => `${view.workflow} job ${view.id}`;

// ---------------------------------------------------------------------------------------------
// The facts. Each returns the problems it finds; [] means the fact holds.

function schemaProblems(sources: Record<string, string>): string[] {
    return Object.entries(sources).flatMap(([file, source]) => {
        const state = file.startsWith(WORKFLOWS_DIR) ? validateWorkflow(source) : validateAction(source);
        return state.errors.map((error) => `${file}: ${error.title}${"path" in error ? ` at ${error.path}` : ""}`);
    });
}

const FULL_SHA = /^[^@\s]+@[0-9a-f]{40}$/;
const FULL_VERSION_TAG = /^[^@\s]+@v\d+\.\d+\.\d+$/;

/** Every remote `uses:` names a commit SHA (with its tag in a comment) or at least a full version tag. */
function unpinnedActionProblems(sources: Record<string, string>): string[] {
    const problems: string[] = [];
    for (const [file, source] of Object.entries(sources)) {
        for (const match of source.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(\S+))?\s*$/gm)) {
            const [, target, comment] = match;
            if (target.startsWith("./")) {
                continue;
            }
            if (FULL_SHA.test(target)) {
                if (!/^v\d+\.\d+\.\d+$/.test(comment ?? "")) {
                    problems.push(`${file}: ${target} is pinned by SHA without its version tag in a comment`);
                }
            } else if (!FULL_VERSION_TAG.test(target)) {
                problems.push(`${file}: ${target} is not pinned to a commit SHA or a full version tag`);
            }
        }
    }
    return problems;
}

/** Every preview and up runs the local policy pack; pull request previews post their summary. */
function policyPackProblems(files: CiFiles): string[] {
    const runs = [...pulumiRuns(files, "preview"), ...pulumiRuns(files, "up")];
    const problems = runs
        .filter(({ step }) => step.with?.policyPacks !== "policy-pack")
        .map(({ view, step }) => `${where(view)}: pulumi ${pulumiCommand(step)} without policyPacks: policy-pack`);
    for (const { view, step } of pulumiRuns(files, "preview")) {
        if (String(step.with?.["comment-on-pr"]) !== "true") {
            problems.push(`${where(view)}: preview does not comment on the pull request`);
        }
    }
    if (pulumiRuns(files, "preview").length === 0) {
        problems.push("no workflow runs pulumi preview");
    }
    if (pulumiRuns(files, "up").length === 0) {
        problems.push("no workflow runs pulumi up");
    }
    return problems;
}

/**
 * `up` of the production stacks (adma:environment prod) runs only in a job bound to the
 * `production` environment, over their list; any other up job must take its stacks from the list
 * that excludes production.
 */
function productionGateProblems(files: CiFiles): string[] {
    const problems: string[] = [];
    let productionUps = 0;
    for (const { view, step } of pulumiRuns(files, "up")) {
        const stackName = String(step.with?.["stack-name"] ?? "");
        const matrix = JSON.stringify(view.job.strategy?.matrix ?? {});
        if (environmentName(view.job) === "production") {
            productionUps++;
            if (!(stackName.includes("matrix.stack") && matrix.includes("needs.verify.outputs.production-stacks"))) {
                problems.push(`${where(view)}: the production-gated up does not target the production stacks`);
            }
        } else if (!(stackName.includes("matrix.stack") && matrix.includes("outputs.non-production-stacks"))) {
            problems.push(`${where(view)}: pulumi up outside the production environment may reach production`);
        }
    }
    if (productionUps === 0) {
        problems.push("no pulumi up runs behind environment: production");
    }
    return problems;
}

/** Every up is serialized per stack: its concurrency group names the stack it deploys. */
function concurrencyProblems(files: CiFiles): string[] {
    return pulumiRuns(files, "up").flatMap(({ view, step }) => {
        const group = typeof view.job.concurrency === "object" ? view.job.concurrency.group : view.job.concurrency;
        const stackExpression = /\$\{\{[^}]*\}\}$/.exec(String(step.with?.["stack-name"]))?.[0];
        const cancels = typeof view.job.concurrency === "object" ? view.job.concurrency["cancel-in-progress"] : undefined;
        if (!group || !stackExpression || !group.includes(stackExpression)) {
            return [`${where(view)}: pulumi up without a per-stack concurrency group`];
        }
        return cancels === true ? [`${where(view)}: cancel-in-progress would interrupt a running up`] : [];
    });
}

const LONG_LIVED_KEY_INPUTS = ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"];
const LONG_LIVED_KEY_ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/** AWS access only through OIDC role assumption: id-token: write, role-to-assume, no stored keys. */
function oidcProblems(files: CiFiles): string[] {
    const problems: string[] = [];
    let credentialSteps = 0;
    for (const view of triggeredJobs(files)) {
        for (const step of view.steps.filter(isAwsCredentials)) {
            credentialSteps++;
            if (permissionsOf(view.job)["id-token"] !== "write") {
                problems.push(`${where(view)}: assumes an AWS role without permissions id-token: write`);
            }
            if (!step.with?.["role-to-assume"]) {
                problems.push(`${where(view)}: configure-aws-credentials without role-to-assume`);
            }
            for (const input of LONG_LIVED_KEY_INPUTS.filter((name) => step.with?.[name] !== undefined)) {
                problems.push(`${where(view)}: configure-aws-credentials is given ${input}`);
            }
        }
        for (const env of [view.job.env ?? {}, ...view.steps.map((step) => step.env ?? {})]) {
            for (const name of LONG_LIVED_KEY_ENV.filter((key) => env[key] !== undefined)) {
                problems.push(`${where(view)}: sets ${name}`);
            }
        }
    }
    if (credentialSteps === 0) {
        problems.push("no job assumes an AWS role");
    }
    return problems;
}

const SECRET_LOOKING_KEY = /token|secret|password|passphrase|access[-_]?key|private[-_]?key/i;
const ALLOWED_SECRET_SOURCE = /^\$\{\{\s*(secrets\.[A-Za-z0-9_]+|github\.token|inputs\.[A-Za-z0-9_-]+)\s*\}\}$/;
const CREDENTIAL_SHAPES: Array<[string, RegExp]> = [
    ["an AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
    ["a Pulumi access token", /\bpul-[0-9a-f]{40}\b/],
    ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
];

/** The maps whose entries hand values to steps and actions. */
const SETTING_MAPS = new Set(["env", "with", "secrets"]);

/**
 * A secret-named setting (env, action input, secret passed to a reusable workflow) only ever
 * takes its value from `secrets.*`; no value anywhere has the shape of a credential.
 */
function literalSecretProblems(files: CiFiles): string[] {
    const problems: string[] = [];
    const visit = (value: unknown, at: string, parentKey: string): void => {
        if (typeof value === "string") {
            for (const [kind, shape] of CREDENTIAL_SHAPES.filter(([, shape]) => shape.test(value))) {
                problems.push(`${at}: contains what looks like ${kind} (${shape})`);
            }
        } else if (typeof value === "object" && value !== null) {
            for (const [key, child] of Object.entries(value)) {
                const childAt = `${at}.${key}`;
                const isSetting = SETTING_MAPS.has(parentKey) && (typeof child === "string" || typeof child === "number");
                if (isSetting && SECRET_LOOKING_KEY.test(key) && !ALLOWED_SECRET_SOURCE.test(String(child).trim())) {
                    problems.push(`${childAt}: a secret-looking setting must come from \${{ secrets.* }}`);
                }
                visit(child, childAt, key);
            }
        }
    };
    for (const [file, document] of Object.entries({ ...files.workflows, ...files.actions })) {
        visit(document, file, "");
    }
    return problems;
}

/**
 * The offline policy gate runs before anything talks to a cloud: every job with a cloud step
 * depends (transitively) on a job that runs the gate, or runs it itself earlier.
 */
function gateOrderProblems(files: CiFiles): string[] {
    const problems: string[] = [];
    for (const [workflow, document] of Object.entries(files.workflows).filter(([, w]) => !isReusable(w))) {
        for (const id of Object.keys(document.jobs)) {
            for (const view of jobViews(files, workflow, id)) {
                const firstCloud = view.steps.findIndex(isCloudStep);
                if (firstCloud < 0) {
                    continue;
                }
                const gateEarlierInJob = view.steps.slice(0, firstCloud).some(isOfflineGate);
                const gateUpstream = upstreamJobs(files, workflow, id).some((up) => up.steps.some(isOfflineGate));
                if (!gateEarlierInJob && !gateUpstream) {
                    problems.push(`${where(view)}: reaches the cloud before the offline policy gate has run`);
                }
            }
        }
    }
    return problems;
}

const ALLOWED_PERMISSIONS: Record<string, string[]> = {
    "contents": ["read"],
    "id-token": ["write"],
    "pull-requests": ["write"],
};

/** Workflows grant nothing by default; jobs grant only what they use. */
function permissionProblems(files: CiFiles): string[] {
    const problems: string[] = [];
    for (const [file, workflow] of Object.entries(files.workflows)) {
        const top = workflow.permissions;
        if (top === undefined || (typeof top === "object" && Object.keys(top).length > 0) || typeof top === "string") {
            problems.push(`${file}: top-level permissions must be {} (each job asks for its own)`);
        }
        for (const [id, job] of Object.entries(workflow.jobs)) {
            if (job.permissions === undefined || typeof job.permissions === "string") {
                problems.push(`${file} job ${id}: permissions must be an explicit map`);
                continue;
            }
            for (const [scope, level] of Object.entries(job.permissions)) {
                if (level !== "none" && !(ALLOWED_PERMISSIONS[scope] ?? []).includes(level)) {
                    problems.push(`${file} job ${id}: grants ${scope}: ${level}`);
                }
            }
        }
    }
    for (const view of triggeredJobs(files)) {
        const commentsOnPr = view.steps.some((step) => String(step.with?.["comment-on-pr"]) === "true");
        if (permissionsOf(view.job)["pull-requests"] === "write" && !commentsOnPr) {
            problems.push(`${where(view)}: pull-requests: write without a pull request comment`);
        }
        const assumesRole = view.steps.some(isAwsCredentials);
        if (permissionsOf(view.job)["id-token"] === "write" && !assumesRole) {
            problems.push(`${where(view)}: id-token: write without an OIDC role assumption`);
        }
    }
    return problems;
}

/**
 * One stack list: every matrix over stacks comes from the verify job's outputs, which the
 * `stacks` tool derives from the Pulumi.<stack>.yaml files.
 */
function stackListProblems(files: CiFiles): string[] {
    const problems: string[] = [];
    for (const view of triggeredJobs(files)) {
        const stacks = view.job.strategy?.matrix?.stack;
        if (stacks !== undefined && !/^\$\{\{\s*fromJSON\(needs\.verify\.outputs\.[a-z-]+\)\s*\}\}$/.test(String(stacks))) {
            problems.push(`${where(view)}: matrix.stack is not the verify job's stack list`);
        }
    }
    const listsStacks = Object.values(files.workflows).some((workflow) =>
        Object.values(workflow.jobs).some((job) =>
            (job.steps ?? []).some((step) => /\bnpm run --silent stacks -- --github-output >> "\$GITHUB_OUTPUT"/.test(step.run ?? "")),
        ),
    );
    if (!listsStacks) {
        problems.push("no job publishes the stack list from `npm run stacks`");
    }
    return problems;
}

/** A `policy-v*` tag publishes the pack from policy-pack/, after checking the tag is the pack's version. */
function publishProblems(files: CiFiles): string[] {
    const publishJobs = triggeredJobs(files).filter((view) =>
        view.steps.some((step) => /\bpulumi policy publish\b/.test(step.run ?? "")),
    );
    if (publishJobs.length === 0) {
        return ["no job runs pulumi policy publish"];
    }
    return publishJobs.flatMap((view) => {
        const problems: string[] = [];
        const on = files.workflows[view.workflow].on as { push?: { tags?: string[] } };
        if (JSON.stringify(on?.push?.tags) !== JSON.stringify(["policy-v*"])) {
            problems.push(`${where(view)}: publishing is not triggered by policy-v* tags only`);
        }
        const publishIndex = view.steps.findIndex((step) => /\bpulumi policy publish\b/.test(step.run ?? ""));
        if (view.steps[publishIndex]["working-directory"] !== "policy-pack") {
            problems.push(`${where(view)}: pulumi policy publish does not run in policy-pack/`);
        }
        const versionCheck = view.steps
            .slice(0, publishIndex)
            .some((step) => /policy-pack\/package\.json/.test(step.run ?? "") && /exit 1/.test(step.run ?? ""));
        if (!versionCheck) {
            problems.push(`${where(view)}: no check that the tag matches policy-pack/package.json's version`);
        }
        return problems;
    });
}

// ---------------------------------------------------------------------------------------------

describe("GitHub workflows", () => {
    const { sources, files } = readCiFiles();
    const mutate = (change: (copy: CiFiles) => void): CiFiles => {
        const copy = structuredClone(files);
        change(copy);
        return copy;
    };
    const workflow = (copy: CiFiles, name: string) => copy.workflows[`${WORKFLOWS_DIR}/${name}`];
    const pulumiStackStep = (copy: CiFiles) =>
        (copy.actions[`${ACTIONS_DIR}/pulumi-stack`].runs.steps ?? []).find(isPulumiAction) as Step;
    const credentialsStep = (copy: CiFiles) =>
        (copy.actions[`${ACTIONS_DIR}/pulumi-stack`].runs.steps ?? []).find(isAwsCredentials) as Step;

    it("has the pull request, deploy, verify and policy publishing workflows", () => {
        assert.deepEqual(Object.keys(files.workflows).sort(), [
            `${WORKFLOWS_DIR}/deploy.yml`,
            `${WORKFLOWS_DIR}/policy-publish.yml`,
            `${WORKFLOWS_DIR}/pull-request.yml`,
            `${WORKFLOWS_DIR}/verify.yml`,
        ]);
    });

    it("validates every workflow and local action against the GitHub schema", () => {
        assert.deepEqual(schemaProblems(sources), []);
        // Re-serialized unchanged, the files still validate: the breaks below are the mutations'.
        const reserialized = Object.fromEntries([
            ...Object.entries(files.workflows).map(([file, parsed]) => [file, dump(parsed)]),
            ...Object.entries(files.actions).map(([file, parsed]) => [file, dump(parsed)]),
        ]);
        assert.deepEqual(schemaProblems(reserialized), []);
        const broken = { ...sources };
        broken[`${WORKFLOWS_DIR}/deploy.yml`] = dump(
            mutate((copy) => {
                const job = workflow(copy, "deploy.yml").jobs["up-production"] as Job & { "runs-onn"?: string };
                job["runs-onn"] = "ubuntu-latest";
            }).workflows[`${WORKFLOWS_DIR}/deploy.yml`],
        );
        broken[`${ACTIONS_DIR}/pulumi-stack`] = dump({ ...files.actions[`${ACTIONS_DIR}/pulumi-stack`], runs: {} });
        const problems = schemaProblems(broken);
        assert.ok(problems.some((p) => p.startsWith(`${WORKFLOWS_DIR}/deploy.yml`)), problems.join("\n"));
        assert.ok(problems.some((p) => p.startsWith(`${ACTIONS_DIR}/pulumi-stack`)), problems.join("\n"));
    });

    it("pins every action to a commit SHA with its version tag, or a full version tag", () => {
        assert.deepEqual(unpinnedActionProblems(sources), []);
        const file = `${WORKFLOWS_DIR}/pull-request.yml`;
        const floating = sources[file].replace(/actions\/checkout@[0-9a-f]{40} # v\d+\.\d+\.\d+/, "actions/checkout@v4");
        const uncommented = sources[file].replace(/(actions\/checkout@[0-9a-f]{40}) # v\d+\.\d+\.\d+/, "$1");
        assert.notEqual(floating, sources[file]);
        assert.match(unpinnedActionProblems({ [file]: floating }).join(), /actions\/checkout@v4 is not pinned/);
        assert.match(unpinnedActionProblems({ [file]: uncommented }).join(), /without its version tag/);
    });

    it("passes the policy pack to every preview and up, and posts previews on the pull request", () => {
        assert.deepEqual(policyPackProblems(files), []);
        const withoutPack = mutate((copy) => delete pulumiStackStep(copy).with?.policyPacks);
        assert.match(policyPackProblems(withoutPack).join("\n"), /pull-request\.yml job preview: pulumi preview without policyPacks/);
        const otherPack = mutate((copy) => ((pulumiStackStep(copy).with as Record<string, unknown>).policyPacks = "other"));
        assert.match(policyPackProblems(otherPack).join("\n"), /deploy\.yml job up-production: pulumi up without policyPacks/);
        const noComment = mutate((copy) => delete workflow(copy, "pull-request.yml").jobs.preview.steps?.[1].with?.["comment-on-pr"]);
        assert.match(policyPackProblems(noComment).join("\n"), /preview does not comment on the pull request/);
    });

    it("gates production's up behind the production environment", () => {
        assert.deepEqual(productionGateProblems(files), []);
        const ungated = mutate((copy) => delete workflow(copy, "deploy.yml").jobs["up-production"].environment);
        assert.match(productionGateProblems(ungated).join("\n"), /up-production: pulumi up outside the production environment/);
        const prodInMatrix = mutate((copy) => {
            const matrix = workflow(copy, "deploy.yml").jobs["up-non-production"].strategy?.matrix as Record<string, unknown>;
            matrix.stack = "${{ fromJSON(needs.verify.outputs.stacks) }}";
        });
        assert.match(productionGateProblems(prodInMatrix).join("\n"), /up-non-production: pulumi up outside the production environment/);
        const byName = mutate((copy) => {
            const matrix = workflow(copy, "deploy.yml").jobs["up-production"].strategy?.matrix as Record<string, unknown>;
            matrix.stack = '${{ fromJSON(\'["prod"]\') }}';
        });
        assert.match(productionGateProblems(byName).join("\n"), /up-production: the production-gated up does not target the production stacks/);
    });

    it("serializes each stack's up with a concurrency group that names the stack", () => {
        assert.deepEqual(concurrencyProblems(files), []);
        const shared = mutate((copy) => (workflow(copy, "deploy.yml").jobs["up-non-production"].concurrency = "pulumi-up"));
        assert.match(concurrencyProblems(shared).join("\n"), /up-non-production: pulumi up without a per-stack concurrency group/);
        const cancelling = mutate((copy) => {
            workflow(copy, "deploy.yml").jobs["up-production"].concurrency = {
                group: "pulumi-up-${{ matrix.stack }}",
                "cancel-in-progress": true,
            };
        });
        assert.match(concurrencyProblems(cancelling).join("\n"), /cancel-in-progress would interrupt/);
    });

    it("reaches AWS only through OIDC role assumption, never stored keys", () => {
        assert.deepEqual(oidcProblems(files), []);
        const noIdToken = mutate((copy) => delete permissionsOf(workflow(copy, "pull-request.yml").jobs.preview)["id-token"]);
        assert.match(oidcProblems(noIdToken).join("\n"), /job preview: assumes an AWS role without permissions id-token: write/);
        const staticKeys = mutate((copy) => {
            const step = credentialsStep(copy);
            delete step.with?.["role-to-assume"];
            Object.assign(step.with as object, {
                "aws-access-key-id": "${{ secrets.AWS_ACCESS_KEY_ID }}",
                "aws-secret-access-key": "${{ secrets.AWS_SECRET_ACCESS_KEY }}",
            });
        });
        const problems = oidcProblems(staticKeys).join("\n");
        assert.match(problems, /without role-to-assume/);
        assert.match(problems, /is given aws-access-key-id/);
        assert.match(problems, /is given aws-secret-access-key/);
        const keyInEnv = mutate((copy) => {
            (workflow(copy, "deploy.yml").jobs["up-production"].env as Record<string, unknown>).AWS_SECRET_ACCESS_KEY =
                "${{ secrets.AWS_SECRET_ACCESS_KEY }}";
        });
        assert.match(oidcProblems(keyInEnv).join("\n"), /up-production: sets AWS_SECRET_ACCESS_KEY/);
    });

    it("contains no literal secret value", () => {
        assert.deepEqual(literalSecretProblems(files), []);
        const literalToken = mutate((copy) => {
            (workflow(copy, "deploy.yml").jobs["up-production"].env as Record<string, unknown>).PULUMI_ACCESS_TOKEN =
                "not-from-secrets";
        });
        assert.match(literalSecretProblems(literalToken).join("\n"), /PULUMI_ACCESS_TOKEN: a secret-looking setting/);
        const embeddedKey = mutate((copy) => {
            const step = workflow(copy, "policy-publish.yml").jobs.publish.steps?.at(-1) as Step;
            step.run = `AWS=${"AKIA"}${"IOSFODNN7EXAMPLE"} pulumi policy publish`;
        });
        assert.match(literalSecretProblems(embeddedKey).join("\n"), /looks like an AWS access key id/);
    });

    it("runs the offline policy gate before any cloud step", () => {
        assert.deepEqual(gateOrderProblems(files), []);
        const noNeeds = mutate((copy) => delete workflow(copy, "pull-request.yml").jobs.preview.needs);
        assert.match(gateOrderProblems(noNeeds).join("\n"), /pull-request\.yml job preview: reaches the cloud before the offline policy gate/);
        const noGate = mutate((copy) => {
            const verify = workflow(copy, "verify.yml").jobs.verify;
            verify.steps = verify.steps?.filter((step) => !isOfflineGate(step));
        });
        const problems = gateOrderProblems(noGate).join("\n");
        for (const job of ["preview", "up-non-production", "up-production", "publish"]) {
            assert.match(problems, new RegExp(`job ${job}: reaches the cloud before the offline policy gate`));
        }
    });

    it("grants each job only the permissions it uses", () => {
        assert.deepEqual(permissionProblems(files), []);
        const writeAll = mutate((copy) => (workflow(copy, "deploy.yml").permissions = "write-all"));
        assert.match(permissionProblems(writeAll).join("\n"), /deploy\.yml: top-level permissions must be \{\}/);
        const contentsWrite = mutate((copy) => (permissionsOf(workflow(copy, "deploy.yml").jobs["up-production"]).contents = "write"));
        assert.match(permissionProblems(contentsWrite).join("\n"), /up-production: grants contents: write/);
        const needlessToken = mutate((copy) => (permissionsOf(workflow(copy, "policy-publish.yml").jobs.publish)["id-token"] = "write"));
        assert.match(permissionProblems(needlessToken).join("\n"), /publish: id-token: write without an OIDC role assumption/);
    });

    it("takes every stack matrix from the one stack list", () => {
        assert.deepEqual(stackListProblems(files), []);
        const hardCoded = mutate((copy) => {
            (workflow(copy, "pull-request.yml").jobs.preview.strategy?.matrix as Record<string, unknown>).stack = ["prod", "staging"];
        });
        assert.match(stackListProblems(hardCoded).join("\n"), /job preview: matrix.stack is not the verify job's stack list/);
    });

    it("publishes the policy pack on policy-v* tags after checking the tag against the pack's version", () => {
        assert.deepEqual(publishProblems(files), []);
        const noCheck = mutate((copy) => {
            const publish = workflow(copy, "policy-publish.yml").jobs.publish;
            publish.steps = publish.steps?.filter((step) => !/package\.json/.test(step.run ?? ""));
        });
        assert.match(publishProblems(noCheck).join("\n"), /no check that the tag matches/);
        const anyTag = mutate((copy) => (workflow(copy, "policy-publish.yml").on = { push: { tags: ["*"] } }));
        assert.match(publishProblems(anyTag).join("\n"), /not triggered by policy-v\* tags only/);
    });
});
