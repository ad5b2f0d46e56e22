import * as assert from "assert";
import { backendContainer } from "../lib/container-definition";
import { STACK_RECORD_OUTPUT } from "../lib/stack-record";
import { SIGNATURE_KEY } from "../policy-pack/lib/pulumi-markers";
import { Deployment, DeployedResource, deploy, stackConfigValues, valueOf } from "./harness";

const T = {
    backend: "adma:index:AdmaBackend",
    password: "random:index/randomPassword:RandomPassword",
    secret: "aws:secretsmanager/secret:Secret",
    version: "aws:secretsmanager/secretVersion:SecretVersion",
    kmsKey: "aws:kms/key:Key",
    kmsAlias: "aws:kms/alias:Alias",
    db: "aws:rds/instance:Instance",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    vpc: "awsx:ec2:Vpc",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    cluster: "aws:ecs/cluster:Cluster",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    parameter: "aws:ssm/parameter:Parameter",
};

const EXISTING_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const EXISTING_VPC = { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: '["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]' };

interface IngressRule {
    fromPort: number;
    toPort: number;
    protocol: string;
    securityGroups?: string[];
    cidrBlocks?: string[];
}

function isSecretEnvelope(value: unknown): boolean {
    return typeof value === "object" && value !== null && SIGNATURE_KEY in value;
}

/** Every recorded input as JSON, with Pulumi secrets replaced by a marker. */
function plaintextInputs(deployment: Deployment): string {
    return JSON.stringify(deployment.resources.map((r) => r.inputs), (_key, value) => (isSecretEnvelope(value) ? "[secret]" : value));
}

function sgByName(d: Deployment, suffix: string): DeployedResource {
    return d.one(T.sg, suffix);
}

