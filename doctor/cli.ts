/**
 * `npm run doctor -- --stack <name> [--json] [--region R] [--cluster C] [--service S] [--log-hours N]`
 *
 * The design document's troubleshooting section as one read-only command against the deployed
 * stack: reads the service, its task definition and running tasks, the secrets' and parameters'
 * metadata, the execution role's policies, the network, the database, the backend's logs and the
 * account's trails (never a secret value; nothing is changed), runs every check and prints a table
 * or, with `--json`, `{"stack", "checks": [...]}`. Names come from the stack's configuration
 * (`--cluster`/`--service` for a deployment named otherwise); credentials from the AWS SDK's
 * standard chain; `AWS_ENDPOINT_URL` is honoured.
 *
 * Exit codes: 0 no check fails; 1 a check fails; 2 a usage, configuration or credential error.
 */
import { quietSdkNodeNotice } from "../lib/aws-sdk-notice";
import { defineCommand, runMain, UsageError } from "../policy-pack/lib/cli";
import { findProjectDir } from "../tools/preview/stack-config";
import { destroyClients, doctorClients } from "./aws/clients";
import { callerIdentity } from "./aws/identity";
import { readDeployment } from "./aws/read-deployment";
import { exitCodeFor } from "./check-result";
import { runChecks } from "./checks";
import { formatJson, formatTable } from "./report";
import { loadDoctorTarget } from "./stack-target";
import { DEFAULT_LOG_WINDOW_HOURS } from "./target";

/** At most 90 days back (a wider search reads more log data than a diagnosis needs). */
export const MAX_LOG_WINDOW_HOURS = 2160;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export const main = defineCommand(
    {
        name: "doctor",
        usage: "npm run doctor -- --stack <name> [--json] [--region R] [--cluster C] [--service S] [--log-hours N] [--debug]",
        help: [
            "  --stack, -s    the stack (Pulumi.<stack>.yaml) whose deployment to examine",
            "  --json         print {\"stack\", \"checks\": [{id, status, resource, message, fix}]} instead of the table",
            "  --region       the AWS region (default: the stack's aws:region, else the AWS SDK's)",
            "  --cluster      the ECS cluster, for a deployment named otherwise (default: <project>-<environment>-ecs)",
            "  --service      the ECS service, likewise (default: <project>-<environment>-backend)",
            `  --log-hours    how many hours of the backend's logs log-leaks searches (1 to ${MAX_LOG_WINDOW_HOURS}; default ${DEFAULT_LOG_WINDOW_HOURS})`,
            "  exit codes: 0 no check fails, 1 a check fails, 2 a usage, configuration or credential error",
        ].join("\n"),
        options: {
            stack: { type: "string", short: "s" },
            json: { type: "boolean" },
            region: { type: "string" },
            cluster: { type: "string" },
            service: { type: "string" },
            "log-hours": { type: "string" },
            debug: { type: "boolean" },
        },
    },
    async ({ values }, io) => {
        if (!values.stack) {
            throw new UsageError("--stack is required");
        }
        if (values.region !== undefined && !REGION.test(values.region)) {
            throw new UsageError(`--region must be an AWS region name such as eu-west-1, got "${values.region}"`);
        }
        for (const option of ["cluster", "service"] as const) {
            if (values[option] === "") {
                throw new UsageError(`--${option} needs a name`);
            }
        }
        const logWindowHours = values["log-hours"] === undefined ? undefined : parseHours(values["log-hours"]);
        const target = await loadDoctorTarget(findProjectDir(io.cwd), values.stack, {
            region: values.region, cluster: values.cluster, service: values.service, logWindowHours,
        });
        const clients = doctorClients({ region: target.region });
        try {
            const identity = await callerIdentity(clients, target.region);
            const snapshot = await readDeployment(clients, target);
            const results = runChecks(snapshot, target);
            const { cluster, service } = target.names.backendService;
            io.stdout.write(values.json ? formatJson(target.stack, results)
                : formatTable(`doctor: stack ${target.stack}, service ${service} in cluster ${cluster} (account ${identity.account}, ${target.region})`, results));
            return exitCodeFor(results);
        } finally {
            destroyClients(clients);
        }
    },
);

function parseHours(text: string): number {
    const hours = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_LOG_WINDOW_HOURS) {
        throw new UsageError(`--log-hours must be a whole number of hours from 1 to ${MAX_LOG_WINDOW_HOURS}, got "${text}"`);
    }
    return hours;
}

if (require.main === module) {
    quietSdkNodeNotice();
    runMain(main);
}
