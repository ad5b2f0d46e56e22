/**
 * Who the doctor reads as: `sts:GetCallerIdentity`, which needs no permission (STS API Reference:
 * "No permissions are required to perform this operation"), so it fails only when there are no
 * usable credentials or AWS cannot be reached. Either is an InputError (exit 2) saying which.
 */
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { InputError } from "../../policy-pack/lib/cli";
import { DoctorClients } from "./clients";

export interface CallerIdentity {
    readonly account: string;
    readonly arn: string;
}

const CHAIN = "the AWS SDK's standard chain: AWS_PROFILE or the default profile, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, SSO, web identity, container or instance credentials";

export async function callerIdentity(clients: DoctorClients, region: string): Promise<CallerIdentity> {
    try {
        const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
        return { account: identity.Account ?? "(unknown account)", arn: identity.Arn ?? "(unknown principal)" };
    } catch (error) {
        const { name, message } = error as Error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== undefined && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN)$/.test(code)) {
            const endpoint = process.env.AWS_ENDPOINT_URL ? ` (AWS_ENDPOINT_URL=${process.env.AWS_ENDPOINT_URL})` : "";
            throw new InputError(`cannot reach AWS STS in ${region}${endpoint}: ${code}: ${message}`);
        }
        throw new InputError(`no usable AWS credentials for ${region} (${name}: ${message}); the doctor reads them from ${CHAIN}`);
    }
}