describe("AdmaBackend: the prod stack (Pulumi.prod.yaml)", function () {
    let d: Deployment;
    before(async () => {
        d = await deploy(stackConfigValues("prod"), { base: {}, stack: "prod" });
    });

    it("is one adma: component that parents every resource", () => {
        const root = d.one(T.backend);
        assert.strictEqual(d.backend.namePrefix, "adma-prod");
        const byUrn = new Map(d.resources.map((r) => [r.options.urn, r]));
        for (const resource of d.resources.filter((r) => r !== root)) {
            let parent = byUrn.get(resource.options.parent);
            while (parent && parent !== root) {
                assert.ok(parent.type.startsWith("adma:"), `${resource.name}: parent ${parent.type} is not an adma component`);
                parent = byUrn.get(parent.options.parent);
            }
            assert.strictEqual(parent, root, `${resource.type} ${resource.name} is not under AdmaBackend`);
        }
    });

    it("JWT secret: 64-char RandomPassword with the design document's specials, config edits ignored, rotation keeper", () => {
        const password = d.one(T.password);
        assert.strictEqual(password.inputs.length, 64);
        assert.strictEqual(password.inputs.special, true);
        assert.strictEqual(password.inputs.overrideSpecial, "_-+=@#%");
        assert.deepStrictEqual(password.inputs.keepers, { generation: "1" });
        assert.deepStrictEqual([...password.options.ignoreChanges].sort(), ["length", "overrideSpecial", "special"]);
    });

    it("JWT secret: /adma/prod/jwt-secret, described, 7-day recovery, customer key, protected and retained", () => {
        const secret = d.one(T.secret);
        assert.strictEqual(secret.inputs.name, "/adma/prod/jwt-secret");
        assert.strictEqual(secret.inputs.description, "JWT signing secret for adma-prod backend");
        assert.strictEqual(secret.inputs.recoveryWindowInDays, 7);
        assert.strictEqual(secret.inputs.kmsKeyId, d.one(T.kmsKey).state.arn);
        assert.strictEqual(secret.options.protect, true);
        assert.strictEqual(secret.options.retainOnDelete, true);
    });

    it("JWT value: a Pulumi secret in every version, written bootstrap-first so AWSPREVIOUS exists from the first up", () => {
        const bootstrap = d.one(T.version, "-bootstrap");
        const current = d.one(T.version, "-current");
        for (const version of [bootstrap, current]) {
            assert.ok(isSecretEnvelope(version.inputs.secretString), `${version.name} secretString is not a Pulumi secret`);
            assert.strictEqual(version.inputs.secretString.value, d.jwtValue());
            assert.strictEqual(version.inputs.secretId, d.one(T.secret).state.arn);
            // Replacing or deleting a version must not let the provider strip AWSPREVIOUS.
            assert.strictEqual(version.options.retainOnDelete, true, `${version.name} must be retainOnDelete`);
        }
        assert.ok(current.options.dependencies.includes(bootstrap.options.urn), "current version must be written after the bootstrap");
        assert.deepStrictEqual(bootstrap.options.ignoreChanges, ["secretString"]);
        assert.deepStrictEqual(current.options.ignoreChanges, []);
    });

    it("customer KMS key: rotation on, alias, protected", () => {
        const key = d.one(T.kmsKey);
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        assert.strictEqual(key.options.protect, true);
        assert.strictEqual(d.one(T.kmsAlias).inputs.name, "alias/adma-prod-secrets");
        assert.strictEqual(d.outputs.kmsKeyArn, key.state.arn);
    });

    it("RDS: adma-prod-postgres, RDS-managed password (never `password`), encrypted, private, guarded", () => {
        const db = d.one(T.db);
        const expected = {
            identifier: "adma-prod-postgres", engine: "postgres", engineVersion: "16", instanceClass: "db.t4g.medium",
            dbName: "urlshortener", username: "appuser", manageMasterUserPassword: true, storageEncrypted: true,
            publiclyAccessible: false, deletionProtection: true, skipFinalSnapshot: false,
            backupRetentionPeriod: 14, allocatedStorage: 50,
            masterUserSecretKmsKeyId: d.one(T.kmsKey).state.arn,
        };
        for (const [key, value] of Object.entries(expected)) {
            assert.deepStrictEqual(db.inputs[key], value, `rds ${key}`);
        }
        assert.match(db.inputs.finalSnapshotIdentifier, /^adma-prod-postgres-final-[0-9a-f]{8}$/);
        assert.ok(!("password" in db.inputs), "the master password must never be set by the program");
        assert.strictEqual(db.options.protect, true);
        assert.deepStrictEqual(db.inputs.vpcSecurityGroupIds, [sgByName(d, "-database").id]);
        assert.strictEqual(db.inputs.dbSubnetGroupName, d.one(T.subnetGroup).inputs.name);
        assert.deepStrictEqual(d.one(T.subnetGroup).inputs.subnetIds, d.one(T.vpc).state.privateSubnetIds);
        assert.strictEqual(d.outputs.dbMasterSecretArn, db.state.masterUserSecrets[0].secretArn);
    });

    it("RDS parameter group forces TLS (rds.force_ssl = 1) for the engine's family", () => {
        const group = d.one(T.parameterGroup);
        assert.strictEqual(group.inputs.family, "postgres16");
        assert.deepStrictEqual(group.inputs.parameters.map((p: { name: string; value: string }) => [p.name, p.value]), [["rds.force_ssl", "1"]]);
        assert.strictEqual(d.one(T.db).inputs.parameterGroupName, group.inputs.name);
    });

    it("security groups: 5432 and the endpoint's 443 only from the service", () => {
        const service = sgByName(d, "-service");
        const database = sgByName(d, "-database");
        const endpointGroup = sgByName(d, "-secretsmanager-endpoint");
        assert.deepStrictEqual(database.inputs.ingress.map((r: IngressRule) => [r.fromPort, r.toPort, r.protocol, r.securityGroups, r.cidrBlocks ?? []]),
            [[5432, 5432, "tcp", [service.id], []]]);
        assert.deepStrictEqual(database.inputs.egress, []);
        assert.deepStrictEqual(endpointGroup.inputs.ingress.map((r: IngressRule) => [r.fromPort, r.securityGroups]), [[443, [service.id]]]);
        const egress = d.ofType(T.egress).map((r) => [r.inputs.securityGroupId, r.inputs.fromPort, r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4]);
        assert.deepStrictEqual(egress.sort(), [[service.id, 443, "0.0.0.0/0"], [service.id, 5432, database.id]].sort());
    });

    it("Secrets Manager interface endpoint with private DNS in the private subnets", () => {
        const endpoint = d.one(T.endpoint);
        assert.strictEqual(endpoint.inputs.serviceName, "com.amazonaws.eu-west-1.secretsmanager");
        assert.strictEqual(endpoint.inputs.vpcEndpointType, "Interface");
        assert.strictEqual(endpoint.inputs.privateDnsEnabled, true);
        assert.deepStrictEqual(endpoint.inputs.subnetIds, d.one(T.vpc).state.privateSubnetIds);
        assert.deepStrictEqual(endpoint.inputs.securityGroupIds, [sgByName(d, "-secretsmanager-endpoint").id]);
        assert.strictEqual(d.one(T.vpc).inputs.natGateways.strategy, "OnePerAz");
    });

    it("execution role: the design document's name, ecs-tasks trust scoped by aws:SourceAccount, managed policy attached", () => {
        const role = d.one(T.role, "execution-role");
        assert.strictEqual(role.inputs.name, "adma-prod-ecs-execution-role");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [{
            Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        }]);
        const attachment = d.one(T.attachment);
        assert.strictEqual(attachment.inputs.role, "adma-prod-ecs-execution-role");
        assert.strictEqual(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
    });

    it("execution policy: exactly the referenced secrets, parameter and customer key, derived from the container's secrets", async () => {
        const policy = d.one(T.rolePolicy, "execution-role-secrets");
        assert.strictEqual(policy.inputs.name, "adma-prod-ecs-execution-secrets");
        assert.strictEqual(policy.inputs.role, "adma-prod-ecs-execution-role");
        const jwtArn = d.one(T.secret).state.arn;
        const rdsArn = d.one(T.db).state.masterUserSecrets[0].secretArn;
        const parameterArn = d.one(T.parameter).state.arn;
        const keyArn = d.one(T.kmsKey).state.arn;
        const expected = backendContainer({ ...(await valueOf(d.backend.container)).settings }, {
            dbAddress: "", dbPort: 0, dbName: "", dbUsername: "", appEnvironment: "prod",
            dbMasterSecretArn: rdsArn, dbMasterSecretKmsKeyArn: keyArn, jwtSecretArn: jwtArn, jwtSecretKmsKeyArn: keyArn, appBaseUrlParameterArn: parameterArn,
        });
        assert.deepStrictEqual(d.executionPolicy(), expected.executionSecretsPolicy());
        const statements = d.executionPolicy().Statement;
        assert.deepStrictEqual(statements.map((s) => s.Resource), [[jwtArn, rdsArn].sort(), [parameterArn], [keyArn]]);
        assert.deepStrictEqual(statements[2].Condition, { StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com"] } });
    });

    it("task role: separate, no policies while ECS Exec is off", () => {
        const taskRole = d.one(T.role, "task-role");
        assert.strictEqual(taskRole.inputs.name, "adma-prod-backend-task");
        assert.notStrictEqual(taskRole.state.arn, d.one(T.role, "execution-role").state.arn);
        assert.deepStrictEqual(d.ofType(T.rolePolicy).filter((p) => p.inputs.role === taskRole.id), []);
    });

    it("ECS cluster with Container Insights, log group with retention", () => {
        const cluster = d.one(T.cluster);
        assert.strictEqual(cluster.inputs.name, "adma-prod-ecs");
        assert.deepStrictEqual(cluster.inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
        const logs = d.one(T.logGroup, "backend-logs");
        assert.strictEqual(logs.inputs.name, "/ecs/adma-prod-backend");
        assert.strictEqual(logs.inputs.retentionInDays, 90);
    });

    it("task definition: family, awsvpc, FARGATE, configured size, both roles", () => {
        const task = d.one(T.taskDefinition);
        assert.strictEqual(task.inputs.family, "adma-prod-backend");
        assert.strictEqual(task.inputs.networkMode, "awsvpc");
        assert.deepStrictEqual(task.inputs.requiresCompatibilities, ["FARGATE"]);
        assert.strictEqual(task.inputs.cpu, "1024");
        assert.strictEqual(task.inputs.memory, "2048");
        assert.strictEqual(task.inputs.executionRoleArn, d.one(T.role, "execution-role").state.arn);
        assert.strictEqual(task.inputs.taskRoleArn, d.one(T.role, "task-role").state.arn);
    });

    it("container: backend image, essential, port, health check, awslogs, non-secret environment", () => {
        const container = d.container();
        assert.strictEqual(container.name, "backend");
        assert.strictEqual(container.image, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/adma-backend:1.0.0");
        assert.strictEqual(container.essential, true);
        assert.deepStrictEqual(container.portMappings, [{ containerPort: 8080, protocol: "tcp" }]);
        assert.match(container.healthCheck.command[1], /localhost:8080\/actuator\/health/);
        assert.deepStrictEqual(container.logConfiguration, {
            logDriver: "awslogs",
            options: { "awslogs-group": "/ecs/adma-prod-backend", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "backend" },
        });
        const environment = Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
        assert.strictEqual(environment.DB_HOST, d.one(T.db).state.address);
        assert.strictEqual(environment.DB_PORT, "5432");
        assert.strictEqual(environment.DB_NAME, "urlshortener");
        assert.strictEqual(environment.DB_USERNAME, "appuser");
    });

    it("container secrets: DB_PASSWORD (:password::), JWT_SECRET, JWT_SECRET_PREVIOUS (::AWSPREVIOUS:), APP_BASE_URL (SSM)", () => {
        const jwtArn = d.one(T.secret).state.arn;
        assert.deepStrictEqual(d.container().secrets, [
            { name: "DB_PASSWORD", valueFrom: `${d.one(T.db).state.masterUserSecrets[0].secretArn}:password::` },
            { name: "JWT_SECRET", valueFrom: jwtArn },
            { name: "JWT_SECRET_PREVIOUS", valueFrom: `${jwtArn}::AWSPREVIOUS:` },
            { name: "APP_BASE_URL", valueFrom: d.one(T.parameter).state.arn },
        ]);
    });

    it("SSM parameter /adma/prod/app-base-url is a plain String", () => {
        const parameter = d.one(T.parameter);
        assert.strictEqual(parameter.inputs.name, "/adma/prod/app-base-url");
        assert.strictEqual(parameter.inputs.type, "String");
        assert.strictEqual(parameter.inputs.insecureValue, "https://adma.example.com");
        assert.strictEqual(parameter.inputs.value, undefined);
    });

    it("service: the design document's name, private subnets, no public IP, exec off, redeploys on a new JWT version", () => {
        const service = d.one(T.service);
        assert.strictEqual(service.inputs.name, "adma-prod-backend");
        assert.strictEqual(service.inputs.cluster, d.one(T.cluster).state.arn);
        assert.strictEqual(service.inputs.taskDefinition, d.one(T.taskDefinition).state.arn);
        assert.strictEqual(service.inputs.launchType, "FARGATE");
        assert.strictEqual(service.inputs.desiredCount, 2);
        assert.deepStrictEqual(service.inputs.networkConfiguration, {
            subnets: d.one(T.vpc).state.privateSubnetIds, securityGroups: [sgByName(d, "-service").id], assignPublicIp: false,
        });
        assert.strictEqual(service.inputs.enableExecuteCommand, false);
        assert.strictEqual(service.inputs.forceNewDeployment, true);
        assert.deepStrictEqual(service.inputs.triggers, {
            jwtSecretVersion: d.one(T.version, "-current").state.versionId, appBaseUrl: d.one(T.parameter).inputs.insecureValue,
        });
    });

    it("exposes its child components, and the outputs are read from them", async () => {
        const { backend } = d;
        const children = [backend.secretsKmsKey, backend.network, backend.jwtSecret, backend.database, backend.parameters,
            backend.executionRole, backend.taskRole, backend.service, backend.rdsRotation, backend.monitoring];
        const root = d.one(T.backend).options.urn;
        for (const child of children) {
            assert.ok(child, "a child component is missing");
            const urn = await valueOf(child.urn);
            assert.strictEqual(d.resources.find((r) => r.options.urn === urn)?.options.parent, root, urn);
        }
        assert.strictEqual(await valueOf(backend.service.serviceName), d.outputs.serviceName);
        assert.strictEqual(await valueOf(backend.database.masterSecretArn), d.outputs.dbMasterSecretArn);
        assert.strictEqual(await valueOf(backend.executionRole.roleArn), d.outputs.executionRoleArn);
        assert.strictEqual(await valueOf(backend.secretsKmsKey!.keyArn), d.outputs.kmsKeyArn);
    });

    it("outputs: names and ARNs, never a secret", () => {
        for (const [key, value] of Object.entries(d.outputs).filter(([output]) => output !== STACK_RECORD_OUTPUT)) {
            assert.ok(typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string")), `output ${key} is not a name or an ARN`);
        }
        assert.deepStrictEqual(Object.keys(d.outputs[STACK_RECORD_OUTPUT] as object).sort(), ["createdKmsKeyArn", "dataResources", "database", "version", "vpc"]);
        assert.deepStrictEqual(
            [d.outputs.clusterName, d.outputs.serviceName, d.outputs.logGroupName, d.outputs.jwtSecretName, d.outputs.dbIdentifier],
            ["adma-prod-ecs", "adma-prod-backend", "/ecs/adma-prod-backend", "/adma/prod/jwt-secret", "adma-prod-postgres"]);
        assert.strictEqual(d.outputs.serviceArn, "arn:aws:ecs:eu-west-1:123456789012:service/adma-prod-ecs/adma-prod-backend");
        assert.strictEqual(d.outputs.taskDefinitionArn, d.one(T.taskDefinition).state.arn);
        const text = JSON.stringify(d.outputs);
        assert.ok(!text.includes(d.jwtValue()), "an output contains the JWT value");
        assert.ok(!/password"\s*:/i.test(text));
    });

    it("the JWT value never appears in plaintext: not in the task definition, an environment, a policy or any input", () => {
        const value = d.jwtValue();
        assert.strictEqual(value.length, 64);
        assert.ok(!d.one(T.taskDefinition).inputs.containerDefinitions.includes(value));
        assert.ok(!plaintextInputs(d).includes(value), "the JWT value is in a resource input outside a Pulumi secret");
        for (const variable of d.container().environment) {
            assert.ok(!/SECRET|PASSWORD/.test(variable.name), `${variable.name} looks like a secret in "environment"`);
        }
    });

    it("the task definition's secrets and the execution grant come from the same object (the public container)", async () => {
        const container = await valueOf(d.backend.container);
        assert.deepStrictEqual(d.container(), container.render());
        assert.deepStrictEqual(d.executionPolicy(), container.executionSecretsPolicy());
        const secrets = container.secrets;
        const granted = d.executionPolicy().Statement.filter((s) => !s.Action.includes("kms:Decrypt")).flatMap((s) => s.Resource).sort();
        const referenced = [...new Set(secrets.map((s) => (s.reference.kind === "ssm" ? s.reference.parameterArn : s.reference.secretArn)))].sort();
        assert.deepStrictEqual(granted, referenced);
    });
});

describe("AdmaBackend: per-stack variations", () => {
    it("AWS-managed key (default): no KMS resources, no key on the secrets, no kms:Decrypt", async () => {
        const d = await deploy();
        assert.strictEqual(d.ofType(T.kmsKey).length, 0);
        assert.strictEqual(d.one(T.secret).inputs.kmsKeyId, undefined);
        assert.strictEqual(d.one(T.db).inputs.masterUserSecretKmsKeyId, undefined);
        assert.ok(!JSON.stringify(d.executionPolicy()).includes("kms:"));
        assert.strictEqual(d.outputs.kmsKeyArn, undefined);
    });

    it("a stack without a customer key or monitoring (dev) has no output for them, not an undefined one the runtime warns about", async () => {
        const d = await deploy({ monitoring: "false" });
        const outputs = d.backend.outputs();
        assert.ok(!("kmsKeyArn" in outputs) && !("alarmTopicArn" in outputs), Object.keys(outputs).join(", "));
        assert.deepStrictEqual(Object.entries(outputs).filter(([, value]) => value === undefined), []);
    });

    it("existing customer key: used by both secrets and granted, nothing created", async () => {
        const d = await deploy({ secretsKmsKeyArn: EXISTING_KEY });
        assert.strictEqual(d.ofType(T.kmsKey).length, 0);
        assert.strictEqual(d.one(T.secret).inputs.kmsKeyId, EXISTING_KEY);
        assert.strictEqual(d.one(T.db).inputs.masterUserSecretKmsKeyId, EXISTING_KEY);
        const kms = d.executionPolicy().Statement.filter((s) => s.Action.includes("kms:Decrypt"));
        assert.deepStrictEqual(kms.map((s) => s.Resource), [[EXISTING_KEY]]);
    });

    it("ECS Exec on: the service allows execute-command and only the task role gets the ssmmessages channels", async () => {
        const d = await deploy({ enableEcsExec: "true" });
        assert.strictEqual(d.one(T.service).inputs.enableExecuteCommand, true);
        const exec = d.one(T.rolePolicy, "task-role-ecs-exec");
        assert.strictEqual(exec.inputs.role, "adma-staging-backend-task");
        assert.deepStrictEqual(JSON.parse(exec.inputs.policy).Statement[0].Action, [
            "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
        ]);
        assert.ok(!JSON.stringify(d.executionPolicy()).includes("ssmmessages"));
    });

    it("existing VPC: no awsx VPC; groups, DB subnets, endpoint and service use the configured ids", async () => {
        const d = await deploy(EXISTING_VPC);
        const subnets = JSON.parse(EXISTING_VPC.privateSubnetIds);
        assert.strictEqual(d.ofType(T.vpc).length, 0);
        for (const group of d.ofType(T.sg)) {
            assert.strictEqual(group.inputs.vpcId, EXISTING_VPC.vpcId);
        }
        assert.deepStrictEqual(d.one(T.subnetGroup).inputs.subnetIds, subnets);
        assert.deepStrictEqual(d.one(T.endpoint).inputs.subnetIds, subnets);
        assert.deepStrictEqual(d.one(T.service).inputs.networkConfiguration.subnets, subnets);
        assert.strictEqual(d.outputs.vpcId, EXISTING_VPC.vpcId);
    });

    it("endpoint off (VPC has one): no endpoint and no endpoint security group", async () => {
        const d = await deploy({ ...EXISTING_VPC, createSecretsManagerEndpoint: "false" });
        assert.strictEqual(d.ofType(T.endpoint).length, 0);
        assert.deepStrictEqual(d.ofType(T.sg).map((g) => g.inputs.name).sort(), ["adma-staging-backend", "adma-staging-postgres"]);
    });

    it("dev (Pulumi.dev.yaml): guards off, but secret versions are still retained", async () => {
        const d = await deploy(stackConfigValues("dev"), { base: {} });
        const db = d.one(T.db);
        assert.strictEqual(db.options.protect, false);
        assert.strictEqual(db.inputs.deletionProtection, false);
        assert.strictEqual(db.inputs.skipFinalSnapshot, true);
        assert.strictEqual(db.inputs.finalSnapshotIdentifier, undefined);
        assert.strictEqual(d.one(T.secret).options.protect, false);
        assert.strictEqual(d.one(T.secret).options.retainOnDelete, false);
        assert.ok(d.ofType(T.version).every((v) => v.options.retainOnDelete));
        assert.strictEqual(d.one(T.secret).inputs.name, "/adma/dev/jwt-secret");
        assert.strictEqual(d.one(T.db).inputs.identifier, "adma-dev-postgres");
    });
});

describe("AdmaBackend: JWT rotation (adma:jwtSecretGeneration)", () => {
    let before1: Deployment;
    let after2: Deployment;
    before(async () => {
        before1 = await deploy({ jwtSecretGeneration: "1" });
        after2 = await deploy({ jwtSecretGeneration: "2" });
    });

    it("the generation is the RandomPassword keeper, so bumping it replaces the value", () => {
        assert.deepStrictEqual(before1.one(T.password).inputs.keepers, { generation: "1" });
        assert.deepStrictEqual(after2.one(T.password).inputs.keepers, { generation: "2" });
        assert.notStrictEqual(before1.jwtValue(), after2.jwtValue());
    });

    it("a rotation redeploys the service through its trigger, with an unchanged task definition", () => {
        const versionBefore = before1.one(T.version, "-current").state.versionId;
        const versionAfter = after2.one(T.version, "-current").state.versionId;
        assert.notStrictEqual(versionBefore, versionAfter);
        assert.deepStrictEqual(after2.one(T.service).inputs.triggers, { jwtSecretVersion: versionAfter, appBaseUrl: "https://staging.adma.example.com" });
        assert.strictEqual(after2.one(T.taskDefinition).inputs.containerDefinitions, before1.one(T.taskDefinition).inputs.containerDefinitions);
        assert.deepStrictEqual(after2.executionPolicy(), before1.executionPolicy());
    });

    it("JWT_SECRET_PREVIOUS reads the AWSPREVIOUS stage of the same secret, which the grant already names", () => {
        const jwtArn = after2.one(T.secret).state.arn;
        const previous = after2.container().secrets.find((s: { name: string }) => s.name === "JWT_SECRET_PREVIOUS");
        assert.strictEqual(previous.valueFrom, `${jwtArn}::AWSPREVIOUS:`);
        const secretsStatement = after2.executionPolicy().Statement.find((s) => s.Sid === "ReadOnlyRequiredSecrets")!;
        assert.strictEqual(secretsStatement.Resource.filter((arn: string) => arn.includes("jwt-secret")).length, 1);
        assert.ok(secretsStatement.Resource.includes(jwtArn));
    });
});
