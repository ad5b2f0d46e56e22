/** Non-secret application configuration in SSM Parameter Store (the design document's app-base-url). */
import * as pulumi from "@pulumi/pulumi";
import * as ssm from "@pulumi/aws/ssm";
import { ResourceNames } from "../lib/naming";

export interface AppParametersArgs {
    readonly names: ResourceNames["appParameters"];
    readonly appBaseUrl: string;
    readonly tags: Record<string, string>;
}

export class AppParameters extends pulumi.ComponentResource {
    readonly appBaseUrlArn: pulumi.Output<string>;
    readonly appBaseUrlName: pulumi.Output<string>;
    /** The value as written: known once the parameter holds it, so a redeploy that reads it waits for the write. */
    readonly appBaseUrlValue: pulumi.Output<string>;

    constructor(name: string, args: AppParametersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:ssm:AppParameters", name, {}, opts);
        // Type String, not SecureString: configuration, not a credential. `insecureValue` keeps it
        // readable in diffs (the SDK would mark `value` as a Pulumi secret).
        const appBaseUrl = new ssm.Parameter(`${name}-app-base-url`, {
            name: args.names.appBaseUrl,
            type: "String",
            insecureValue: args.appBaseUrl,
            description: "Public base URL of the ADMA application",
            tags: args.tags,
        }, { parent: this });

        this.appBaseUrlArn = appBaseUrl.arn;
        this.appBaseUrlValue = appBaseUrl.insecureValue;
        this.appBaseUrlName = appBaseUrl.name;
        this.registerOutputs({ appBaseUrlArn: this.appBaseUrlArn, appBaseUrlName: this.appBaseUrlName });
    }
}
