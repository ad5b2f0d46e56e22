/**
 * The Terraform fixture's generated artefacts: which files `npm run fixtures:terraform` writes
 * under `tests/fixtures/terraform/generated/`, what each one is, and the variables each plan was
 * made with. One list, read by the generator (what to produce) and by the tests (what to expect).
 * Pure data: no Terraform, no moto.
 */
import * as path from "path";

export const FIXTURE_DIR = path.resolve(__dirname, "..", "..", "tests", "fixtures", "terraform");
export const GENERATED_DIR = path.join(FIXTURE_DIR, "generated");
export const MANIFEST_FILE = "manifest.json";

/**
 * Every value the fixture marks sensitive is one of these: obviously fake, never a credential.
 * The JWT value stands in for the design document's `random_password` (64 characters, within
 * its `override_special` set).
 */
export const FAKE_SECRET_VALUES = {
    jwt_secret_value: "FAKE-TEST-JWT-SECRET-not-a-real-signing-key-00000000000000000000",
    db_password: "FAKE-TEST-db-password-not-real",
} as const;

/** Marker every fake value carries, so a scan can tell them from anything else. */
export const FAKE_VALUE_MARKER = "FAKE-TEST-";

/**
 * The application's base URL, stored in the SSM `String` parameter. Not a secret, but the
 * provider marks `aws_ssm_parameter.value` sensitive whatever the parameter's type (hashicorp/aws
 * docs, `aws_ssm_parameter`: `insecure_value` is the unmarked alternative; the design document
 * uses `value`), so it is the one sensitive value in the artefacts that is not a fake.
 */
export const APP_BASE_URL = "https://adma.example.com";

/** The stack the artefacts describe: `name_prefix` = `adma-prod`. */
export const FIXTURE_STACK = { project_name: "adma", environment: "prod" } as const;

/** The variables of the applied deployment (the fixture's defaults otherwise). */
export const BASE_VARIABLES: Readonly<Record<string, string | boolean>> = {
    ...FIXTURE_STACK,
    app_base_url: APP_BASE_URL,
    jwt_secret_value: FAKE_SECRET_VALUES.jwt_secret_value,
};

/**
 * moto's random generator is seeded with this before the deployment is applied, and the apply
 * runs one operation at a time, so that replaying the recording (RECORDING_FILE) into a fresh
 * moto seeded alike recreates the deployment with the state's ids and ARNs.
 */
export const MOTO_SEED = 14;

export type ArtefactFormat =
    /** The state file itself (`terraform.tfstate`, `"version": 4`). */
    | "tfstate-v4"
    /** `terraform show -json` of the state (`values.root_module` with `child_modules`). */
    | "show-json-state"
    /** `terraform show -json <planfile>` (`resource_changes[].change`). */
    | "show-json-plan"
    /** moto's recorder: one JSON request a line (`headers`, `method`, `url`, `body`, `body_encoded`). */
    | "moto-recording";

export interface Artefact {
    readonly file: string;
    readonly format: ArtefactFormat;
    readonly description: string;
    /** For a plan: the variables set on top of BASE_VARIABLES. */
    readonly variables?: Readonly<Record<string, string | boolean>>;
}

/** One of the design document's "Don't"s, switched on by a fixture variable. */
export interface Mistake {
    /** The fixture's boolean variable. */
    readonly variable: string;
    readonly file: string;
    /** The Terraform address of the resource that carries the mistake in the plan. */
    readonly address: string;
    /** The attribute of that resource's `change.after` that holds it. */
    readonly attribute: string;
    /** The policy of the pack (`policy-pack/`) that exists to catch it. */
    readonly policy: string;
    readonly description: string;
    /** Other variables the mistake needs. */
    readonly extraVariables?: Readonly<Record<string, string>>;
}

export const MISTAKES: readonly Mistake[] = [
    {
        variable: "mistake_secretsmanager_wildcard",
        file: "plan-mistake-secretsmanager-wildcard.json",
        address: "module.iam.aws_iam_role_policy.execution_secrets",
        attribute: "policy",
        policy: "no-secretsmanager-wildcard",
        description: "the execution role's inline policy grants secretsmanager:*",
    },
    {
        variable: "mistake_wildcard_resource",
        file: "plan-mistake-wildcard-resource.json",
        address: "module.iam.aws_iam_role_policy.execution_secrets",
        attribute: "policy",
        policy: "no-wildcard-resource",
        description: "the execution role's secret read is granted on Resource \"*\"",
    },
    {
        variable: "mistake_plaintext_db_password",
        file: "plan-mistake-plaintext-db-password.json",
        address: "module.rds.aws_db_instance.this",
        attribute: "password",
        policy: "no-plaintext-db-password",
        description: "the database instance has a password instead of manage_master_user_password",
        extraVariables: { db_password: FAKE_SECRET_VALUES.db_password },
    },
    {
        variable: "mistake_jwt_secret_in_environment",
        file: "plan-mistake-jwt-secret-in-environment.json",
        address: "module.ecs.aws_ecs_task_definition.backend",
        attribute: "container_definitions",
        policy: "no-jwt-secret-in-environment",
        description: "the container gets JWT_SECRET's value in its plain environment",
    },
];

/** The image tag of the plan that changes the live deployment (the fixture's default is 1.0.0). */
export const CHANGED_IMAGE_TAG = "1.0.1";

export const STATE_FILE = "terraform.tfstate";
export const STATE_JSON_FILE = "state.json";
export const CREATE_PLAN_FILE = "plan-create.json";
export const UPDATE_PLAN_FILE = "plan-update-image.json";
export const RECORDING_FILE = "moto-recording.jsonl";

export const ARTEFACTS: readonly Artefact[] = [
    { file: STATE_FILE, format: "tfstate-v4", description: "the state after applying the design's deployment" },
    { file: STATE_JSON_FILE, format: "show-json-state", description: "terraform show -json of that state" },
    {
        file: RECORDING_FILE,
        format: "moto-recording",
        description: `every AWS request of that plan and apply, as moto recorded them (seed ${MOTO_SEED}, one operation at a time): loadGeneratedDeployment (testing/terraform/replay.ts) replays it into a fresh moto in seconds, with the ids and ARNs of ${STATE_FILE} except the RDS-managed secret's`,
    },
    {
        file: CREATE_PLAN_FILE,
        format: "show-json-plan",
        description: "the plan of a new deployment, from nothing (the plan that was applied): most ARNs, ids, policies and container definitions are unknown",
        variables: {},
    },
    {
        file: UPDATE_PLAN_FILE,
        format: "show-json-plan",
        description: `a change to the live deployment: backend_image_tag ${CHANGED_IMAGE_TAG} (the task definition is replaced, the service updated); every value is known`,
        variables: { backend_image_tag: CHANGED_IMAGE_TAG },
    },
    ...MISTAKES.map((mistake): Artefact => ({
        file: mistake.file,
        format: "show-json-plan",
        description: `a change to the live deployment with a deliberate mistake: ${mistake.description}`,
        variables: { [mistake.variable]: true, ...mistake.extraVariables },
    })),
];
