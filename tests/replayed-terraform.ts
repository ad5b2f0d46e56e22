/**
 * The design's Terraform deployment live in moto, once for the whole test run: one moto server, into
 * which the recording of the fixture's apply is replayed (testing/terraform/replay.ts), started by
 * the first test file that asks for it, while the files load, so that moto's start-up and the
 * replay (a few seconds of moto's CPU) run beside the in-process tests.
 *
 * Shared because every user only reads it: tests/terraform-fixtures.test.ts (the replay recreates
 * the state), tests/adopt/verify.test.ts (`adopt:terraform --verify`, read-only by design) and the
 * harness's own checks (tests/moto-server.test.ts). A test that changes what it finds in moto
 * starts a server of its own. One server instead of one each saves moto's start-up, its first
 * load of each service and of AWS's managed policies, and the replay itself, for every file.
 *
 * Never orphaned: the run's last hook stops it (testing/mocha-setup.ts), and the harness stops it
 * when the test process ends in any other way (testing/moto-server.ts).
 */
import { MotoServer, startMotoServer } from "../testing/moto-server";
import { LoadedDeployment, loadGeneratedDeployment } from "../testing/terraform/replay";

export interface ReplayedDeployment {
    readonly server: MotoServer;
    readonly loaded: LoadedDeployment;
}

let replaying: Promise<ReplayedDeployment> | undefined;

/**
 * The server holding the replayed deployment (started on the first call); callers must not change
 * anything in it. Rejects with the server's output when the replay fails, and as startMotoServer
 * does when moto_server is missing or does not start.
 */
export function replayedTerraformDeployment(): Promise<ReplayedDeployment> {
    replaying ??= startMotoServer().then(async (server) => {
        try {
            return { server, loaded: await loadGeneratedDeployment(server) };
        } catch (error) {
            throw new Error(`replaying the Terraform deployment into moto failed: ${(error as Error).message}\nmoto said:\n${server.output().slice(-3000)}`);
        }
    });
    // Awaited by the tests; a file that --grep skips never asks, which is no unhandled rejection.
    replaying.catch(() => undefined);
    return replaying;
}
