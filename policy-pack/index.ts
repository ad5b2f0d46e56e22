import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("adma-security", { policies, enforcementLevel: "mandatory" });
