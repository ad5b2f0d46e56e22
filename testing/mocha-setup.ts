/**
 * Loaded by mocha before any test file (.mocharc.json `require`): what every test process needs
 * set first. The AWS SDK's Node 22 notice is off, as in the project's commands (lib/aws-sdk-notice.ts).
 */
import { quietSdkNodeNotice } from "../lib/aws-sdk-notice";

quietSdkNodeNotice();
