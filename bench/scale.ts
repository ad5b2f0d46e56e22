import { Measurement, NotAvailable } from "./lib/measurement";

export const scale: Measurement = {
    name: "scale",
    run() {
        throw new NotAvailable("scale: not written yet");
    },
};
