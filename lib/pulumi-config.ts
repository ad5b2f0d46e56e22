/** The thin adapter between Pulumi (its config, the stack's own last outputs) and the pure loaders in config.ts and stack-record.ts. */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { region } from "@pulumi/aws/config/vars";
import { getSubnet } from "@pulumi/aws/ec2/getSubnet";
import { getVpc } from "@pulumi/aws/ec2/getVpc";
import { AdmaConfig, CONFIG_NAMESPACE, VpcConfig, loadAdmaConfig } from "./config";
import { ExistingNetworkFacts } from "./existing-network";
import { resourceNames } from "./naming";
import { DeploymentArgs, STACK_RECORD_OUTPUT, deploymentArgs } from "./stack-record";

/**
 * The SDK's own test of whether a key is set as a secret (the keys the engine passes as secret).
 * It is marked internal in the SDK's typings, so it is looked up here; without it every key is
 * treated as secret, so that no message can repeat a secret value.
 */
const isConfigSecret = (runtimeConfig as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret ?? (() => true);

/**
 * Reads and validates the current stack's `adma:*` configuration; throws before any resource
 * exists. ARNs are checked against the region the AWS provider will use: `aws:region`, else its
 * environment variables (@pulumi/aws's own `config.region`).
 */
export function readStackConfig(): AdmaConfig {
    const config = new pulumi.Config(CONFIG_NAMESPACE);
    const prefix = `${CONFIG_NAMESPACE}:`;
    return loadAdmaConfig((key) => config.get(key), {
        region,
        isSecret: (key) => isConfigSecret(`${prefix}${key}`),
        setKeys: Object.keys(pulumi.runtime.allConfig()).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)),
        stack: pulumi.getStack(),
    });
}

/**
 * The configuration, checked against what this stack deployed last, before any resource is
 * registered: the stack's own `stackRecord` output, read through a StackReference to the stack
 * itself (`<organization>/<project>/<stack>`; the outputs of its last update, none for a new stack).
 * Works the same under `pulumi preview` and `pulumi up`. Throws AdmaConfigError on an invalid
 * configuration or a refused change; prints what works but deserves a word as warnings.
 */
export async function readDeploymentArgs(): Promise<DeploymentArgs> {
    const config = readStackConfig();
    const self = new pulumi.StackReference("adma-stack-record", {
        name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
    });
    const recorded = await self.getOutputDetails(STACK_RECORD_OUTPUT);
    const network = config.network.vpc.mode === "existing" ? await readExistingNetwork(config.network.vpc) : undefined;
    const { args, notices } = deploymentArgs(config, resourceNames(config), recorded.value, network);
    for (const notice of notices) {
        await pulumi.log.warn(notice);
    }
    return args;
}

/** What AWS reports for an existing VPC and its subnets (ec2:DescribeVpcs, ec2:DescribeVpcAttribute, ec2:DescribeSubnets). */
async function readExistingNetwork(vpc: Extract<VpcConfig, { mode: "existing" }>): Promise<ExistingNetworkFacts> {
    const described = await getVpc({ id: vpc.vpcId });
    const subnets = [];
    for (const id of vpc.privateSubnetIds) {
        subnets.push(await getSubnet({ id }));
    }
    return {
        vpc: { id: described.id, enableDnsSupport: described.enableDnsSupport, enableDnsHostnames: described.enableDnsHostnames },
        subnets: subnets.map((subnet) => ({ id: subnet.id, vpcId: subnet.vpcId, availabilityZone: subnet.availabilityZone })),
    };
}
