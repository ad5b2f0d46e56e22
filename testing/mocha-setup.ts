/**
 * Loaded by mocha before any test file (.mocharc.json `require`): what every test process needs
 * set first, and its last hook. The AWS SDK's Node 22 notice is off, as in the project's commands
 * (lib/aws-sdk-notice.ts). After the last test, every moto server still running is stopped: those
 * several files share, and those of files whose tests were all skipped (mocha's root hook plugin,
 * `mochaHooks`).
 */
import { quietSdkNodeNotice } from "../lib/aws-sdk-notice";
import { stopMotoServers } from "./moto-server";

quietSdkNodeNotice();

export const mochaHooks = {
    afterAll: stopMotoServers,
};
